import {countSteps} from '../query/steps'
import {DRAFTS_PREFIX} from './ids'
import {BUILD_COST_FACTOR, EVICT_MARGIN, IndexDemand, MAX_ADAPTIVE_INDEXES} from './indexPolicy'
import {SortedIdList} from './sorted'
import {TextIndex} from './textIndex'
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
  buckets: Map<string, SortedIdList>
}

/**
 * Fields every lake indexes, whatever the application configures: every Studio list filters on
 * `_type`, and documents are addressed by `slug.current`. (`_id` needs no index: it is the
 * mirror's own key.) Others come from `indexedFields`, or are earned (`indexPolicy.ts`).
 */
export const DEFAULT_INDEXED_PATHS: readonly FieldPath[] = [['_type'], ['slug', 'current']]

export interface DocumentMirrorOptions {
  /** Fields the application filters on: indexed from the start and never evicted. */
  indexedFields?: readonly FieldPath[] | undefined
}
/** How many commits back caches can catch up selectively before they start over. */
const CHANGE_LOG_SIZE = 256

/** The bucket name of the reference index (not a valid attribute name, so it never clashes). */
export const REFERENCES = 'references()'
const ID_PATH: FieldPath = ['_id']

/**
 * Every `_ref` string anywhere in a document. groq-js's references() stops descending at an
 * object that has a `_ref`; this walks everything, so the index is a superset of its matches.
 */
export function referencedIds(doc: unknown): Set<string> {
  const out = new Set<string>()
  // An explicit stack: stored documents are user data, and no nesting may overflow the call stack.
  const stack: unknown[] = [doc]
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) stack.push(item)
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '_ref' && typeof child === 'string') out.add(child)
        else if (child !== null && typeof child === 'object') stack.push(child)
      }
    }
  }
  return out
}

/**
 * A path's name in index and cache keys. Built from the segments, never from a joined string:
 * `["slug.current"]` (one attribute whose name holds a dot) and `["slug", "current"]` must
 * never share a key. The JSON text always starts with `[`, so it cannot clash with `REFERENCES`.
 */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path)
}

/**
 * Names one index bucket (`["_type"]\u0000spage`), or one document id (`["_id"]\u0000s<id>`).
 * Caches record the buckets their answers came from; commits record the buckets they touched.
 */
export function bucketKey(path: FieldPath | typeof REFERENCES, value: IndexableValue): string {
  return (path === REFERENCES ? path : pathKey(path)) + '\u0000' + indexKey(value)
}

/**
 * The in-memory copy of the `documents` table, with the indexes the planner reads. It only changes
 * through `apply`, which the store calls after a COMMIT succeeded, so readers never see a write
 * that could still roll back. Stored documents are treated as immutable: a change replaces the
 * object, which lets caches key on object identity. Their arrays count groq-js's steps when iterated
 * (`countSteps`), so query budgets see loops over them.
 */
export class DocumentMirror {
  readonly docs = new Map<string, StoredDocument>()
  /** Every id, sorted: the dataset order every perspective view uses. */
  private readonly ids: SortedIdList
  private readonly fieldIndexes = new Map<string, FieldIndex>()
  /** Referenced id → sorted ids of the documents that reference it. */
  private readonly referrers = new Map<string, SortedIdList>()
  /** Bumped on every applied change; caches compare it to know they may be stale. */
  generation = 0
  /** Per recent generation, the buckets its change touched (see `touchedSince`). */
  private readonly changeLog: {generation: number; touched: Set<string>}[] = []

  /** Paths (`pathKey`) indexed because the application asked: never evicted. */
  private readonly configured = new Set<string>()
  private readonly demand = new IndexDemand()
  /** Per path (`pathKey`): how many planner requests an index answered (`indexUses`). */
  private readonly uses = new Map<string, number>()
  /** The words index for `match`, built on the first text search and kept by every commit after. */
  private text: TextIndex | undefined

  constructor(initial: Iterable<StoredDocument> = [], options: DocumentMirrorOptions = {}) {
    const ids: string[] = []
    for (const doc of initial) {
      countSteps(doc)
      this.docs.set(doc._id, doc)
      ids.push(doc._id)
    }
    ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    this.ids = new SortedIdList(ids)
    for (const path of [...DEFAULT_INDEXED_PATHS, ...(options.indexedFields ?? [])]) {
      this.configured.add(pathKey(path))
      this.buildIndex(path)
    }
    const referrers = new Map<string, string[]>()
    for (const id of ids) {
      for (const ref of referencedIds(this.docs.get(id))) {
        const bucket = referrers.get(ref)
        if (bucket) bucket.push(id)
        else referrers.set(ref, [id])
      }
    }
    for (const [ref, bucket] of referrers) this.referrers.set(ref, new SortedIdList(bucket))
  }

  /** Every id, sorted (shared until the next change: do not modify it). */
  get sortedIds(): readonly string[] {
    return this.ids.toArray()
  }

  /** The sorted ids that start with `prefix`. */
  idsWithPrefix(prefix: string): string[] {
    return this.ids.withPrefix(prefix)
  }

  /** Sorted ids of the documents with a `_ref` to `id` anywhere in them (a superset). */
  referencing(id: string): readonly string[] {
    return this.referrers.get(id)?.toArray() ?? []
  }

  get(id: string): StoredDocument | undefined {
    return this.docs.get(id)
  }

  /**
   * The text index, built on first use: a lake whose clients never search pays nothing for it,
   * and a restart does not wait for it (tokenising 100k documents takes a second or two).
   */
  textIndex(): TextIndex {
    this.text ??= new TextIndex(this.docs.values())
    return this.text
  }

  /** Replace or delete documents; `null` deletes. */
  apply(changes: Iterable<[string, StoredDocument | null]>): void {
    const touched = new Set<string>()
    for (const [id, next] of changes) {
      const previous = this.docs.get(id)
      // Both documents of a draft pair: in the drafts perspective one stands in for the other.
      this.touch(touched, id, previous, next)
      if (previous) this.unindex(previous)
      this.text?.update(id, previous, next)
      if (next) {
        countSteps(next)
        this.docs.set(id, next)
        if (!previous) this.ids.insert(id)
        this.index(next)
      } else if (previous) {
        this.docs.delete(id)
        this.ids.remove(id)
      }
    }
    this.generation++
    this.changeLog.push({generation: this.generation, touched})
    if (this.changeLog.length > CHANGE_LOG_SIZE) this.changeLog.shift()
  }

  /**
   * Every bucket touched by the commits after `generation`, or undefined when the log no longer
   * reaches back that far (the caller then drops everything).
   */
  touchedSince(generation: number): Set<string> | undefined {
    if (generation === this.generation) return new Set()
    const first = this.changeLog[0]
    if (generation < 0 || !first || first.generation > generation + 1) return undefined
    const out = new Set<string>()
    for (const entry of this.changeLog) {
      if (entry.generation > generation) for (const key of entry.touched) out.add(key)
    }
    return out
  }

  private touch(
    touched: Set<string>,
    id: string,
    previous: StoredDocument | undefined,
    next: StoredDocument | null,
  ): void {
    const publishedId = id.startsWith(DRAFTS_PREFIX) ? id.slice(DRAFTS_PREFIX.length) : id
    const pair = [publishedId, DRAFTS_PREFIX + publishedId]
    for (const pairId of pair) touched.add(bucketKey(ID_PATH, pairId))
    touched.add(bucketKey(ID_PATH, id))
    const docs = [previous, next, ...pair.map((pairId) => this.docs.get(pairId))]
    for (const doc of docs) {
      if (!doc) continue
      for (const index of this.fieldIndexes.values()) {
        const value = valueAtPath(doc, index.path)
        if (isIndexableValue(value)) touched.add(bucketKey(index.path, value))
      }
      for (const ref of referencedIds(doc)) touched.add(bucketKey(REFERENCES, ref))
    }
  }

  /**
   * The sorted ids whose value at `path` equals `value`; `undefined` when the path has no index
   * (the planner then leaves the filter to groq-js and reports the scan with `noteUnindexed`).
   */
  lookup(path: FieldPath, value: IndexableValue): readonly string[] | undefined {
    const index = this.fieldIndexes.get(pathKey(path))
    if (!index) return undefined
    return index.buckets.get(indexKey(value))?.toArray() ?? []
  }

  /** How many ids `lookup` returns, without building its array (the planner's estimates). */
  count(path: FieldPath, value: IndexableValue): number | undefined {
    const index = this.fieldIndexes.get(pathKey(path))
    if (!index) return undefined
    return index.buckets.get(indexKey(value))?.length ?? 0
  }

  hasIndex(path: FieldPath): boolean {
    return this.fieldIndexes.has(pathKey(path))
  }

  /** Per path (`pathKey`), how many planner requests an index answered since the mirror opened. */
  indexUses(): Record<string, number> {
    return Object.fromEntries(this.uses)
  }

  /** The planner is preparing a query: demand decays per query (`DEMAND_HALF_LIFE`). */
  noteQuery(): void {
    this.demand.tick()
  }

  /**
   * The planner answered a filter on `path` from its index, handing groq-js `candidates`
   * documents instead of all of them: the scans saved keep an adaptive index alive.
   */
  noteIndexed(path: FieldPath, candidates: number): void {
    const key = pathKey(path)
    this.uses.set(key, (this.uses.get(key) ?? 0) + 1)
    if (this.configured.has(key)) return
    this.demand.note(key, path, Math.max(0, this.docs.size - candidates), (k) =>
      this.fieldIndexes.has(k),
    )
  }

  /**
   * The planner had no index for a filter on `path` and groq-js tests `scanned` documents for
   * it. Once the scans add up to more than an index costs, the path gets one (`indexPolicy.ts`).
   */
  noteUnindexed(path: FieldPath, scanned: number): void {
    const key = pathKey(path)
    if (this.fieldIndexes.has(key)) return
    const worth = this.demand.note(key, path, scanned, (k) => this.fieldIndexes.has(k))
    if (worth < BUILD_COST_FACTOR * Math.max(1, this.docs.size)) return
    const adaptive = [...this.fieldIndexes.keys()].filter((k) => !this.configured.has(k))
    if (adaptive.length >= MAX_ADAPTIVE_INDEXES) {
      const weakest = this.demand.weakest(adaptive)
      if (!weakest || worth <= EVICT_MARGIN * weakest.worth) return
      this.dropIndex(weakest.key)
    }
    this.buildIndex(path)
  }

  private dropIndex(key: string): void {
    this.fieldIndexes.delete(key)
    this.uses.delete(key)
    // Cached answers built from the dropped index would no longer be invalidated by commits
    // (only indexed buckets are recorded as touched): every cache starts over.
    this.generation++
    this.changeLog.length = 0
  }

  private buildIndex(path: FieldPath): FieldIndex {
    const name = pathKey(path)
    const existing = this.fieldIndexes.get(name)
    if (existing) return existing
    const index: FieldIndex = {path, buckets: new Map()} // sortedIds is already ordered, so pushing in that order keeps every bucket sorted.
    const buckets = new Map<string, string[]>()
    for (const id of this.sortedIds) {
      const value = valueAtPath(this.docs.get(id), path)
      if (!isIndexableValue(value)) continue
      const key = indexKey(value)
      const bucket = buckets.get(key)
      if (bucket) bucket.push(id)
      else buckets.set(key, [id])
    }
    for (const [key, bucket] of buckets) index.buckets.set(key, new SortedIdList(bucket))
    this.fieldIndexes.set(name, index)
    return index
  }

  private index(doc: StoredDocument): void {
    for (const ref of referencedIds(doc)) {
      const bucket = this.referrers.get(ref)
      if (bucket) bucket.insert(doc._id)
      else this.referrers.set(ref, new SortedIdList([doc._id]))
    }
    for (const index of this.fieldIndexes.values()) {
      const value = valueAtPath(doc, index.path)
      if (!isIndexableValue(value)) continue
      const key = indexKey(value)
      const bucket = index.buckets.get(key)
      if (bucket) bucket.insert(doc._id)
      else index.buckets.set(key, new SortedIdList([doc._id]))
    }
  }

  private unindex(doc: StoredDocument): void {
    for (const ref of referencedIds(doc)) {
      const bucket = this.referrers.get(ref)
      if (!bucket) continue
      bucket.remove(doc._id)
      if (bucket.length === 0) this.referrers.delete(ref)
    }
    for (const index of this.fieldIndexes.values()) {
      const value = valueAtPath(doc, index.path)
      if (!isIndexableValue(value)) continue
      const key = indexKey(value)
      const bucket = index.buckets.get(key)
      if (!bucket) continue
      bucket.remove(doc._id)
      if (bucket.length === 0) index.buckets.delete(key)
    }
  }
}
