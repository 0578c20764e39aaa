import type {DocumentMirror} from './mirror'
import type {StoredDocument} from './types'

/** What a transaction being computed reads: documents by id, and every id (query-based patches). */
export interface DocumentSource {
  get(id: string): StoredDocument | undefined
  ids(): Iterable<string>
  /** Ids of documents that may reference `id` (a superset: callers check each one). */
  referencing(id: string): Iterable<string>
}

type Changes = Iterable<{documentId: string; result: StoredDocument | null}>

/**
 * The committed mirror seen through the writes that are not yet durable (see `groupCommit.ts`).
 * A transaction staged after another must build on it (a patch with `ifRevisionID` of the
 * revision just written, a create of an id just deleted), yet readers and listeners see neither
 * until its fsync has returned: they read the mirror alone.
 */
export class PendingOverlay implements DocumentSource {
  /** Document id → its state after the latest pending write to it (`null`: deleted). */
  private readonly writes = new Map<string, {doc: StoredDocument | null; seq: number}>()
  private readonly mirror: DocumentMirror

  constructor(mirror: DocumentMirror) {
    this.mirror = mirror
  }

  get(id: string): StoredDocument | undefined {
    const pending = this.writes.get(id)
    if (pending) return pending.doc ?? undefined
    return this.mirror.get(id)
  }

  *ids(): Iterable<string> {
    yield* this.mirror.sortedIds
    for (const id of this.writes.keys()) if (!this.mirror.has(id)) yield id
  }

  *referencing(id: string): Iterable<string> {
    yield* this.mirror.referencing(id)
    // Writes waiting for their fsync are not in the mirror's reference index yet; there are few.
    for (const [pendingId, pending] of this.writes) if (pending.doc) yield pendingId
  }

  /** Writes of commit group `seq` (groups are recorded in increasing order). */
  record(changes: Changes, seq: number): void {
    for (const change of changes) this.writes.set(change.documentId, {doc: change.result, seq})
  }

  /** Groups up to `seq` are in the mirror now; later writes to the same ids stay. */
  forget(seq: number): void {
    for (const [id, pending] of this.writes) if (pending.seq <= seq) this.writes.delete(id)
  }

  /** Only these groups' writes are still pending (a group failed and is gone). */
  rebuild(groups: Iterable<{seq: number; changes: Changes}>): void {
    this.writes.clear()
    for (const group of groups) this.record(group.changes, group.seq)
  }
}
