import type {DocumentMirror} from './mirror'
import type {StoredDocument} from './types'

/** What a transaction being computed reads: documents by id, and every id (query-based patches). */
export interface DocumentSource {
  get(id: string): StoredDocument | undefined
  ids(): Iterable<string>
}

/**
 * The committed mirror seen through the writes of the commit group that is waiting for its
 * fsync. A transaction staged after another in the same group must build on it (a patch with
 * `ifRevisionID` of the revision just written, a create of an id just deleted), yet readers and
 * listeners see neither until the group is durable: they read the mirror alone.
 */
export class PendingOverlay implements DocumentSource {
  /** Document id → its state after the group's latest write to it (`null`: deleted). */
  private readonly writes = new Map<string, StoredDocument | null>()

  private readonly mirror: DocumentMirror

  constructor(mirror: DocumentMirror) {
    this.mirror = mirror
  }

  get(id: string): StoredDocument | undefined {
    if (this.writes.has(id)) return this.writes.get(id) ?? undefined
    return this.mirror.get(id)
  }

  *ids(): Iterable<string> {
    yield* this.mirror.sortedIds
    for (const id of this.writes.keys()) if (!this.mirror.docs.has(id)) yield id
  }

  record(changes: Iterable<{documentId: string; result: StoredDocument | null}>): void {
    for (const change of changes) this.writes.set(change.documentId, change.result)
  }

  clear(): void {
    this.writes.clear()
  }
}
