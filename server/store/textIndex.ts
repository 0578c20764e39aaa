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
// shared chunk, not exported): the index must cut text exactly where groq-js cuts it. Its regexes
// repeat a capturing group (`([^…])+`), which overflows V8's regexp stack on a run of a few
// million token characters; without the group the matches are the same runs, and a write of
// such a document (4 MB is allowed) is indexed instead of failing the commit's publish.
const CHARS = /[^!@#$%^&*(),\\/?";:{}|[\]+<>\s-]+/g
const CHARS_WITH_WILDCARD = /[^!@#$%^&(),\\/?";:{}|[\]+<>\s-]+/g
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

/**
 * The text index as a snapshot keeps it (`MirrorSnapshot.text`), over ordinals that are positions
 * in the snapshot's sorted ids: its words, and per document what the Studio's search pages by
 * (`_type`, as a code into `types`, and `_updatedAt`).
 */
export interface TextSnapshot {
  segment: TextSegment
  types: string[]
  typeCodes: Uint16Array
  updatedAt: Float64Array
}

/** No `_type` code: the document's type must be read from its body. */
const NO_TYPE = 0xffff

/**
 * `_updatedAt` as milliseconds when it is the canonical form `toISOString` writes (the store
 * writes no other): ordering those numbers is ordering the strings, as groq-js does. NaN for
 * anything else, which the search then reads from the body.
 */
function updatedAtMs(value: unknown): number {
  if (typeof value !== 'string' || value.length !== 24) return NaN
  const ms = Date.parse(value)
  return Number.isFinite(ms) && new Date(ms).toISOString() === value ? ms : NaN
}

/** The first position in sorted `ids` not below `id`. */
function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((ids[mid] as string) < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Base documents read per statement while building. */
const BUILD_BATCH = 64
/**
 * Documents per segment built in the background. Freezing one is a slice of its own (about 10 ms
 * of CPU for 2,048 of the benchmark's documents; 8,192 took 30 to 40 ms).
 */
const BUILD_SEGMENT_DOCUMENTS = 2048
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
  /** Per ordinal, the `_type` (a code into `types`) and `_updatedAt` the Studio's search needs. */
  private types: string[] = []
  private typeCode = new Map<string, number>()
  private baseTypes: Uint16Array
  private baseUpdatedAt: Float64Array
  private extraTypes: number[] = []
  private extraUpdatedAt: number[] = []
  /** The background build: base ordinals from `cursor` on are not indexed yet. */
  private build: {cursor: number; builder: SegmentBuilder} | undefined
  /** Counts changes to which id has which ordinal, so lists of ordinals can be kept meanwhile. */
  ordinalEpoch = 0

  private constructor(baseIds: readonly string[], segments: TextSegment[], building: boolean) {
    this.baseIds = baseIds
    this.dead = new Uint8Array(baseIds.length)
    this.segments = segments
    this.build = building ? {cursor: 0, builder: new SegmentBuilder()} : undefined
    this.baseTypes = new Uint16Array(baseIds.length).fill(NO_TYPE)
    this.baseUpdatedAt = new Float64Array(baseIds.length).fill(NaN)
  }

  private codeOf(type: string): number {
    let code = this.typeCode.get(type)
    if (code === undefined) {
      // Past 65,535 types the rest go without a code (read from the body when searched).
      if (this.types.length >= NO_TYPE) return NO_TYPE
      code = this.types.length
      this.types.push(type)
      this.typeCode.set(type, code)
    }
    return code
  }

  /** The `_type` code of the document at `ordinal` (equal codes, equal types). */
  typeCodeOf(ordinal: number): number {
    const baseLength = this.baseIds.length
    return (
      (ordinal < baseLength ? this.baseTypes[ordinal] : this.extraTypes[ordinal - baseLength]) ??
      NO_TYPE
    )
  }

  /** The `_type` of the document at `ordinal`, when known without its body. */
  typeOf(ordinal: number): string | undefined {
    const baseLength = this.baseIds.length
    const code =
      ordinal < baseLength ? this.baseTypes[ordinal] : this.extraTypes[ordinal - baseLength]
    return code === undefined || code === NO_TYPE ? undefined : this.types[code]
  }

  /** The `_updatedAt` of the document at `ordinal` in ms (NaN: read it from the body). */
  updatedAtOf(ordinal: number): number {
    const baseLength = this.baseIds.length
    return (
      (ordinal < baseLength
        ? this.baseUpdatedAt[ordinal]
        : this.extraUpdatedAt[ordinal - baseLength]) ?? NaN
    )
  }

  /** The base ordinals (positions in sorted ids) followed by the others: their count. */
  get baseLength(): number {
    return this.baseIds.length
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
    if (saved === null || typeof saved !== 'object') return undefined
    const {segment, types, typeCodes, updatedAt} = saved as Partial<TextSnapshot>
    if (!isSegment(segment, ids.length)) return undefined
    if (!Array.isArray(types) || !types.every((type) => typeof type === 'string')) return undefined
    if (!(typeCodes instanceof Uint16Array) || typeCodes.length !== ids.length) return undefined
    if (!(updatedAt instanceof Float64Array) || updatedAt.length !== ids.length) return undefined
    for (const code of typeCodes) if (code !== NO_TYPE && code >= types.length) return undefined
    const index = new TextIndex(ids, [segment], false)
    index.types = types
    index.typeCode = new Map(types.map((type, code) => [type, code]))
    index.baseTypes = typeCodes
    index.baseUpdatedAt = updatedAt
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
    for (;;) {
      if (this.buildSlice(read, deadline)) return true
      if (deadline !== Infinity) return false
    }
  }

  /** One slice of `buildSome`: until the deadline or a full segment builder. */
  private buildSlice(
    read: (ids: readonly string[]) => readonly (StoredDocument | undefined)[],
    deadline: number,
  ): boolean {
    const build = this.build
    if (!build) return true
    const ids = this.baseIds
    if (build.builder.documents >= BUILD_SEGMENT_DOCUMENTS) {
      this.segments.push(build.builder.freeze())
      build.builder = new SegmentBuilder()
      if (performance.now() >= deadline) return false
    }
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
        if (!doc) continue
        const ordinal = ordinals[i] as number
        build.builder.add(ordinal, documentWords(doc))
        this.baseTypes[ordinal] = this.codeOf(doc._type)
        this.baseUpdatedAt[ordinal] = updatedAtMs(doc._updatedAt)
      }
      // A full builder is frozen at the start of the next slice.
      if (build.builder.documents >= BUILD_SEGMENT_DOCUMENTS || performance.now() >= deadline) break
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
    this.extraTypes.push(this.codeOf(next._type))
    this.extraUpdatedAt.push(updatedAtMs(next._updatedAt))
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
    const at = lowerBound(ids, id)
    return at < ids.length && ids[at] === id && this.dead[at] === 0 ? at : undefined
  }

  /** The documents indexed under ordinals past the base (written since), as [id, ordinal]. */
  extraEntries(): IterableIterator<[string, number]> {
    return this.extraOrdinals.entries()
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
   * snapshot saves), and from now on the index itself: a snapshot also compacts it. Undefined
   * while it is still being built.
   */
  compact(ids: readonly string[]): TextSnapshot | undefined {
    if (!this.ready) return undefined
    const limit = this.ordinalLimit
    const remap = new Int32Array(limit).fill(-1)
    const typeCodes = new Uint16Array(ids.length).fill(NO_TYPE)
    const updatedAt = new Float64Array(ids.length).fill(NaN)
    const keep = (ordinal: number, at: number) => {
      remap[ordinal] = at
      typeCodes[at] = (
        ordinal < this.baseIds.length
          ? this.baseTypes[ordinal]
          : this.extraTypes[ordinal - this.baseIds.length]
      ) as number
      updatedAt[at] = this.updatedAtOf(ordinal)
    }
    // Both id lists are sorted: one walk pairs the base ordinals with their new positions.
    let at = 0
    for (let ordinal = 0; ordinal < this.baseIds.length; ordinal++) {
      if (this.dead[ordinal] === 1) continue
      const id = this.baseIds[ordinal] as string
      while (at < ids.length && (ids[at] as string) < id) at++
      if (at < ids.length && ids[at] === id) keep(ordinal, at)
    }
    for (const [id, ordinal] of this.extraOrdinals) {
      const position = lowerBound(ids, id)
      if (ids[position] === id) keep(ordinal, position)
    }
    if (this.live.documents > 0) this.segments.push(this.live.freeze())
    const segment = mergeSegments(this.segments, remap)
    this.baseIds = ids
    this.dead = new Uint8Array(ids.length)
    this.extraIds = []
    this.extraOrdinals = new Map()
    this.extraTypes = []
    this.extraUpdatedAt = []
    this.baseTypes = typeCodes
    this.baseUpdatedAt = updatedAt
    this.segments = [segment]
    this.live = new SegmentBuilder()
    this.ordinalEpoch++
    return {segment, types: this.types, typeCodes, updatedAt}
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
    bytes += this.dead.byteLength + this.baseTypes.byteLength + this.baseUpdatedAt.byteLength
    return {words, postings, bytes}
  }
}

/** Postings of `postings[from..to]` that `remap` keeps, written mapped at `out[at..]`. */
function remapInto(
  postings: Uint32Array,
  from: number,
  to: number,
  remap: Int32Array,
  out: Uint32Array | undefined,
  at: number,
): number {
  let n = 0
  for (let k = from; k < to; k++) {
    const ordinal = remap[postings[k] as number] as number
    if (ordinal < 0) continue
    if (out) out[at + n] = ordinal
    n++
  }
  return n
}

/** `segments` as one, ordinals mapped through `remap` (-1: dropped). */
function mergeSegments(segments: readonly TextSegment[], remap: Int32Array): TextSegment {
  const position = new Map<string, number>()
  const words: string[] = []
  // Per segment, each word's position in `words`.
  const wordAt: Int32Array[] = []
  for (const segment of segments) {
    const at = new Int32Array(segment.words.length)
    for (let i = 0; i < at.length; i++) {
      const word = segment.words[i] as string
      let p = position.get(word)
      if (p === undefined) {
        p = words.length
        position.set(word, p)
        words.push(word)
      }
      at[i] = p
    }
    wordAt.push(at)
  }
  const order = segmentOrder(words)
  const rank = new Int32Array(words.length)
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r
  // Counted first (into the slot after each word), summed into offsets, then filled.
  const contentOffsets = new Uint32Array(words.length + 1)
  const idOffsets = new Uint32Array(words.length + 1)
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s] as TextSegment
    const at = wordAt[s] as Int32Array
    const {contentOffsets: co, contentPostings: cp, idOffsets: io, idPostings: ip} = segment
    for (let i = 0; i < at.length; i++) {
      const r = (rank[at[i] as number] as number) + 1
      contentOffsets[r] =
        (contentOffsets[r] as number) +
        remapInto(cp, co[i] as number, co[i + 1] as number, remap, undefined, 0)
      idOffsets[r] =
        (idOffsets[r] as number) +
        remapInto(ip, io[i] as number, io[i + 1] as number, remap, undefined, 0)
    }
  }
  for (let r = 0; r < words.length; r++) {
    contentOffsets[r + 1] = (contentOffsets[r + 1] as number) + (contentOffsets[r] as number)
    idOffsets[r + 1] = (idOffsets[r + 1] as number) + (idOffsets[r] as number)
  }
  const contentPostings = new Uint32Array(contentOffsets[words.length] as number)
  const idPostings = new Uint32Array(idOffsets[words.length] as number)
  const contentNext = contentOffsets.slice(0, words.length)
  const idNext = idOffsets.slice(0, words.length)
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s] as TextSegment
    const at = wordAt[s] as Int32Array
    const {contentOffsets: co, contentPostings: cp, idOffsets: io, idPostings: ip} = segment
    for (let i = 0; i < at.length; i++) {
      const r = rank[at[i] as number] as number
      contentNext[r] =
        (contentNext[r] as number) +
        remapInto(
          cp,
          co[i] as number,
          co[i + 1] as number,
          remap,
          contentPostings,
          contentNext[r] as number,
        )
      idNext[r] =
        (idNext[r] as number) +
        remapInto(ip, io[i] as number, io[i + 1] as number, remap, idPostings, idNext[r] as number)
    }
  }
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
  for (let i = 0; i < kept.length; i++) {
    const r = kept[i] as number
    out.contentOffsets[i + 1] = contentOffsets[r + 1] as number
    out.idOffsets[i + 1] = idOffsets[r + 1] as number
  }
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
