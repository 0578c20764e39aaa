import {DRAFTS_PREFIX, getPublishedId, isDraftId, isPublishedId, isVersionId} from '../store/ids'
import {
  type DocumentMirror,
  type FieldPath,
  type IndexableValue,
  bucketKey,
  REFERENCES,
  valueAtPath,
} from '../store/mirror'
import {matchTokens, type TextIndex} from '../store/textIndex'
import type {Perspective, StoredDocument} from '../store/types'

/** A document as a query sees it; in the drafts perspective it also carries `_originalId`. */
export type VisibleDocument = StoredDocument & {_originalId?: string}

/**
 * What one (perspective, reader) pair can see: the dataset groq-js would be given, and indexed
 * slices of it in the same order. Every method returns what filtering `all()` would return, so the
 * planner's answers equal plain groq-js on `all()`.
 */
export interface DatasetView {
  readonly perspective: Perspective
  /** The visible document whose (visible) `_id` is `id`. */
  get(id: string): VisibleDocument | null
  /** The whole visible dataset in `_id` order, cached until the next commit. */
  all(): readonly VisibleDocument[]
  /**
   * An upper bound on `all().length` without building it: a planner's estimate must not read
   * every document after each commit (the intake's query did, once per group commit).
   */
  sizeBound(): number
  /** Exactly the visible documents whose value at `path` equals `value`, in dataset order. */
  whereEquals(path: FieldPath, value: IndexableValue): readonly VisibleDocument[] | undefined
  /**
   * An upper bound on `whereEquals(path, value).length` from the raw index, without building the
   * visible list; undefined when the field cannot be indexed.
   */
  estimateEquals(path: FieldPath, value: IndexableValue): number | undefined
  /** Reports that the planner is preparing a query (the clock index demand decays by). */
  noteQuery(): void
  /** Reports a filter answered from the index on `path` (index use statistics and upkeep). */
  noteIndexed(path: FieldPath, candidates: number): void
  /** Reports a filter on `path` that groq-js answers by testing `scanned` documents. */
  noteUnindexed(path: FieldPath, scanned: number): void
  /** The index bucket whose changes can change `whereEquals(path, value)` (cache invalidation). */
  dependency(path: FieldPath, value: IndexableValue): string
  /** A superset of the visible documents that reference `id`, in dataset order. */
  referencing(id: string): readonly VisibleDocument[]
  /**
   * A superset of the visible documents whose words (their strings and `_id`) hold, for every
   * `match` term, a token the term matches; in dataset order. Undefined (as for `textMatches`)
   * while the text index is still being built: the planner then leaves `match` to groq-js.
   */
  textCandidates(terms: readonly string[]): readonly VisibleDocument[] | undefined
  /**
   * Exactly the visible documents for which groq-js's `L match terms` is true, where L is all of
   * the document's strings (`text::query`'s `@`) and, with `withId`, its visible `_id`.
   */
  textMatches(terms: readonly string[], withId: boolean): TextMatch | undefined
  /** A superset of the visible documents whose `_id` starts with `prefix`, in dataset order. */
  idPrefix(prefix: string): readonly VisibleDocument[] | undefined
  /** The text index once it is ready (`textPage.ts` pages the Studio's search by its ordinals). */
  textIndex(): TextIndex | undefined
  /**
   * Memoised candidate lists for combined predicates, valid until the next commit. Keys are the
   * planner's canonical predicate strings.
   */
  readonly planMemo: Map<string, PlanMemoEntry>
  /**
   * Whether bodies beyond the mirror's document cache are read from disk on demand (a dataset
   * larger than the cache): then the planner answers exact filters from ids (`ids.ts`) and
   * reads only the bodies an answer returns.
   */
  readonly readsOnDemand: boolean
  /**
   * Exactly the documents `whereEquals` returns, as the stored ids behind them (in the drafts
   * perspective a draft's id where the draft is shown), in dataset order, without reading a
   * body; undefined when the path has no index.
   */
  storedIdsWhereEquals(path: FieldPath, value: IndexableValue): readonly string[] | undefined
  /**
   * For a stored id this view shows (one `storedIdsWhereEquals` returned): whether its visible
   * document's value at `path` equals `value`, from ids alone; undefined when the path has no index.
   */
  storedIdTest(path: FieldPath, value: IndexableValue): ((storedId: string) => boolean) | undefined
  /** The visible documents behind stored ids this view shows, in their order: only their bodies are read. */
  documentsOf(storedIds: readonly string[]): VisibleDocument[]
  /** The `_id` a stored id's document has in this view. */
  visibleId(storedId: string): string
  /**
   * A stored id's sort key at `path` as `order()` reads it from the visible document (null for
   * anything that is not a string, number or boolean), without its body: for `_id`, `_originalId`
   * (drafts) and the mirror's ordered fields; undefined for other paths.
   */
  sortKeyOf(path: FieldPath): ((storedId: string) => unknown) | undefined
  /** Memoised answers as stored ids (`readsOnDemand`), valid until a commit touches their deps. */
  readonly idMemo: Map<string, IdMemoEntry>
  /** `all().length` from ids alone (`count(*)`), kept until the next commit. */
  countAll(): number
  /** The stored ids behind `all()`, in its order, without reading a body; kept until the next commit. */
  allStoredIds(): readonly string[]
}

/** A memoised planner answer as stored ids, and the index buckets it was computed from. */
export interface IdMemoEntry {
  deps: readonly string[]
  ids: readonly string[]
}

/** `textMatches`: an exact test, an upper bound, and the matching documents when asked. */
export interface TextMatch {
  estimate: number
  test(doc: VisibleDocument): boolean
  /**
   * `test` for the documents of one list, by position: the list's ordinals are looked up once
   * and kept while the list and the index's ordinals last (a Studio list searched keystroke
   * after keystroke tests the same type's list each time).
   */
  testIn(docs: readonly VisibleDocument[]): (doc: VisibleDocument, position: number) => boolean
  /** The matching documents in dataset order (built only when the plan starts from them). */
  candidates(): readonly VisibleDocument[]
}

/** A memoised planner answer and the index buckets (`bucketKey`) it was computed from. */
export interface PlanMemoEntry {
  deps: readonly string[]
  docs: readonly VisibleDocument[]
}

// Overlaid documents are cached by the stored object they came from: stored documents are
// immutable, so the overlay stays right until the stored document is replaced.
const draftOverlays = new WeakMap<StoredDocument, VisibleDocument>()
const publishedOverlays = new WeakMap<StoredDocument, VisibleDocument>()

function overlayDraft(draft: StoredDocument): VisibleDocument {
  let overlaid = draftOverlays.get(draft)
  if (!overlaid) {
    overlaid = {...draft, _id: draft._id.slice(DRAFTS_PREFIX.length), _originalId: draft._id}
    draftOverlays.set(draft, overlaid)
  }
  return overlaid
}

function overlayPublished(doc: StoredDocument): VisibleDocument {
  let overlaid = publishedOverlays.get(doc)
  if (!overlaid) {
    overlaid = {...doc, _originalId: doc._id}
    publishedOverlays.set(doc, overlaid)
  }
  return overlaid
}

const MAX_MEMO_ENTRIES = 512

/**
 * The text index ordinals of a candidate list's stored documents (-1: not indexed), per list
 * object: lists are memoised per view until a commit touches them, so a list searched again
 * costs no id lookups. Valid while the index hands out the same ordinals (`ordinalEpoch`).
 */
const listOrdinals = new WeakMap<
  readonly VisibleDocument[],
  {index: TextIndex; epoch: number; drafts: boolean; ordinals: Int32Array}
>()
const ID_PATH: FieldPath = ['_id']

interface ViewCache {
  generation: number
  all: VisibleDocument[] | undefined
  /** Text matches enumerated since the last commit (see `textMatches`). */
  textEnumerations: number
  /**
   * The whole dataset when the mirror does not keep every body (a million documents): held
   * only until the next garbage collection, so a scan does not pin them all between queries.
   */
  weakAll: WeakRef<VisibleDocument[]> | undefined
  /** `allStoredIds()`, until the next commit. */
  allIds: readonly string[] | undefined
  memo: Map<string, readonly VisibleDocument[]>
  planMemo: Map<string, PlanMemoEntry>
  /** Per index bucket (`bucketKey`): the stored ids behind the visible documents in it. */
  idLists: Map<string, readonly string[]>
  idMemo: Map<string, IdMemoEntry>
}

/**
 * Ids held by a view's id memos at most: an id is a pointer to a string the mirror keeps anyway
 * (4 bytes with pointer compression), so this is about 16 MB per (perspective, reader).
 */
const MAX_MEMO_IDS = 4_000_000

/** A memo bounded by entry count and by the ids its entries hold; a newcomer past it starts over. */
class IdMemo<V> extends Map<string, V> {
  private held = 0
  private readonly sizeOf: (value: V) => number

  constructor(sizeOf: (value: V) => number) {
    super()
    this.sizeOf = sizeOf
  }

  override set(key: string, value: V): this {
    const size = this.sizeOf(value)
    if (size > MAX_MEMO_IDS / 4) return this
    if (this.size >= MAX_MEMO_ENTRIES || this.held + size > MAX_MEMO_IDS) this.clear()
    const previous = super.get(key)
    if (previous !== undefined) this.held -= this.sizeOf(previous)
    this.held += size
    return super.set(key, value)
  }

  override delete(key: string): boolean {
    const previous = super.get(key)
    if (previous !== undefined) this.held -= this.sizeOf(previous)
    return super.delete(key)
  }

  override clear(): void {
    this.held = 0
    super.clear()
  }
}

/**
 * A memo of answers that hold documents. When the mirror keeps every body it is bounded by entry
 * count only (`MAX_MEMO_ENTRIES`); when bodies are read on demand, the documents its answers keep
 * alive are capped at the mirror's document cache size too: an answer larger than a quarter of
 * that is not kept, and one that would pass the cap starts the memo over.
 */
class DocumentMemo<V> extends Map<string, V> {
  private held = 0
  private readonly mirror: DocumentMirror
  private readonly sizeOf: (value: V) => number

  constructor(mirror: DocumentMirror, sizeOf: (value: V) => number) {
    super()
    this.mirror = mirror
    this.sizeOf = sizeOf
  }

  override set(key: string, value: V): this {
    const size = this.sizeOf(value)
    if (!this.mirror.holdsAll) {
      const budget = this.mirror.documentCacheSize
      if (size > budget / 4) return this
      if (this.held + size > budget) this.clear()
    }
    const previous = super.get(key)
    if (previous !== undefined) this.held -= this.sizeOf(previous)
    this.held += size
    return super.set(key, value)
  }

  override delete(key: string): boolean {
    const previous = super.get(key)
    if (previous !== undefined) this.held -= this.sizeOf(previous)
    return super.delete(key)
  }

  override clear(): void {
    this.held = 0
    super.clear()
  }
}

/** Merge two sorted, possibly overlapping id lists into one sorted list without duplicates. */
function mergeUnique(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const x = a[i]
    const y = b[j]
    if (y === undefined || (x !== undefined && x < y)) {
      out.push(x as string)
      i++
    } else if (x === undefined || y < x) {
      out.push(y)
      j++
    } else {
      out.push(x)
      i++
      j++
    }
  }
  return out
}

class MirrorView implements DatasetView {
  readonly perspective: Perspective
  private readonly mirror: DocumentMirror
  private readonly canRead: (id: string) => boolean
  private readonly cache: ViewCache

  constructor(
    perspective: Perspective,
    mirror: DocumentMirror,
    canRead: (id: string) => boolean,
    cache: ViewCache,
  ) {
    this.perspective = perspective
    this.mirror = mirror
    this.canRead = canRead
    this.cache = cache
    if (cache.generation !== mirror.generation) {
      // Catch up with the commits since this cache was filled: drop only the answers built from
      // buckets those commits touched, so writes to one type leave other types' caches warm.
      const touched = mirror.touchedSince(cache.generation)
      cache.generation = mirror.generation
      cache.all = undefined
      cache.textEnumerations = 0
      cache.weakAll = undefined
      cache.allIds = undefined
      if (!touched) {
        cache.memo.clear()
        cache.planMemo.clear()
        cache.idLists.clear()
        cache.idMemo.clear()
      } else if (touched.size > 0) {
        for (const key of cache.memo.keys()) if (touched.has(key)) cache.memo.delete(key)
        for (const key of cache.idLists.keys()) if (touched.has(key)) cache.idLists.delete(key)
        for (const [key, entry] of cache.planMemo) {
          if (entry.deps.some((dep) => touched.has(dep))) cache.planMemo.delete(key)
        }
        for (const [key, entry] of cache.idMemo) {
          if (entry.deps.some((dep) => touched.has(dep))) cache.idMemo.delete(key)
        }
      }
    }
    if (cache.planMemo.size >= MAX_MEMO_ENTRIES) cache.planMemo.clear()
  }

  get planMemo(): Map<string, PlanMemoEntry> {
    return this.cache.planMemo
  }

  get idMemo(): Map<string, IdMemoEntry> {
    return this.cache.idMemo
  }

  get readsOnDemand(): boolean {
    return !this.mirror.holdsAll
  }

  /** The stored id behind the visible document `id` (what `get` would return), from ids only. */
  private storedIdOf(id: string): string | undefined {
    const readable = (storedId: string) =>
      this.mirror.has(storedId) && this.canRead(storedId) ? storedId : undefined
    switch (this.perspective) {
      case 'raw':
        return readable(id)
      case 'published':
        return isPublishedId(id) ? readable(id) : undefined
      case 'drafts':
        return isPublishedId(id) ? (readable(DRAFTS_PREFIX + id) ?? readable(id)) : undefined
    }
  }

  visibleId(storedId: string): string {
    return this.perspective === 'drafts' && isDraftId(storedId)
      ? storedId.slice(DRAFTS_PREFIX.length)
      : storedId
  }

  storedIdsWhereEquals(path: FieldPath, value: IndexableValue): readonly string[] | undefined {
    if (this.isOriginalIdPath(path)) {
      if (typeof value !== 'string') return []
      return this.storedIdOf(getPublishedId(value)) === value ? [value] : []
    }
    if (path.length === 1 && path[0] === '_id') {
      const stored = typeof value === 'string' ? this.storedIdOf(value) : undefined
      return stored === undefined ? [] : [stored]
    }
    const memoKey = bucketKey(path, value)
    const memoised = this.cache.idLists.get(memoKey)
    if (memoised) return memoised
    const ids = this.mirror.lookup(path, value)
    if (!ids) return undefined
    const result = this.visibleStoredIds(ids)
    if (this.cache.idLists.size >= MAX_MEMO_ENTRIES) this.cache.idLists.clear()
    this.cache.idLists.set(memoKey, result)
    return result
  }

  storedIdTest(
    path: FieldPath,
    value: IndexableValue,
  ): ((storedId: string) => boolean) | undefined {
    if (this.isOriginalIdPath(path)) return (storedId) => storedId === value
    if (path.length === 1 && path[0] === '_id') {
      return (storedId) => this.visibleId(storedId) === value
    }
    // A visible document's body is its stored document's (the overlay only changes `_id` and
    // adds `_originalId`), so the raw bucket answers for it.
    return this.mirror.bucketTest(path, value)
  }

  /**
   * The stored ids behind the visible documents among sorted stored `ids`, in dataset order. In
   * the drafts perspective a readable draft stands for its published id, and a published id
   * counts only when no readable draft replaces it.
   */
  private visibleStoredIds(ids: readonly string[]): readonly string[] {
    if (this.perspective !== 'drafts') {
      const publishedOnly = this.perspective === 'published'
      const visible = ids.filter((id) => (!publishedOnly || isPublishedId(id)) && this.canRead(id))
      // Nothing left out: the mirror's own list (never modified, replaced on change) is kept
      // instead of a copy, so memoised lists cost no memory of their own.
      return visible.length === ids.length ? ids : visible
    }
    const drafts: string[] = []
    const published: string[] = []
    for (const id of ids) {
      if (isDraftId(id)) {
        if (this.canRead(id)) drafts.push(id)
      } else if (!isVersionId(id) && this.canRead(id)) {
        const draftId = DRAFTS_PREFIX + id
        if (!(this.mirror.has(draftId) && this.canRead(draftId))) published.push(id)
      }
    }
    if (drafts.length === 0) return published
    // Both lists are in visible id order (drafts share their prefix): merged by visible id, and
    // never equal (a published id is kept only when no readable draft stands for it).
    const out: string[] = []
    let i = 0
    let j = 0
    while (i < published.length || j < drafts.length) {
      const p = published[i]
      const d = drafts[j]
      if (d === undefined || (p !== undefined && p < d.slice(DRAFTS_PREFIX.length))) {
        out.push(p as string)
        i++
      } else {
        out.push(d)
        j++
      }
    }
    return out
  }

  documentsOf(storedIds: readonly string[]): VisibleDocument[] {
    const bodies =
      storedIds.length === 1
        ? [this.mirror.get(storedIds[0] as string)]
        : this.mirror.getMany(storedIds)
    const out: VisibleDocument[] = []
    const drafts = this.perspective === 'drafts'
    for (let i = 0; i < storedIds.length; i++) {
      const doc = bodies[i]
      if (!doc) continue
      out.push(drafts ? (isDraftId(doc._id) ? overlayDraft(doc) : overlayPublished(doc)) : doc)
    }
    return out
  }

  sortKeyOf(path: FieldPath): ((storedId: string) => unknown) | undefined {
    if (path.length === 1 && path[0] === '_id') return (storedId) => this.visibleId(storedId)
    if (this.isOriginalIdPath(path)) return (storedId) => storedId
    const keys = this.mirror.sortKeys(path)
    return keys && ((storedId) => keys.get(storedId) ?? null)
  }

  get(id: string): VisibleDocument | null {
    switch (this.perspective) {
      case 'raw':
        return this.readable(id)
      case 'published':
        return isPublishedId(id) ? this.readable(id) : null
      case 'drafts':
        return isPublishedId(id) ? this.overlaid(id) : null
    }
  }

  all(): readonly VisibleDocument[] {
    if (this.cache.all) return this.cache.all
    const held = this.cache.weakAll?.deref()
    if (held) return held
    const all = this.fromSortedIds(this.mirror.sortedIds)
    if (this.mirror.holdsAll) this.cache.all = all
    else this.cache.weakAll = new WeakRef(all)
    return all
  }

  countAll(): number {
    const held = this.cache.all ?? this.cache.weakAll?.deref()
    if (held) return held.length
    return this.allStoredIds().length
  }

  allStoredIds(): readonly string[] {
    this.cache.allIds ??= this.visibleStoredIds(this.mirror.sortedIds)
    return this.cache.allIds
  }

  sizeBound(): number {
    return (this.cache.all ?? this.cache.weakAll?.deref())?.length ?? this.mirror.size
  }

  whereEquals(path: FieldPath, value: IndexableValue): readonly VisibleDocument[] | undefined {
    if (this.isOriginalIdPath(path)) {
      const doc = typeof value === 'string' ? this.get(getPublishedId(value)) : null
      return doc && doc._originalId === value ? [doc] : []
    }
    const memoKey = bucketKey(path, value)
    const memoised = this.cache.memo.get(memoKey)
    if (memoised) return memoised
    let result: VisibleDocument[]
    if (path.length === 1 && path[0] === '_id') {
      const doc = typeof value === 'string' ? this.get(value) : null
      result = doc ? [doc] : []
    } else {
      const ids = this.mirror.lookup(path, value)
      if (!ids) return undefined
      result = this.fromSortedIds(ids)
      // In the drafts perspective a published id can be in the bucket while its draft (which
      // replaces it) is not: checking the overlaid document keeps the answer exact.
      if (this.perspective === 'drafts') {
        result = result.filter((doc) => valueAtPath(doc, path) === value)
      }
    }
    if (this.cache.memo.size >= MAX_MEMO_ENTRIES) this.cache.memo.clear()
    this.cache.memo.set(memoKey, result)
    return result
  }

  estimateEquals(path: FieldPath, value: IndexableValue): number | undefined {
    if (path.length === 1 && path[0] === '_id') return 1
    if (this.isOriginalIdPath(path)) return 1
    return this.mirror.count(path, value)
  }

  noteQuery(): void {
    this.mirror.noteQuery()
  }

  noteIndexed(path: FieldPath, candidates: number): void {
    if (!this.isOriginalIdPath(path) && !(path.length === 1 && path[0] === '_id')) {
      this.mirror.noteIndexed(path, candidates)
    }
  }

  noteUnindexed(path: FieldPath, scanned: number): void {
    this.mirror.noteUnindexed(path, scanned)
  }

  dependency(path: FieldPath, value: IndexableValue): string {
    // A commit to either document of a draft pair touches both ids' `_id` buckets (the mirror's
    // `touch`), which is exactly what can change which one `_originalId` names.
    return this.isOriginalIdPath(path) ? bucketKey(ID_PATH, value) : bucketKey(path, value)
  }

  /**
   * `_originalId` in the drafts perspective: a field the view adds (the stored id behind each
   * visible document), which no stored document, and so no index, has. Answered from the ids.
   */
  private isOriginalIdPath(path: FieldPath): boolean {
    return this.perspective === 'drafts' && path.length === 1 && path[0] === '_originalId'
  }

  referencing(id: string): readonly VisibleDocument[] {
    const memoKey = bucketKey(REFERENCES, id)
    let result = this.cache.memo.get(memoKey)
    if (!result) {
      result = this.fromSortedIds(this.mirror.referencing(id))
      if (this.cache.memo.size >= MAX_MEMO_ENTRIES) this.cache.memo.clear()
      this.cache.memo.set(memoKey, result)
    }
    return result
  }

  textCandidates(terms: readonly string[]): readonly VisibleDocument[] | undefined {
    const index = this.mirror.textIndex()
    if (!index) return undefined
    const ids = index.candidates(terms)
    // Strings only: the default sort's UTF-16 order is `<`'s, without a comparator call each.
    ids.sort()
    // In the drafts perspective a matching draft or published id names the visible document of
    // its pair, which groq-js then tests: a superset, as promised.
    return this.fromSortedIds(ids)
  }

  textMatches(terms: readonly string[], withId: boolean): TextMatch | undefined {
    // groq-js's match is false without a pattern.
    if (terms.length === 0) {
      return {estimate: 0, test: () => false, testIn: () => () => false, candidates: () => []}
    }
    const index = this.mirror.textIndex()
    if (!index) return undefined
    const perTerm = terms.map((term) => index.termDocuments(term))
    // Two bitmaps over stored documents: `possible`, a word for every term in their strings or
    // ids (a superset: the ids hold both the stored and the published id's words), and `certain`,
    // a word for every term in their strings alone (a match whatever the visible `_id`). Most
    // documents are decided by one byte of either, without a regular expression.
    const limit = index.ordinalLimit
    const possible = new Uint8Array(limit).fill(1)
    const certain = new Uint8Array(limit).fill(1)
    for (const {content, ids} of perTerm) {
      for (let i = 0; i < limit; i++) {
        const inContent = content[i] as number
        certain[i] = (certain[i] as number) & inContent
        possible[i] = (possible[i] as number) & (inContent | (withId ? (ids[i] as number) : 0))
      }
    }
    let estimate = 0
    for (let i = 0; i < limit; i++) estimate += possible[i] as number
    /**
     * Exactly, for the stored document at `ordinal` (undefined: not indexed) shown as `visibleId`:
     * its own strings, or the visible `_id` (which in the drafts perspective may be the other id
     * of the pair, hence the regular expressions for the few documents the bitmaps leave open).
     */
    const decide = (ordinal: number | undefined, visibleId: string): boolean => {
      if (ordinal !== undefined) {
        if (possible[ordinal] === 0) return false
        if (certain[ordinal] === 1) return true
      }
      let idTokens: string[] | undefined
      return perTerm.every(({regex, content, ids}) => {
        if (ordinal !== undefined && content[ordinal] === 1) return true
        if (!withId || (ordinal !== undefined && ids[ordinal] === 0)) return false
        idTokens ??= matchTokens(visibleId)
        return idTokens.some((token) => regex.test(token))
      })
    }
    const drafts = this.perspective === 'drafts'
    const storedId = (doc: VisibleDocument) => (drafts ? (doc._originalId ?? doc._id) : doc._id)
    const test = (doc: VisibleDocument): boolean => decide(index.ordinal(storedId(doc)), doc._id)
    const testIn = (docs: readonly VisibleDocument[]) => {
      let known = listOrdinals.get(docs)
      if (
        !known ||
        known.index !== index ||
        known.epoch !== index.ordinalEpoch ||
        known.drafts !== drafts
      ) {
        const ordinals = new Int32Array(docs.length)
        for (let i = 0; i < docs.length; i++) {
          ordinals[i] = index.ordinal(storedId(docs[i] as VisibleDocument)) ?? -1
        }
        known = {index, epoch: index.ordinalEpoch, drafts, ordinals}
        listOrdinals.set(docs, known)
      }
      const {ordinals} = known
      return (doc: VisibleDocument, position: number): boolean => {
        const ordinal = ordinals[position] as number
        return decide(ordinal === -1 ? undefined : ordinal, doc._id)
      }
    }
    return {
      estimate,
      test,
      testIn,
      candidates: () => {
        // Searched again before the next commit: the whole visible list, tested by its kept
        // ordinals, gives the matches in order without a sort or a lookup per match. It costs an
        // ordinal lookup per document once per commit, so the first search after one does not
        // pay for it.
        if (this.cache.all || ++this.cache.textEnumerations >= 2) {
          const all = this.all()
          const inAll = testIn(all)
          return all.filter((doc, position) => inAll(doc, position))
        }
        const storedIds: string[] = []
        for (let i = 0; i < limit; i++) {
          if (possible[i] !== 1) continue
          const id = index.idOf(i)
          // Outside the drafts perspective a document shows its stored id: decided here, by
          // ordinal, rather than looked up again per document.
          if (id !== undefined && (drafts || decide(i, id))) storedIds.push(id)
        }
        // Every element is a string: the default sort compares UTF-16 code units, as `<` does,
        // without calling back into a comparator (several times faster).
        storedIds.sort()
        const visible = this.fromSortedIds(storedIds)
        return drafts ? visible.filter(test) : visible
      },
    }
  }

  textIndex(): TextIndex | undefined {
    return this.mirror.textIndex()
  }

  idPrefix(prefix: string): readonly VisibleDocument[] | undefined {
    // In the drafts perspective visible ids are published ids: a prefix of them spans two
    // ranges of the stored ids. Rare enough in practice to leave to the full scan.
    if (this.perspective === 'drafts') return undefined
    return this.fromSortedIds(this.mirror.idsWithPrefix(prefix))
  }

  /**
   * When bodies are read on demand, those of `ids` (and, in the drafts perspective, of the other
   * document of each pair) read in batches up front rather than one statement each.
   */
  private prefetch(ids: readonly string[]): Map<string, StoredDocument> | undefined {
    if (this.mirror.holdsAll || ids.length < 8) return undefined
    let wanted: string[]
    if (this.perspective === 'drafts') {
      wanted = []
      for (const id of ids) {
        if (isVersionId(id)) continue
        const publishedId = isDraftId(id) ? id.slice(DRAFTS_PREFIX.length) : id
        for (const pairId of [publishedId, DRAFTS_PREFIX + publishedId]) {
          if (this.mirror.has(pairId) && this.canRead(pairId)) wanted.push(pairId)
        }
      }
    } else {
      const publishedOnly = this.perspective === 'published'
      wanted = ids.filter((id) => (!publishedOnly || isPublishedId(id)) && this.canRead(id))
    }
    const docs = this.mirror.getMany(wanted)
    const out = new Map<string, StoredDocument>()
    for (let i = 0; i < wanted.length; i++) {
      const doc = docs[i]
      if (doc) out.set(wanted[i] as string, doc)
    }
    return out
  }

  /** Visible documents for a sorted list of stored ids, in dataset order. */
  private fromSortedIds(ids: readonly string[]): VisibleDocument[] {
    const out: VisibleDocument[] = []
    const fetched = this.prefetch(ids)
    if (this.perspective !== 'drafts') {
      const publishedOnly = this.perspective === 'published'
      for (const id of ids) {
        if (publishedOnly && !isPublishedId(id)) continue
        const doc = fetched ? (fetched.get(id) ?? null) : this.readable(id)
        if (doc) out.push(doc)
      }
      return out
    }
    // Drafts: published ids in order, and draft ids with the prefix removed (also in order, as
    // they share the prefix), merged into the visible id order.
    const published: string[] = []
    const drafts: string[] = []
    for (const id of ids) {
      if (isDraftId(id)) drafts.push(id.slice(DRAFTS_PREFIX.length))
      else if (!isVersionId(id)) published.push(id)
    }
    const baseIds = drafts.length === 0 ? published : mergeUnique(published, drafts)
    for (const id of baseIds) {
      const doc = this.overlaid(id, fetched)
      if (doc) out.push(doc)
    }
    return out
  }

  private readable(id: string, fetched?: Map<string, StoredDocument>): StoredDocument | null {
    // Prefetched bodies are the readable ones already.
    if (fetched) return fetched.get(id) ?? null
    const doc = this.mirror.get(id)
    return doc && this.canRead(id) ? doc : null
  }

  /** The drafts perspective's document for a published id: the readable draft, else published. */
  private overlaid(
    publishedId: string,
    fetched?: Map<string, StoredDocument>,
  ): VisibleDocument | null {
    const draft = this.readable(DRAFTS_PREFIX + publishedId, fetched)
    if (draft) return overlayDraft(draft)
    const published = this.readable(publishedId, fetched)
    return published ? overlayPublished(published) : null
  }
}

/**
 * Hands out views, caching their datasets per (perspective, reader) until the next commit. A
 * reader is identified by `accessKey` when given, else by the identity of its `canRead` function:
 * callers that reuse one function per role share caches.
 */
export class ViewRegistry {
  private readonly byFunction = new WeakMap<object, Map<Perspective, ViewCache>>()
  private readonly byKey = new Map<string, Map<Perspective, ViewCache>>()

  private readonly mirror: DocumentMirror

  constructor(mirror: DocumentMirror) {
    this.mirror = mirror
  }

  view(
    perspective: Perspective,
    canRead: (id: string) => boolean,
    accessKey?: string,
  ): DatasetView {
    let caches: Map<Perspective, ViewCache> | undefined
    if (accessKey !== undefined) {
      caches = this.byKey.get(accessKey)
      if (!caches) this.byKey.set(accessKey, (caches = new Map()))
    } else {
      caches = this.byFunction.get(canRead)
      if (!caches) this.byFunction.set(canRead, (caches = new Map()))
    }
    let cache = caches.get(perspective)
    if (!cache) {
      cache = {
        generation: -1,
        all: undefined,
        textEnumerations: 0,
        weakAll: undefined,
        allIds: undefined,
        memo: new DocumentMemo(this.mirror, (docs) => docs.length),
        planMemo: new DocumentMemo(this.mirror, (entry) => entry.docs.length),
        idLists: new IdMemo((ids) => ids.length),
        idMemo: new IdMemo((entry) => entry.ids.length),
      }
      caches.set(perspective, cache)
    }
    return new MirrorView(perspective, this.mirror, canRead, cache)
  }
}
