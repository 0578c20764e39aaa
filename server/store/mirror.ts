import {sortedInsert, sortedRemove} from './sorted'
import type {StoredDocument} from './types'

/**
 * A field path the mirror can index: top-level or nested attribute names (`['slug', 'current']`).
 * Only plain-object steps are followed, exactly as GROQ's attribute access does.
 */
export type FieldPath = readonly string[]

/** Index keys carry the JSON type so that `1` and `"1"` (unequal in GROQ) never share a bucket. */
export type IndexableValue = string | number | boolean

export function indexKey(value: IndexableValue): string {
  switch (typeof value) {
    case 'string':
      return 's' + value
    case 'number':
      return 'n' + String(value)
    default:
      return value ? 'btrue' : 'bfalse'
  }
}

export function isIndexableValue(value: unknown): value is IndexableValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  )
}

export function valueAtPath(doc: unknown, path: FieldPath): unknown {
  let current: unknown = doc
  for (const name of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined
    if (!Object.hasOwn(current, name)) return undefined
    current = (current as Record<string, unknown>)[name]
  }
  return current
}

interface FieldIndex {
  path: FieldPath
  buckets: Map<string, string[]>
}

/** Fields indexed from the start; others are indexed on first use by a query, up to a limit. */
const DEFAULT_INDEXED_PATHS: FieldPath[] = [['_type'], ['slug', 'current']]
const MAX_FIELD_INDEXES = 24

/**
 * The in-memory copy of the `documents` table, with the indexes the planner reads. It only changes
 * through `apply`, which the store calls after a COMMIT succeeded, so readers never see a write
 * that could still roll back. Stored documents are treated as immutable: a change replaces the
 * object, which lets caches key on object identity.
 */
export class DocumentMirror {
  readonly docs = new Map<string, StoredDocument>()
  /** Every id, sorted: the dataset order every perspective view uses. */
  readonly sortedIds: string[] = []
  private readonly fieldIndexes = new Map<string, FieldIndex>()
  /** Bumped on every applied change; caches compare it instead of being told what changed. */
  generation = 0

  constructor(initial: Iterable<StoredDocument> = []) {
    const ids: string[] = []
    for (const doc of initial) {
      this.docs.set(doc._id, doc)
      ids.push(doc._id)
    }
    ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    this.sortedIds.push(...ids)
    for (const path of DEFAULT_INDEXED_PATHS) this.ensureIndex(path)
  }

  get(id: string): StoredDocument | undefined {
    return this.docs.get(id)
  }

  /** Replace or delete documents; `null` deletes. */
  apply(changes: Iterable<[string, StoredDocument | null]>): void {
    for (const [id, next] of changes) {
      const previous = this.docs.get(id)
      if (previous) this.unindex(previous)
      if (next) {
        this.docs.set(id, next)
        if (!previous) sortedInsert(this.sortedIds, id)
        this.index(next)
      } else if (previous) {
        this.docs.delete(id)
        sortedRemove(this.sortedIds, id)
      }
    }
    this.generation++
  }

  /**
   * The sorted ids whose value at `path` equals `value`, building the index on first use. Returns
   * `undefined` when the field cannot be indexed (too many indexes already).
   */
  lookup(path: FieldPath, value: IndexableValue): readonly string[] | undefined {
    const index = this.ensureIndex(path)
    if (!index) return undefined
    return index.buckets.get(indexKey(value)) ?? []
  }

  /** How many ids `lookup` would return, without building an index that does not exist yet. */
  hasIndex(path: FieldPath): boolean {
    return this.fieldIndexes.has(path.join('.'))
  }

  private ensureIndex(path: FieldPath): FieldIndex | undefined {
    const name = path.join('.')
    const existing = this.fieldIndexes.get(name)
    if (existing) return existing
    if (this.fieldIndexes.size >= MAX_FIELD_INDEXES) return undefined
    const index: FieldIndex = {path, buckets: new Map()}
    // sortedIds is already ordered, so pushing in that order keeps every bucket sorted.
    for (const id of this.sortedIds) {
      const value = valueAtPath(this.docs.get(id), path)
      if (!isIndexableValue(value)) continue
      const key = indexKey(value)
      const bucket = index.buckets.get(key)
      if (bucket) bucket.push(id)
      else index.buckets.set(key, [id])
    }
    this.fieldIndexes.set(name, index)
    return index
  }

  private index(doc: StoredDocument): void {
    for (const index of this.fieldIndexes.values()) {
      const value = valueAtPath(doc, index.path)
      if (!isIndexableValue(value)) continue
      const key = indexKey(value)
      const bucket = index.buckets.get(key)
      if (bucket) sortedInsert(bucket, doc._id)
      else index.buckets.set(key, [doc._id])
    }
  }

  private unindex(doc: StoredDocument): void {
    for (const index of this.fieldIndexes.values()) {
      const value = valueAtPath(doc, index.path)
      if (!isIndexableValue(value)) continue
      const key = indexKey(value)
      const bucket = index.buckets.get(key)
      if (!bucket) continue
      sortedRemove(bucket, doc._id)
      if (bucket.length === 0) index.buckets.delete(key)
    }
  }
}
