import {DocumentCache, type DocumentRows} from './documentCache'
import {DRAFTS_PREFIX} from './ids'
import {BUILD_COST_FACTOR, EVICT_MARGIN, IndexDemand, MAX_ADAPTIVE_INDEXES} from './indexPolicy'
import {SortedIdList} from './sorted'
import {TextIndex, type TextSnapshot} from './textIndex'
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
 * An ordered field's value per id, for documents where it is a string, number or boolean (the
 * values GROQ's `order()` ranks; every other value, or none, sorts as one group after them).
 */
interface SortKeyIndex {
  path: FieldPath
  values: Map<string, IndexableValue>
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
  /**
   * Where document bodies live (`lake.sqlite`). With it the mirror keeps at most
   * `documentCacheSize` of them parsed and reads the others on demand; without it (tests, small
   * in-memory mirrors) every document stays in memory.
   */
  rows?: DocumentRows | undefined
  documentCacheSize?: number | undefined
  /**
   * Fields lists are ordered by (`order(publishedAt desc)`): each document's value there is kept
   * per id (`sortKeys`), so a paged list over a large type reads the bodies of its page only.
   */
  orderedFields?: readonly FieldPath[] | undefined
  /**
   * Ids and indexes as a snapshot saved them (`snapshot.ts`), instead of indexing `initial`;
   * `changed` are the ids written since, whose entries are left out for the caller to re-add.
   */
  snapshot?: {snapshot: MirrorSnapshot; changed: ReadonlySet<string>} | undefined
}

/** One index's buckets, compactly: bucket i holds `ordinals[offsets[i]..offsets[i + 1]]`. */
export interface SnapshotBuckets {
  keys: string[]
  offsets: Uint32Array
  /** Positions in `MirrorSnapshot.ids`. */
  ordinals: Uint32Array
}

/** What a restart needs to serve without reading every document (`snapshot.ts` stores it). */
export interface MirrorSnapshot {
  format: 1
  /** Every served id, sorted. */
  ids: string[]
  /** Rows left out at start-up (id, why), logged again at every start until replaced. */
  skipped: [string, string][]
  /** The configured indexes (`_type`, `slug.current`, the application's fields). */
  indexes: {path: string[]; buckets: SnapshotBuckets}[]
  referrers: SnapshotBuckets
  /**
   * The ordered fields' sort keys (`sortKeys`): `values[i]` is the value of `ids[ordinals[i]]`.
   * Absent in snapshots taken before there were any: those paths are built with one scan.
   */
  sortKeys?: {path: string[]; ordinals: Uint32Array; values: IndexableValue[]}[]
  /** The text index over positions in `ids` (absent while it was still being built). */
  text?: TextSnapshot | undefined
}

function encodeBuckets(
  buckets: Iterable<[string, SortedIdList]>,
  ordinalOf: Map<string, number>,
): SnapshotBuckets {
  const keys: string[] = []
  const offsets: number[] = [0]
  const ordinals: number[] = []
  for (const [key, list] of buckets) {
    keys.push(key)
    for (const id of list.toArray()) ordinals.push(ordinalOf.get(id) as number)
    offsets.push(ordinals.length)
  }
  return {keys, offsets: Uint32Array.from(offsets), ordinals: Uint32Array.from(ordinals)}
}

/** Buckets back as sorted id lists (ordinals are in id order), without the ids in `leaveOut`. */
function decodeBuckets(
  encoded: SnapshotBuckets,
  ids: readonly string[],
  leaveOut: ReadonlySet<string>,
): Map<string, SortedIdList> {
  const out = new Map<string, SortedIdList>()
  for (let b = 0; b < encoded.keys.length; b++) {
    const list: string[] = []
    for (let i = encoded.offsets[b] as number; i < (encoded.offsets[b + 1] as number); i++) {
      const id = ids[encoded.ordinals[i] as number] as string
      if (leaveOut.size === 0 || !leaveOut.has(id)) list.push(id)
    }
    if (list.length > 0) out.set(encoded.keys[b] as string, new SortedIdList(list))
  }
  return out
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Appends `id` to the bucket `key` of `buckets` (building lists before they are sorted). */
function pushTo(buckets: Map<string, string[]>, key: string, id: string): void {
  const bucket = buckets.get(key)
  if (bucket) bucket.push(id)
  else buckets.set(key, [id])
}
/**
 * The longest the background text index build holds the event loop per turn: a request waits
 * at most about this long behind it.
 */
const TEXT_BUILD_SLICE_MS = 4

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
  /** Document bodies: all of them, or a bounded cache over `lake.sqlite` (`documentCache.ts`). */
  private readonly bodies: DocumentCache
  /** Every id, sorted: the dataset order every perspective view uses. */
  private readonly ids: SortedIdList
  private readonly fieldIndexes = new Map<string, FieldIndex>()
  /** Per ordered path (`pathKey`): each document's sort key (`orderedFields`). */
  private readonly sortKeyIndexes = new Map<string, SortKeyIndex>()
  /** Referenced id → sorted ids of the documents that reference it. */
  private readonly referrers = new Map<string, SortedIdList>()
  /** Bumped on every applied change; caches compare it to know they may be stale. */
  generation = 0
  /** Per recent generation, the buckets its change touched (see `touchedSince`). */
  private readonly changeLog: {generation: number; touched: Set<string>}[] = []

  /** Paths (`pathKey`) indexed because the application asked: never evicted. */
  private readonly configured = new Map<string, FieldPath>()
  private readonly demand = new IndexDemand()
  /** Per path (`pathKey`): how many planner requests an index answered (`indexUses`). */
  private readonly uses = new Map<string, number>()
  /**
   * The words index for `match`: restored from the snapshot, else built in slices after start
   * (`startTextIndex`), and kept by every commit.
   */
  private readonly text: TextIndex
  private textBuild: {timer: NodeJS.Immediate | undefined; stopped: boolean; onBuilt?: () => void} =
    {timer: undefined, stopped: false}
  /** Whether restoring a snapshot had to read every row (an index configured since it was taken). */
  scannedAtStart = false
  /** Rows the store could not read (id → why), kept for the next snapshot. */
  readonly skipped = new Map<string, string>()

  constructor(initial: Iterable<StoredDocument> = [], options: DocumentMirrorOptions = {}) {
    this.bodies = new DocumentCache(options.rows, options.documentCacheSize)
    for (const path of [...DEFAULT_INDEXED_PATHS, ...(options.indexedFields ?? [])]) {
      this.configured.set(pathKey(path), path)
    }
    for (const path of options.orderedFields ?? []) {
      this.sortKeyIndexes.set(pathKey(path), {path, values: new Map()})
    }
    if (options.snapshot) {
      const {snapshot, changed} = options.snapshot
      this.ids = new SortedIdList(
        changed.size === 0 ? snapshot.ids : snapshot.ids.filter((id) => !changed.has(id)),
      )
      for (const [id, why] of snapshot.skipped) if (!changed.has(id)) this.skipped.set(id, why)
      for (const {path, buckets} of snapshot.indexes) {
        const key = pathKey(path)
        const configuredPath = this.configured.get(key)
        if (!configuredPath) continue
        const index: FieldIndex = {
          path: configuredPath,
          buckets: decodeBuckets(buckets, snapshot.ids, changed),
        }
        this.fieldIndexes.set(key, index)
      }
      for (const [ref, list] of decodeBuckets(snapshot.referrers, snapshot.ids, changed)) {
        this.referrers.set(ref, list)
      }
      const restoredSortKeys = new Set<string>()
      for (const {path, ordinals, values} of snapshot.sortKeys ?? []) {
        const sortKeys = this.sortKeyIndexes.get(pathKey(path))
        if (!sortKeys) continue
        restoredSortKeys.add(pathKey(path))
        for (let i = 0; i < ordinals.length; i++) {
          const id = snapshot.ids[ordinals[i] as number] as string
          if (changed.size === 0 || !changed.has(id)) {
            sortKeys.values.set(id, values[i] as IndexableValue)
          }
        }
      }
      // Paths configured since the snapshot was taken: indexed with one pass over the rows.
      for (const path of this.configured.values()) {
        if (!this.fieldIndexes.has(pathKey(path))) this.scannedAtStart = true
        this.buildIndex(path)
      }
      // Ordered paths the snapshot lacks: filled with one pass over the rows.
      const missing = [...this.sortKeyIndexes].filter(([key]) => !restoredSortKeys.has(key))
      if (missing.length > 0) {
        this.scannedAtStart = true
        for (const doc of this.scan()) {
          for (const [, sortKeys] of missing) this.fillSortKeys(sortKeys, [doc])
        }
      }
      // The changed documents are re-added by `restoreChanged`, under new ordinals.
      this.text =
        TextIndex.restore(snapshot.ids, snapshot.text, changed) ??
        TextIndex.building([...this.ids.toArray()])
      return
    }
    // One pass over the documents, keeping none of them beyond the cache: ids, configured
    // indexes and references are collected per document.
    const ids: string[] = []
    const fields = [...this.configured.values()].map((path) => ({
      path,
      buckets: new Map<string, string[]>(),
    }))
    const referrers = new Map<string, string[]>()
    let inOrder = true
    for (const doc of initial) {
      const id = doc._id
      if (ids.length > 0 && !((ids[ids.length - 1] as string) < id)) inOrder = false
      ids.push(id)
      this.bodies.set(id, doc)
      for (const {path, buckets} of fields) {
        const value = valueAtPath(doc, path)
        if (isIndexableValue(value)) pushTo(buckets, indexKey(value), id)
      }
      for (const ref of referencedIds(doc)) pushTo(referrers, ref, id)
      for (const sortKeys of this.sortKeyIndexes.values()) this.fillSortKeys(sortKeys, [doc])
    }
    // Sorted input (the table read in `_id` order) leaves every list sorted already.
    const sorted = (list: string[]) => (inOrder ? list : [...new Set(list)].sort(compareIds))
    this.ids = new SortedIdList(sorted(ids))
    for (const {path, buckets} of fields) {
      const index: FieldIndex = {path, buckets: new Map()}
      for (const [key, list] of buckets) index.buckets.set(key, new SortedIdList(sorted(list)))
      this.fieldIndexes.set(pathKey(path), index)
    }
    for (const [ref, list] of referrers) this.referrers.set(ref, new SortedIdList(sorted(list)))
    this.text = TextIndex.building([...this.ids.toArray()])
  }

  /** The ids and configured indexes as a restart can restore them (`snapshot.ts`). */
  snapshot(): MirrorSnapshot {
    const ids = [...this.ids.toArray()]
    const ordinalOf = new Map<string, number>()
    for (let i = 0; i < ids.length; i++) ordinalOf.set(ids[i] as string, i)
    const indexes: MirrorSnapshot['indexes'] = []
    for (const [key, index] of this.fieldIndexes) {
      if (!this.configured.has(key)) continue
      indexes.push({path: [...index.path], buckets: encodeBuckets(index.buckets, ordinalOf)})
    }
    const sortKeys: NonNullable<MirrorSnapshot['sortKeys']> = []
    for (const {path, values} of this.sortKeyIndexes.values()) {
      const ordinals = new Uint32Array(values.size)
      const kept: IndexableValue[] = []
      for (const [id, value] of values) {
        ordinals[kept.length] = ordinalOf.get(id) as number
        kept.push(value)
      }
      sortKeys.push({path: [...path], ordinals, values: kept})
    }
    return {
      format: 1,
      ids,
      skipped: [...this.skipped],
      indexes,
      referrers: encodeBuckets(this.referrers, ordinalOf),
      sortKeys,
      text: this.text.compact(ids),
    }
  }

  /** Adds the sort keys of `docs` (a pass over rows, or one new document). */
  private fillSortKeys(sortKeys: SortKeyIndex, docs: Iterable<StoredDocument>): void {
    for (const doc of docs) {
      const value = valueAtPath(doc, sortKeys.path)
      if (isIndexableValue(value)) sortKeys.values.set(doc._id, value)
    }
  }

  /**
   * Each document's value at an ordered path (`orderedFields`) by id, or undefined when the path
   * is not one: an id missing from the map has no string, number or boolean there.
   */
  sortKeys(path: FieldPath): ReadonlyMap<string, IndexableValue> | undefined {
    return this.sortKeyIndexes.get(pathKey(path))?.values
  }

  /**
   * Adds a document the snapshot's caller found changed since the snapshot (its entries were left
   * out when restoring): before any reader or writer runs, so nothing is invalidated.
   */
  restoreChanged(doc: StoredDocument): void {
    this.skipped.delete(doc._id)
    this.ids.insert(doc._id)
    this.bodies.set(doc._id, doc)
    this.index(doc)
    this.text.update(doc._id, doc)
  }

  /** Whether `id` is a served document. */
  has(id: string): boolean {
    return this.ids.has(id)
  }

  /** How many documents are served. */
  get size(): number {
    return this.ids.length
  }

  /** How many parsed documents the mirror keeps (Infinity when it keeps every one). */
  get documentCacheSize(): number {
    return this.bodies.limit
  }

  /** Whether every document stays parsed in memory (callers may then keep whole-dataset lists). */
  get holdsAll(): boolean {
    return this.bodies.holdsAll(this.ids.length)
  }

  /**
   * A write to these ids is being staged: their current bodies stay in memory until `apply` (or
   * `release`), because the rows on disk change before the mirror does.
   */
  pin(ids: Iterable<string>): void {
    for (const id of ids) this.bodies.pin(id, this.get(id))
  }

  /** Staged writes to these ids are gone without being applied. */
  release(ids: Iterable<string>): void {
    for (const id of ids) this.bodies.unpin(id)
  }

  /** Every document in `_id` order, read in batches from the rows when they are not all kept. */
  *scan(): Generator<StoredDocument> {
    // A copy: the caller may be an export that runs while later commits change the list.
    const ids = [...this.ids.toArray()]
    for (let i = 0; i < ids.length; i += 4096) {
      for (const doc of this.bodies.getMany(ids.slice(i, i + 4096), true)) if (doc) yield doc
    }
  }

  /** The documents of sorted `ids` (each one the mirror serves), undefined where unreadable. */
  getMany(ids: readonly string[]): (StoredDocument | undefined)[] {
    return this.bodies.getMany(ids)
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
    // The cache first: a Map lookup, where the id list costs two binary searches.
    return this.bodies.get(id, () => this.ids.has(id))
  }

  /**
   * The text index once every document is in it; undefined while it is being built (the planner
   * then leaves `match` to groq-js, which reads the documents). When every body is in memory
   * the rest of the build is done here at once: it reads no rows (100k documents: a second or
   * two, once per data directory, as the snapshot keeps the index).
   */
  textIndex(): TextIndex | undefined {
    if (this.text.ready) return this.text
    if (!this.holdsAll) {
      this.startTextIndex()
      return undefined
    }
    this.text.buildSome(this.readForText, Infinity)
    this.textBuilt()
    return this.text
  }

  /** Whether the text index covers every document, and how many it covers so far. */
  get textIndexState(): {ready: boolean; documents: number} {
    return {ready: this.text.ready, documents: this.text.builtCount}
  }

  private readonly readForText = (ids: readonly string[]) => this.bodies.getMany(ids, true)

  /**
   * Builds the text index in the background, a few milliseconds per turn of the event loop
   * (`TEXT_BUILD_SLICE_MS`) so requests are answered between slices; `onBuilt` runs once it is
   * ready (the store then saves a snapshot holding it).
   */
  startTextIndex(onBuilt?: () => void): void {
    const build = this.textBuild
    if (onBuilt) build.onBuilt = onBuilt
    if (this.text.ready || build.timer || build.stopped) return
    const step = () => {
      build.timer = undefined
      if (build.stopped) return
      if (this.text.buildSome(this.readForText, performance.now() + TEXT_BUILD_SLICE_MS)) {
        this.textBuilt()
        return
      }
      build.timer = setImmediate(step).unref()
    }
    build.timer = setImmediate(step).unref()
  }

  private textBuilt(): void {
    const build = this.textBuild
    if (build.timer) clearImmediate(build.timer)
    build.timer = undefined
    const onBuilt = build.onBuilt
    build.onBuilt = undefined
    onBuilt?.()
  }

  /** Stops a background build (the store is closing: its rows can no longer be read). */
  stopTextIndex(): void {
    const build = this.textBuild
    build.stopped = true
    if (build.timer) clearImmediate(build.timer)
    build.timer = undefined
  }

  /** Replace or delete documents; `null` deletes. Ids pinned for the write are released. */
  apply(changes: Iterable<[string, StoredDocument | null]>): void {
    const touched = new Set<string>()
    const applied: string[] = []
    for (const [id, next] of changes) {
      const previous = this.get(id)
      // Both documents of a draft pair: in the drafts perspective one stands in for the other.
      this.touch(touched, id, previous, next)
      if (previous) this.unindex(previous)
      this.text.update(id, next)
      this.skipped.delete(id)
      if (next) {
        this.bodies.set(id, next)
        this.ids.insert(id)
        this.index(next)
      } else {
        this.bodies.set(id, null)
        this.ids.remove(id)
      }
      applied.push(id)
    }
    this.release(applied)
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
    const docs = [previous, next, ...pair.map((pairId) => this.get(pairId))]
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

  /**
   * Whether a served id is in the bucket of `path` = `value` (two binary searches, no list
   * built); undefined when the path has no index.
   */
  bucketTest(path: FieldPath, value: IndexableValue): ((id: string) => boolean) | undefined {
    const index = this.fieldIndexes.get(pathKey(path))
    if (!index) return undefined
    const bucket = index.buckets.get(indexKey(value))
    return bucket ? (id) => bucket.has(id) : () => false
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
    this.demand.note(key, path, Math.max(0, this.ids.length - candidates), (k) =>
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
    if (worth < BUILD_COST_FACTOR * Math.max(1, this.ids.length)) return
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
    const index: FieldIndex = {path, buckets: new Map()}
    // The scan is in id order, so pushing in that order keeps every bucket sorted.
    const buckets = new Map<string, string[]>()
    for (const doc of this.scan()) {
      const value = valueAtPath(doc, path)
      if (isIndexableValue(value)) pushTo(buckets, indexKey(value), doc._id)
    }
    for (const [key, bucket] of buckets) index.buckets.set(key, new SortedIdList(bucket))
    this.fieldIndexes.set(name, index)
    return index
  }

  private index(doc: StoredDocument): void {
    for (const sortKeys of this.sortKeyIndexes.values()) this.fillSortKeys(sortKeys, [doc])
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
    for (const sortKeys of this.sortKeyIndexes.values()) sortKeys.values.delete(doc._id)
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
