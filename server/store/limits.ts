/**
 * The limits of the lake's write boundary: what a stored document may be, and how deeply any JSON
 * a client sends may nest. Every write path (`/data/mutate`, `/data/actions`, the import script,
 * the feedback intake, the store's own `mutate`/`act`) ends in `WorkingSet.put`, which checks
 * `documentLimitProblem` before anything is stored.
 *
 * Depth counts nested arrays and objects on the deepest path: a scalar is 0, `{}` is 1,
 * `{"a": [1]}` is 2. A document is an object, so its depth is at least 1.
 */

/**
 * How deeply a stored document may nest. The site's Portable Text nests fewer than 10 levels
 * (document, body, block, children, span, marks); 64 leaves room for any real content model. The
 * reason for a limit at all: code that walks documents without an explicit stack (groq-js's
 * evaluator, `@sanity/mutator`, `JSON.stringify`, renderers) overflows the call stack a few
 * thousand levels down, and a stored document is read again on every start.
 */
export const MAX_DOCUMENT_DEPTH = 64

/**
 * How large a stored document's JSON may be, in UTF-8 bytes: Content Lake's mutation body limit.
 * A larger document could still be built up by patches, but never sent back whole (an import
 * after an export, a `createOrReplace`), and every commit serialises and fsyncs each document it
 * touches in full.
 */
export const MAX_DOCUMENT_BYTES = 4_000_000

/**
 * How deeply a write puts a document's values inside its request body: `{mutations: [{patch:
 * {insert: {items: [value]}}}]}` holds `value` six levels down, where the document holds it two.
 */
const WRITE_ENVELOPE_DEPTH = 4

/**
 * How deeply any JSON the lake takes from a client may nest (request bodies, `$param` values,
 * presence messages), checked on the raw text before it is parsed: a 4 MB body of `[` is two
 * million nested arrays, over 100 MB of heap once parsed, and nothing that deep could become a
 * document within `MAX_DOCUMENT_DEPTH` anyway.
 */
export const MAX_JSON_DEPTH = MAX_DOCUMENT_DEPTH + WRITE_ENVELOPE_DEPTH

/**
 * Whether `value` nests arrays and objects deeper than `limit`. Iterative (an explicit stack), and
 * it stops at the first path past the limit, so no input can overflow the call stack here and a
 * huge value costs no more than the part of it walked.
 */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: {value: unknown; depth: number}[] = [{value, depth: 0}]
  for (let item = stack.pop(); item; item = stack.pop()) {
    const current = item.value
    if (current === null || typeof current !== 'object') continue
    const depth = item.depth + 1
    if (depth > limit) return true
    const children = Array.isArray(current) ? current : Object.values(current)
    for (const child of children as unknown[]) {
      if (child !== null && typeof child === 'object') stack.push({value: child, depth})
    }
  }
  return false
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/**
 * Whether JSON text nests deeper than `limit`, read in one pass without parsing. Works on UTF-8
 * bytes or a string alike: the characters it counts are ASCII, and neither UTF-8 continuation
 * bytes nor other UTF-16 units ever equal them. Malformed JSON is left to the parser to refuse.
 */
export function jsonTextDepthExceeds(text: string | Uint8Array, limit: number): boolean {
  // Fewer characters than it takes to open and close `limit + 1` levels: nothing to scan.
  if (text.length < 2 * (limit + 1)) return false
  const bytes =
    typeof text === 'string' ? undefined : Buffer.from(text.buffer, text.byteOffset, text.length)
  const codeAt = (i: number): number =>
    bytes ? (bytes[i] as number) : (text as string).charCodeAt(i)
  // Most of a body is string contents: the native indexOf skips to each closing quote.
  const nextQuote = (from: number): number =>
    bytes ? bytes.indexOf(QUOTE, from) : (text as string).indexOf('"', from)
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const code = codeAt(i)
    if (code === QUOTE) {
      // The closing quote is the next one not escaped by an odd run of backslashes before it.
      let end = nextQuote(i + 1)
      for (;;) {
        if (end === -1) return false
        let backslashes = 0
        while (end - 1 - backslashes > i && codeAt(end - 1 - backslashes) === BACKSLASH)
          backslashes++
        if (backslashes % 2 === 0) break
        end = nextQuote(end + 1)
      }
      i = end
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      if (++depth > limit) return true
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth--
    }
  }
  return false
}

/** The message for JSON refused by `jsonTextDepthExceeds`, naming the limit. */
export function jsonTooDeepMessage(what: string): string {
  return `${what} nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels, the lake's limit for JSON from a client (documents may nest at most ${MAX_DOCUMENT_DEPTH})`
}

export interface LimitProblem {
  type: 'documentTooDeepError' | 'documentTooLargeError'
  description: string
}

/** Checked on the value itself, before anything serialises it (which could overflow the stack). */
export function documentDepthProblem(id: string, document: unknown): LimitProblem | undefined {
  if (!depthExceeds(document, MAX_DOCUMENT_DEPTH)) return undefined
  return {
    type: 'documentTooDeepError',
    description: `Document "${id}" nests arrays and objects deeper than ${MAX_DOCUMENT_DEPTH} levels, the limit for a document`,
  }
}

/** Checked on the JSON the store is about to write. */
export function documentSizeProblem(id: string, json: string): LimitProblem | undefined {
  const bytes = Buffer.byteLength(json)
  if (bytes <= MAX_DOCUMENT_BYTES) return undefined
  return {
    type: 'documentTooLargeError',
    description: `Document "${id}" is ${bytes} bytes of JSON, over the limit of ${MAX_DOCUMENT_BYTES} bytes for a document`,
  }
}

/** Both checks, in the order that keeps them safe: for callers holding a parsed document. */
export function documentLimitProblem(id: string, document: unknown): LimitProblem | undefined {
  return documentDepthProblem(id, document) ?? documentSizeProblem(id, JSON.stringify(document))
}
