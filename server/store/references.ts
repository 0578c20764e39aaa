/**
 * Referential integrity as Content Lake keeps it, checked on a transaction's final state (so an
 * import, or any transaction, may create both ends of a reference in any order):
 *
 * - A strong reference is any object with a string `_ref` and no `_weak: true` (cross-dataset and
 *   global references, which carry `_dataset` or `_projectId`, point outside this lake and are
 *   not checked). Every document is held to it alike: published documents, drafts and versions.
 * - A document may not newly hold a strong reference to an id that does not exist after the
 *   transaction: `Document "a" references non-existent document "b"` (409). The id is taken
 *   literally, as Content Lake does: a draft that strongly references `b` while only `drafts.b`
 *   exists is refused too. The Studio never sends that: for an unpublished target it writes
 *   `{_ref, _weak: true, _strengthenOnPublish: {type, …}}`, which publish strengthens (below).
 * - A document may not stop existing (delete, unpublish, discard) while another document,
 *   draft or not, still strongly references it after the transaction: `Document "b" cannot be
 *   deleted as there are references to it from "a"` (409). A transaction that removes the
 *   references (or the referrers) as well goes through.
 * - Weak references may dangle.
 *
 * Only references a write adds are checked: a reference that already dangled before (data
 * imported into an older lake) does not block unrelated edits of its document.
 *
 * Walks use an explicit stack: a deeply nested document cannot overflow the call stack.
 */
import type {StoredDocument} from './types'

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Does this `{_ref, …}` object point into this dataset (not another dataset or project)? */
function isLocalReference(value: Record<string, unknown>): boolean {
  return value['_dataset'] === undefined && value['_projectId'] === undefined
}

/** Every reference object in a value (objects with a string `_ref`), without recursion. */
export function referenceObjects(root: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item)
    } else if (isRecord(value)) {
      if (typeof value['_ref'] === 'string') {
        out.push(value)
        // A reference's own fields hold no further references.
        continue
      }
      for (const child of Object.values(value)) stack.push(child)
    }
  }
  return out
}

/** The ids a document references strongly, inside this dataset. */
export function strongReferences(document: StoredDocument | null): Set<string> {
  const out = new Set<string>()
  if (!document) return out
  for (const reference of referenceObjects(document)) {
    if (reference['_weak'] === true || !isLocalReference(reference)) continue
    out.add(reference['_ref'] as string)
  }
  return out
}

/**
 * A copy of `value` in which references to `targetId` (every target when it is undefined) that
 * carry `_strengthenOnPublish` are made what the Studio asked for: strong, unless
 * `_strengthenOnPublish.weak` says the field is meant to be weak. `exists` decides whether a
 * target is there to be strengthened to; references to missing targets stay as they are (weak,
 * still marked), so they are strengthened when their target is published. Returns null when
 * nothing changed.
 */
export function strengthenReferences(
  document: StoredDocument,
  exists: (id: string) => boolean,
  targetId?: string,
): Record<string, unknown> | null {
  let changed = false
  const copy = structuredClone(document) as Record<string, unknown>
  for (const reference of referenceObjects(copy)) {
    const ref = reference['_ref'] as string
    const strengthen = reference['_strengthenOnPublish']
    if (strengthen === undefined || (targetId !== undefined && ref !== targetId)) continue
    if (!exists(ref)) continue
    const keepWeak = isRecord(strengthen) && strengthen['weak'] === true
    delete reference['_strengthenOnPublish']
    if (keepWeak) reference['_weak'] = true
    else delete reference['_weak']
    changed = true
  }
  return changed ? copy : null
}

export interface IntegrityView {
  /** A document as the transaction leaves it. */
  get(id: string): StoredDocument | null
  /**
   * Ids of stored documents (committed or awaiting their fsync) that may reference `id`; a
   * superset is fine. The transaction's own writes are indexed here, from `changes`.
   */
  storedReferrers(id: string): Iterable<string>
}

export type IntegrityViolation =
  | {kind: 'missingTarget'; documentId: string; targetId: string}
  | {kind: 'referenced'; documentId: string; referrerId: string}

/**
 * The first violation a transaction's changes would leave, or undefined. Linear in the size of
 * the changed documents plus the referrers of deleted ones: a mass delete or import stays cheap.
 */
export function findIntegrityViolation(
  changes: readonly {
    documentId: string
    previous: StoredDocument | null
    result: StoredDocument | null
  }[],
  view: IntegrityView,
): IntegrityViolation | undefined {
  // Each document's strong references, walked once.
  const walked = new Map<string, Set<string>>()
  const strongOf = (id: string): Set<string> => {
    let refs = walked.get(id)
    if (!refs) walked.set(id, (refs = strongReferences(view.get(id))))
    return refs
  }
  // Target → the transaction's own documents that reference it strongly afterwards.
  const writtenReferrers = new Map<string, string[]>()
  for (const change of changes) {
    if (!change.result) continue
    const before = strongReferences(change.previous)
    for (const targetId of strongOf(change.documentId)) {
      const list = writtenReferrers.get(targetId)
      if (list) list.push(change.documentId)
      else writtenReferrers.set(targetId, [change.documentId])
      if (!before.has(targetId) && !view.get(targetId)) {
        return {kind: 'missingTarget', documentId: change.documentId, targetId}
      }
    }
  }
  for (const change of changes) {
    if (!change.previous || change.result) continue
    const candidates = [
      ...(writtenReferrers.get(change.documentId) ?? []),
      ...view.storedReferrers(change.documentId),
    ]
    for (const referrerId of candidates) {
      if (referrerId === change.documentId) continue
      if (strongOf(referrerId).has(change.documentId)) {
        return {kind: 'referenced', documentId: change.documentId, referrerId}
      }
    }
  }
  return undefined
}
