import {getPublishedId} from './ids'
import type {StoredDocument} from './types'

/**
 * An inverted index of the words (groq-js's `match` tokens) in every stored document, for the
 * planner's `match` / `text::query()` prefilter. It only ever names candidates: groq-js's own
 * `match` still decides over them, so answers stay exactly plain groq-js's.
 *
 * Postings are sorted `Uint32Array`s of document ordinals (4 bytes a posting, not a string id),
 * because memory per document is what limits the mirror (the million-document goal).
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

/**
 * A sorted, growable list of ordinals. Most words occur in one document (numbers, names), so a
 * single ordinal is kept inline: a typed array costs about a hundred bytes before its contents.
 */
class Posting {
  private data: Uint32Array | undefined
  private one = 0
  length = 0

  private lowerBound(data: Uint32Array, value: number): number {
    let lo = 0
    let hi = this.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((data[mid] as number) < value) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  add(value: number): void {
    let data = this.data
    if (!data) {
      if (this.length === 0) {
        this.one = value
        this.length = 1
        return
      }
      if (this.one === value) return
      data = this.data = new Uint32Array(4)
      data[0] = Math.min(this.one, value)
      data[1] = Math.max(this.one, value)
      this.length = 2
      return
    }
    // Ordinals grow, so during a load (and for new documents) this appends.
    const at =
      this.length > 0 && (data[this.length - 1] as number) < value
        ? this.length
        : this.lowerBound(data, value)
    if (at < this.length && data[at] === value) return
    if (this.length === data.length) {
      const grown = new Uint32Array(data.length * 2)
      grown.set(data)
      data = this.data = grown
    }
    data.copyWithin(at + 1, at, this.length)
    data[at] = value
    this.length++
  }

  remove(value: number): void {
    const data = this.data
    if (!data) {
      if (this.length === 1 && this.one === value) this.length = 0
      return
    }
    const at = this.lowerBound(data, value)
    if (at >= this.length || data[at] !== value) return
    data.copyWithin(at, at + 1, this.length)
    this.length--
  }

  forEach(visit: (ordinal: number) => void): void {
    if (!this.data) {
      if (this.length === 1) visit(this.one)
      return
    }
    for (let i = 0; i < this.length; i++) visit(this.data[i] as number)
  }
}

interface Word {
  folded: string
  /** Documents whose strings hold the word. */
  posting: Posting
  /** Documents whose `_id` (stored, or as the drafts perspective shows it) holds the word. */
  idPosting: Posting | undefined
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

export class TextIndex {
  private readonly words = new Map<string, Word>()
  /** Folded words in order, for prefix ranges; rebuilt on first use after a new word appears. */
  private sortedFolds: string[] | undefined
  private readonly byFold = new Map<string, string[]>()
  private readonly ordinals = new Map<string, number>()
  private readonly idsByOrdinal: (string | undefined)[] = []
  /** Counts changes to which id has which ordinal, so lists of ordinals can be kept meanwhile. */
  ordinalEpoch = 0

  constructor(docs: Iterable<StoredDocument>) {
    for (const doc of docs) this.update(doc._id, undefined, doc)
  }

  get vocabularySize(): number {
    return this.words.size
  }

  /**
   * Replaces `previous` (the document indexed under `id`, if any) with `next`, or unindexes `id`
   * when `next` is null. The words to remove are worked out again from `previous` rather than
   * kept per document: the mirror always has it, and keeping them would double the index.
   */
  update(id: string, previous: StoredDocument | undefined, next: StoredDocument | null): void {
    let ordinal = this.ordinals.get(id)
    const before = ordinal === undefined || !previous ? undefined : documentWords(previous)
    if (!next) {
      if (ordinal === undefined) return
      for (const word of before?.content ?? []) this.words.get(word)?.posting.remove(ordinal)
      for (const word of before?.ids ?? []) this.words.get(word)?.idPosting?.remove(ordinal)
      this.ordinals.delete(id)
      this.ordinalEpoch++
      // Ordinals are not reused: a freed slot costs one array entry.
      this.idsByOrdinal[ordinal] = undefined
      return
    }
    if (ordinal === undefined) {
      ordinal = this.idsByOrdinal.length
      this.ordinals.set(id, ordinal)
      this.idsByOrdinal.push(id)
      this.ordinalEpoch++
    }
    const after = documentWords(next)
    for (const word of before?.content ?? []) {
      if (!after.content.has(word)) this.words.get(word)?.posting.remove(ordinal)
    }
    for (const word of before?.ids ?? []) {
      if (!after.ids.has(word)) this.words.get(word)?.idPosting?.remove(ordinal)
    }
    for (const word of after.content) this.word(word).posting.add(ordinal)
    for (const word of after.ids) {
      const entry = this.word(word)
      entry.idPosting ??= new Posting()
      entry.idPosting.add(ordinal)
    }
  }

  private word(word: string): Word {
    let entry = this.words.get(word)
    if (!entry) {
      entry = {folded: fold(word), posting: new Posting(), idPosting: undefined}
      this.words.set(word, entry)
      const sameFold = this.byFold.get(entry.folded)
      if (sameFold) sameFold.push(word)
      else {
        this.byFold.set(entry.folded, [word])
        this.sortedFolds = undefined
      }
    }
    return entry
  }

  /** The ordinal of a stored id, if indexed. */
  ordinal(id: string): number | undefined {
    return this.ordinals.get(id)
  }

  /** The stored id of an ordinal. */
  idOf(ordinal: number): string | undefined {
    return this.idsByOrdinal[ordinal]
  }

  /** One past the largest ordinal handed out (the size of an ordinal bitmap). */
  get ordinalLimit(): number {
    return this.idsByOrdinal.length
  }

  /**
   * Bitmaps over ordinals (a byte each: 100 KB per term at 100k documents, cheaper than sets of
   * numbers to build and to test) of the documents holding a word `term` matches: in their
   * strings, and in their ids.
   */
  termDocuments(term: string): TermDocuments {
    const content = new Uint8Array(this.idsByOrdinal.length)
    const ids = new Uint8Array(this.idsByOrdinal.length)
    for (const word of this.wordsFor(term)) {
      const entry = this.words.get(word)
      if (!entry) continue
      entry.posting.forEach((ordinal) => (content[ordinal] = 1))
      entry.idPosting?.forEach((ordinal) => (ids[ordinal] = 1))
    }
    return {regex: termRegex(term), content, ids}
  }

  /** The words matching one groq-js term (its regex), found from the term's literal prefix. */
  private wordsFor(term: string): string[] {
    const re = termRegex(term)
    const wild = term.search(/[*.]/)
    if (wild === -1) {
      return (this.byFold.get(fold(term)) ?? []).filter((word) => re.test(word))
    }
    const prefix = fold(term.slice(0, wild))
    const out: string[] = []
    if (prefix === '') {
      // A term starting with a wildcard: no prefix to range over, so every word is tested.
      for (const word of this.words.keys()) if (re.test(word)) out.push(word)
      return out
    }
    this.sortedFolds ??= [...this.byFold.keys()].sort()
    const folds = this.sortedFolds
    let lo = 0
    let hi = folds.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((folds[mid] as string) < prefix) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < folds.length && (folds[i] as string).startsWith(prefix); i++) {
      for (const word of this.byFold.get(folds[i] as string) ?? [])
        if (re.test(word)) out.push(word)
    }
    return out
  }

  /**
   * Stored ids (unsorted) of the documents with, for every term, some word the term's regex
   * matches: a superset of those a `match` of these terms can be true for.
   */
  candidates(terms: readonly string[]): string[] {
    // No term at all: groq-js's match is false (it needs a pattern), so nothing is a candidate.
    if (terms.length === 0) return []
    let current: Set<number> | undefined
    for (const term of terms) {
      const next = new Set<number>()
      for (const word of this.wordsFor(term)) {
        const entry = this.words.get(word)
        if (!entry) continue
        const keep = (ordinal: number) => {
          if (!current || current.has(ordinal)) next.add(ordinal)
        }
        entry.posting.forEach(keep)
        entry.idPosting?.forEach(keep)
      }
      current = next
      if (current.size === 0) break
    }
    const out: string[] = []
    for (const ordinal of current ?? []) {
      const id = this.idsByOrdinal[ordinal]
      if (id !== undefined) out.push(id)
    }
    return out
  }
}
