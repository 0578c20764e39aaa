import {getPublishedId} from './ids'
import type {StoredDocument} from './types'

/**
 * An inverted index of the words (groq-js's `match` tokens) in every stored document, for the
 * planner's `match` / `text::query()` prefilter. It only ever names candidates: groq-js's own
 * `match` still decides over them, so answers stay exactly plain groq-js's.
 *
 * Postings are `Uint32Array`s of document ordinals (4 bytes a posting, not a string id), packed
 * per segment (`TextSegment`), because memory per document is what limits the mirror (the
 * million-document goal). The index is saved with the mirror's snapshot and restored with it, or
 * built in slices in the background (`buildSome`); see `server/store/README.md`.
 */

// groq-js 1.x's tokenizer and pattern syntax (`matchTokenize`, `matchPatternRegex` in its
// shared chunk, not exported): the index must cut text exactly where groq-js cuts it.
const CHARS = /([^!@#$%^&*(),\\/?";:{}|[\]+<>\s-])+/g
const CHARS_WITH_WILDCARD = /([^!@#$%^&(),\\/?";:{}|[\]+<>\s-])+/g
const EDGE_CHARS = /(\b\.+|\.+\b)/g

export function matchTokens(text: string): string[] {
  return text.replace(EDGE_CHARS, '').match(CHARS) ?? []
}

/** The terms of one `match` pattern string, as groq-js splits it (each must match a token). */
export function patternTerms(pattern: string): string[] {
  return (pattern.replace(EDGE_CHARS, '').match(CHARS_WITH_WILDCARD) ?? []).map((term) =>
    term.slice(0, 1024),
  )
}

/** The regular expression groq-js tests tokens with for one term (`*` any run, `.` any char). */
export function termRegex(term: string): RegExp {
  return new RegExp(`^${term.replace(/\*/g, '.*')}$`, 'i')
}

/**
 * A case fold that agrees with a non-unicode `/i` regular expression, one UTF-16 unit at a time
 * (ECMAScript's Canonicalize): two units match under `/i` exactly when their folds are equal.
 * `toUpperCase` of a whole string would differ (`ß` becomes `SS`).
 */
function fold(text: string): string {
  if (/^[\u0000-\u007f]*$/.test(text)) return text.toUpperCase()
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const unit = text[i] as string
    const upper = unit.toUpperCase()
    out +=
      upper.length !== 1 || (unit.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? unit : upper
  }
  return out
}

/** One term's documents, as ordinals: by their strings, and by their ids. */
export interface TermDocuments {
  regex: RegExp
  content: Uint8Array
  ids: Uint8Array
}

/** Every string in a document except under `_`-prefixed keys (`deepText`'s strings). */
function* documentStrings(doc: StoredDocument): Generator<string> {
  // An explicit stack: documents are user data.
  const stack: unknown[] = [doc]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value === 'string') yield value
    else if (Array.isArray(value)) for (const item of value as unknown[]) stack.push(item)
    else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (!key.startsWith('_')) stack.push((value as Record<string, unknown>)[key])
      }
    }
  }
}

/**
 * The words a document can match with: its strings (as `text::query`'s `@` sees them; attribute
 * paths the planner prefilters, `title match …`, read a subset of them), and apart, its `_id`
 * both stored and as the drafts perspective shows it (`drafts.a` tokenises as `draftsa`).
 */
function documentWords(doc: StoredDocument): {content: Set<string>; ids: Set<string>} {
  const content = new Set<string>()
  for (const text of documentStrings(doc)) for (const token of matchTokens(text)) content.add(token)
  const ids = new Set<string>(matchTokens(doc._id))
  for (const token of matchTokens(getPublishedId(doc._id))) ids.add(token)
  return {content, ids}
}

/**
 * A frozen part of the index: its distinct words sorted by fold (then by themselves), and per word
 * the documents holding it, as ordinals, packed: word i's are
 * `contentPostings[contentOffsets[i] .. contentOffsets[i + 1]]` (in its strings), likewise
 * `idPostings` (in its `_id`). No object per word: at a million documents most words (numbers,
 * names) occur in one document, and an object or a typed array each cost more than the posting.
 */
export interface TextSegment {
  words: string[]
  contentOffsets: Uint32Array
  contentPostings: Uint32Array
  idOffsets: Uint32Array
  idPostings: Uint32Array
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Positions of `words` in segment order: by fold, then by the word itself. */
function segmentOrder(words: readonly string[]): number[] {
  const folds = words.map(fold)
  const order = Array.from({length: words.length}, (_, i) => i)
  order.sort(
    (a, b) =>
      compareStrings(folds[a] as string, folds[b] as string) ||
      compareStrings(words[a] as string, words[b] as string),
  )
  return order
}

/** Postings of a batch of documents, searched as they are, until frozen into a segment. */
class SegmentBuilder {
  private readonly words = new Map<string, {content: number[]; ids: number[]}>()
  documents = 0

  add(ordinal: number, words: {content: Set<string>; ids: Set<string>}): void {
    this.documents++
    for (const word of words.content) this.entry(word).content.push(ordinal)
    for (const word of words.ids) this.entry(word).ids.push(ordinal)
  }

  private entry(word: string): {content: number[]; ids: number[]} {
    let entry = this.words.get(word)
    if (!entry) {
      entry = {content: [], ids: []}
      this.words.set(word, entry)
    }
    return entry
  }

  /** Every word (each one tested: a builder holds few documents) a term's regex matches. */
  forEachMatch(
    regex: RegExp,
    visit: (content: readonly number[], ids: readonly number[]) => void,
  ): void {
    for (const [word, {content, ids}] of this.words) if (regex.test(word)) visit(content, ids)
  }

  freeze(): TextSegment {
    const keys = [...this.words.keys()]
    const order = segmentOrder(keys)
    let contentTotal = 0
    let idTotal = 0
    for (const entry of this.words.values()) {
      contentTotal += entry.content.length
      idTotal += entry.ids.length
    }
    const segment: TextSegment = {
      words: new Array<string>(keys.length),
      contentOffsets: new Uint32Array(keys.length + 1),
      contentPostings: new Uint32Array(contentTotal),
      idOffsets: new Uint32Array(keys.length + 1),
      idPostings: new Uint32Array(idTotal),
    }
    let c = 0
    let d = 0
    for (let r = 0; r < order.length; r++) {
      const word = keys[order[r] as number] as string
      const entry = this.words.get(word) as {content: number[]; ids: number[]}
      segment.words[r] = word
      segment.contentPostings.set(entry.content, c)
      c += entry.content.length
      segment.idPostings.set(entry.ids, d)
      d += entry.ids.length
      segment.contentOffsets[r + 1] = c
      segment.idOffsets[r + 1] = d
    }
    return segment
  }
}

/** The first position in `words` (sorted by fold) whose fold is not below `folded`. */
function foldLowerBound(words: readonly string[], folded: string): number {
  let lo = 0
  let hi = words.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (fold(words[mid] as string) < folded) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Positions of the words of `segment` one groq-js term matches, found from its literal prefix. */
function segmentMatches(
  segment: TextSegment,
  term: string,
  regex: RegExp,
  visit: (position: number) => void,
): void {
  const words = segment.words
  const wild = term.search(/[*.]/)
  if (wild === 0) {
    // A term starting with a wildcard: no prefix to range over, so every word is tested.
    for (let i = 0; i < words.length; i++) if (regex.test(words[i] as string)) visit(i)
    return
  }
  // Folding is per UTF-16 unit, so the fold of a prefix is a prefix of the fold.
  const folded = fold(wild === -1 ? term : term.slice(0, wild))
  for (let i = foldLowerBound(words, folded); i < words.length; i++) {
    const word = words[i] as string
    const wordFold = fold(word)
    if (wild === -1 ? wordFold !== folded : !wordFold.startsWith(folded)) break
    if (regex.test(word)) visit(i)
  }
}

/** Base documents read per statement while building. */
const BUILD_BATCH = 64
/** Documents per segment built in the background: freezing one holds the event loop briefly. */
const BUILD_SEGMENT_DOCUMENTS = 8192
/** Documents written since the last snapshot that are searched unfrozen before freezing. */
const LIVE_DOCUMENTS = 2048

/**
 * Where ordinals come from: the base, the sorted ids the index was built or restored over (an
 * ordinal is the position, found by binary search, so no id-to-ordinal map of a million entries),
 * then one new ordinal per document written since (`extraIds`). A written or deleted document's
 * old ordinal is dead: its postings stay in their segment and are skipped (`idOf` is undefined),
 * so a write never needs the previous body. Ordinals are never reused; a snapshot compacts them.
 */
export class TextIndex {
  private baseIds: readonly string[]
  private dead: Uint8Array
  private extraIds: (string | undefined)[] = []
  private extraOrdinals = new Map<string, number>()
  private segments: TextSegment[]
  private live = new SegmentBuilder()
  /** The background build: base ordinals from `cursor` on are not indexed yet. */
  private build: {cursor: number; builder: SegmentBuilder} | undefined
  /** Counts changes to which id has which ordinal, so lists of ordinals can be kept meanwhile. */
  ordinalEpoch = 0

  private constructor(baseIds: readonly string[], segments: TextSegment[], building: boolean) {
    this.baseIds = baseIds
    this.dead = new Uint8Array(baseIds.length)
    this.segments = segments
    this.build = building ? {cursor: 0, builder: new SegmentBuilder()} : undefined
  }

  /** An index of `docs`, built at once (tests and small in-memory uses). */
  static of(docs: Iterable<StoredDocument>): TextIndex {
    const byId = new Map<string, StoredDocument>()
    for (const doc of docs) byId.set(doc._id, doc)
    const index = TextIndex.building([...byId.keys()].sort())
    index.buildSome((ids) => ids.map((id) => byId.get(id)), Infinity)
    return index
  }

  /** An index over `ids` (sorted, unique) that `buildSome` fills in slices. */
  static building(ids: readonly string[]): TextIndex {
    return new TextIndex(ids, [], true)
  }

  /**
   * The index a snapshot saved over its sorted `ids`, without the documents in `changed` (written
   * since: the caller re-adds them with `update`); undefined when `saved` does not hold together.
   */
  static restore(
    ids: readonly string[],
    saved: unknown,
    changed: Iterable<string>,
  ): TextIndex | undefined {
    if (!isSegment(saved, ids.length)) return undefined
    const index = new TextIndex(ids, [saved], false)
    for (const id of changed) {
      const at = index.basePosition(id)
      if (at !== undefined) index.dead[at] = 1
    }
    return index
  }

  /** Whether every document is indexed (until then the planner leaves `match` to groq-js). */
  get ready(): boolean {
    return this.build === undefined
  }

  /**
   * Indexes base documents, `read` giving their bodies (undefined: gone or unreadable), until
   * `deadline` (`performance.now()`) passes or all are done; true once the index is ready.
   */
  buildSome(
    read: (ids: readonly string[]) => readonly (StoredDocument | undefined)[],
    deadline: number,
  ): boolean {
    const build = this.build
    if (!build) return true
    const ids = this.baseIds
    while (build.cursor < ids.length) {
      const end = Math.min(ids.length, build.cursor + BUILD_BATCH)
      const batch: string[] = []
      const ordinals: number[] = []
      for (let ordinal = build.cursor; ordinal < end; ordinal++) {
        // Written since the build began: `update` indexed it under a new ordinal already.
        if (this.dead[ordinal] === 1) continue
        batch.push(ids[ordinal] as string)
        ordinals.push(ordinal)
      }
      build.cursor = end
      const docs = batch.length > 0 ? read(batch) : []
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]
        if (doc) build.builder.add(ordinals[i] as number, documentWords(doc))
      }
      if (build.builder.documents >= BUILD_SEGMENT_DOCUMENTS) {
        this.segments.push(build.builder.freeze())
        build.builder = new SegmentBuilder()
      }
      if (performance.now() >= deadline) break
    }
    if (build.cursor < ids.length) return false
    if (build.builder.documents > 0) this.segments.push(build.builder.freeze())
    this.build = undefined
    return true
  }

  /** How many documents the index covers so far (progress of a background build). */
  get builtCount(): number {
    return (this.build?.cursor ?? this.baseIds.length) + this.extraOrdinals.size
  }

  /** Indexes `next` as the document `id` (replacing what was indexed for it), or unindexes `id`. */
  update(id: string, next: StoredDocument | null): void {
    const base = this.basePosition(id)
    if (base !== undefined) {
      this.dead[base] = 1
      this.ordinalEpoch++
    }
    const extra = this.extraOrdinals.get(id)
    if (extra !== undefined) {
      this.extraIds[extra - this.baseIds.length] = undefined
      this.extraOrdinals.delete(id)
      this.ordinalEpoch++
    }
    if (!next) return
    const ordinal = this.baseIds.length + this.extraIds.length
    this.extraIds.push(id)
    this.extraOrdinals.set(id, ordinal)
    this.ordinalEpoch++
    this.live.add(ordinal, documentWords(next))
    if (this.live.documents >= LIVE_DOCUMENTS) {
      this.segments.push(this.live.freeze())
      this.live = new SegmentBuilder()
    }
  }

  /** The base ordinal of `id` while it holds the id's current words. */
  private basePosition(id: string): number | undefined {
    const ids = this.baseIds
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((ids[mid] as string) < id) lo = mid + 1
      else hi = mid
    }
    return lo < ids.length && ids[lo] === id && this.dead[lo] === 0 ? lo : undefined
  }

  /** The ordinal of a stored id, if indexed. */
  ordinal(id: string): number | undefined {
    return this.extraOrdinals.get(id) ?? this.basePosition(id)
  }

  /** The stored id of an ordinal (undefined for a dead one). */
  idOf(ordinal: number): string | undefined {
    const baseLength = this.baseIds.length
    if (ordinal < baseLength) return this.dead[ordinal] === 1 ? undefined : this.baseIds[ordinal]
    return this.extraIds[ordinal - baseLength]
  }

  /** One past the largest ordinal handed out (the size of an ordinal bitmap). */
  get ordinalLimit(): number {
    return this.baseIds.length + this.extraIds.length
  }

  /** Every posting of the words one term matches: in documents' strings, and in their ids. */
  private forEachPosting(
    term: string,
    inContent: (ordinal: number) => void,
    inId: (ordinal: number) => void,
  ): void {
    const regex = termRegex(term)
    for (const segment of this.segments) {
      const {contentOffsets, contentPostings, idOffsets, idPostings} = segment
      segmentMatches(segment, term, regex, (i) => {
        for (let k = contentOffsets[i] as number; k < (contentOffsets[i + 1] as number); k++) {
          inContent(contentPostings[k] as number)
        }
        for (let k = idOffsets[i] as number; k < (idOffsets[i + 1] as number); k++) {
          inId(idPostings[k] as number)
        }
      })
    }
    this.live.forEachMatch(regex, (content, ids) => {
      for (const ordinal of content) inContent(ordinal)
      for (const ordinal of ids) inId(ordinal)
    })
  }

  /**
   * Bitmaps over ordinals (a byte each, cheaper than sets of numbers to build and to test) of the
   * documents holding a word `term` matches: in their strings, and in their ids. Dead ordinals
   * may be set: callers only ask about live ones (`ordinal`, `idOf`).
   */
  termDocuments(term: string): TermDocuments {
    const content = new Uint8Array(this.ordinalLimit)
    const ids = new Uint8Array(this.ordinalLimit)
    this.forEachPosting(
      term,
      (ordinal) => (content[ordinal] = 1),
      (ordinal) => (ids[ordinal] = 1),
    )
    return {regex: termRegex(term), content, ids}
  }

  /**
   * Stored ids (unsorted) of the documents with, for every term, some word the term's regex
   * matches: a superset of those a `match` of these terms can be true for.
   */
  candidates(terms: readonly string[]): string[] {
    // No term at all: groq-js's match is false (it needs a pattern), so nothing is a candidate.
    if (terms.length === 0) return []
    const limit = this.ordinalLimit
    let current: Uint8Array | undefined
    for (const term of terms) {
      const next = new Uint8Array(limit)
      const previous = current
      const keep = previous
        ? (ordinal: number) => {
            if (previous[ordinal] === 1) next[ordinal] = 1
          }
        : (ordinal: number) => {
            next[ordinal] = 1
          }
      this.forEachPosting(term, keep, keep)
      current = next
    }
    const out: string[] = []
    const found = current as Uint8Array
    for (let ordinal = 0; ordinal < limit; ordinal++) {
      if (found[ordinal] !== 1) continue
      const id = this.idOf(ordinal)
      if (id !== undefined) out.push(id)
    }
    return out
  }

  /**
   * The whole index as one segment over new ordinals, positions in `ids` (the sorted ids a
   * snapshot saves; `ordinalOf` maps them back), and from now on the index itself: a snapshot
   * also compacts it. Undefined while it is still being built.
   */
  compact(ids: readonly string[], ordinalOf: ReadonlyMap<string, number>): TextSegment | undefined {
    if (!this.ready) return undefined
    const remap = new Int32Array(this.ordinalLimit)
    for (let ordinal = 0; ordinal < remap.length; ordinal++) {
      const id = this.idOf(ordinal)
      remap[ordinal] = id === undefined ? -1 : (ordinalOf.get(id) ?? -1)
    }
    if (this.live.documents > 0) this.segments.push(this.live.freeze())
    const merged = mergeSegments(this.segments, remap)
    this.baseIds = ids
    this.dead = new Uint8Array(ids.length)
    this.extraIds = []
    this.extraOrdinals = new Map()
    this.segments = [merged]
    this.live = new SegmentBuilder()
    this.ordinalEpoch++
    return merged
  }

  /** Words and postings held, and the bytes their arrays take (the memory report). */
  get size(): {words: number; postings: number; bytes: number} {
    let words = 0
    let postings = 0
    let bytes = 0
    for (const segment of this.segments) {
      words += segment.words.length
      postings += segment.contentPostings.length + segment.idPostings.length
      bytes +=
        segment.contentOffsets.byteLength +
        segment.contentPostings.byteLength +
        segment.idOffsets.byteLength +
        segment.idPostings.byteLength
    }
    return {words, postings, bytes: bytes + this.dead.byteLength}
  }
}

/** `segments` as one, ordinals mapped through `remap` (-1: dropped). */
function mergeSegments(segments: readonly TextSegment[], remap: Int32Array): TextSegment {
  const position = new Map<string, number>()
  const words: string[] = []
  // Per segment, each word's position in `words`.
  const wordAt = segments.map((segment) =>
    Int32Array.from(segment.words, (word) => {
      let at = position.get(word)
      if (at === undefined) {
        at = words.length
        position.set(word, at)
        words.push(word)
      }
      return at
    }),
  )
  const order = segmentOrder(words)
  const rank = new Int32Array(words.length)
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r
  const contentOffsets = new Uint32Array(words.length + 1)
  const idOffsets = new Uint32Array(words.length + 1)
  // Counted first (into the slot after each word), then summed into offsets, then filled.
  const each = (visit: (r: number, ordinal: number, content: boolean) => void): void => {
    segments.forEach((segment, s) => {
      const at = wordAt[s] as Int32Array
      for (let i = 0; i < segment.words.length; i++) {
        const r = rank[at[i] as number] as number
        for (
          let k = segment.contentOffsets[i] as number;
          k < (segment.contentOffsets[i + 1] as number);
          k++
        ) {
          const ordinal = remap[segment.contentPostings[k] as number] as number
          if (ordinal >= 0) visit(r, ordinal, true)
        }
        for (
          let k = segment.idOffsets[i] as number;
          k < (segment.idOffsets[i + 1] as number);
          k++
        ) {
          const ordinal = remap[segment.idPostings[k] as number] as number
          if (ordinal >= 0) visit(r, ordinal, false)
        }
      }
    })
  }
  each((r, _ordinal, content) => {
    const offsets = content ? contentOffsets : idOffsets
    offsets[r + 1] = (offsets[r + 1] as number) + 1
  })
  for (let r = 0; r < words.length; r++) {
    contentOffsets[r + 1] = (contentOffsets[r + 1] as number) + (contentOffsets[r] as number)
    idOffsets[r + 1] = (idOffsets[r + 1] as number) + (idOffsets[r] as number)
  }
  const contentPostings = new Uint32Array(contentOffsets[words.length] as number)
  const idPostings = new Uint32Array(idOffsets[words.length] as number)
  const contentNext = contentOffsets.slice(0, words.length)
  const idNext = idOffsets.slice(0, words.length)
  each((r, ordinal, content) => {
    if (content) contentPostings[(contentNext[r] as number)++] = ordinal
    else idPostings[(idNext[r] as number)++] = ordinal
  })
  // Words whose every document went are dropped.
  const kept: number[] = []
  for (let r = 0; r < words.length; r++) {
    if (contentOffsets[r + 1] !== contentOffsets[r] || idOffsets[r + 1] !== idOffsets[r]) {
      kept.push(r)
    }
  }
  if (kept.length === words.length) {
    return {
      words: order.map((i) => words[i] as string),
      contentOffsets,
      contentPostings,
      idOffsets,
      idPostings,
    }
  }
  const out: TextSegment = {
    words: kept.map((r) => words[order[r] as number] as string),
    contentOffsets: new Uint32Array(kept.length + 1),
    contentPostings,
    idOffsets: new Uint32Array(kept.length + 1),
    idPostings,
  }
  // Dropped words hold no postings, so the arrays stay; only the offsets close up.
  kept.forEach((r, i) => {
    out.contentOffsets[i + 1] = contentOffsets[r + 1] as number
    out.idOffsets[i + 1] = idOffsets[r + 1] as number
  })
  return out
}

/** Whether `value` is a segment over `limit` ordinals (a snapshot is data read from disk). */
function isSegment(value: unknown, limit: number): value is TextSegment {
  if (value === null || typeof value !== 'object') return false
  const segment = value as Partial<TextSegment>
  const {words, contentOffsets, contentPostings, idOffsets, idPostings} = segment
  if (!Array.isArray(words) || !words.every((word) => typeof word === 'string')) return false
  for (const [offsets, postings] of [
    [contentOffsets, contentPostings],
    [idOffsets, idPostings],
  ]) {
    if (!(offsets instanceof Uint32Array) || !(postings instanceof Uint32Array)) return false
    if (offsets.length !== words.length + 1 || offsets[0] !== 0) return false
    for (let i = 0; i < words.length; i++) {
      if ((offsets[i + 1] as number) < (offsets[i] as number)) return false
    }
    if (offsets[words.length] !== postings.length) return false
    for (let k = 0; k < postings.length; k++) if ((postings[k] as number) >= limit) return false
  }
  return true
}
