/**
 * Every limit on user GROQ, named once, with the reason beside it. `budget.ts` enforces them;
 * `tests/hostile/` tests each one at and just past its value. Figures measured on groq-js 2.0.1
 * on the 2-core machines the lake runs on (see `server/query/README.md`, "Budgets").
 */
import type {Identity} from '../store/types'

/** What parsing one query may cost. */
export interface ParseLimits {
  /**
   * UTF-8 bytes of query text. Checked before anything else looks at the text, so an oversized
   * query costs one length check.
   */
  readonly maxQueryBytes: number
  /**
   * Lexical tokens (names, numbers, strings, operators, brackets). groq-js's parser is quadratic
   * in them: 2,000 parse in about 6 ms, 20,000 in 3 to 47 s (and `1+1+…` of 5,000 overflows its
   * stack), so this is the real bound on parse work.
   */
  readonly maxQueryTokens: number
  /**
   * Brackets, parentheses and braces open at once. groq-js parses them recursively and overflows
   * the stack at a few thousand; the evaluator and the planner also recurse per level.
   */
  readonly maxNestingDepth: number
  /**
   * Depth of the parsed tree: operator chains (`a && b && …`, `->->…`, `!!!…`) nest without
   * brackets, and evaluation recurses once (several frames) per level.
   */
  readonly maxTreeDepth: number
}

/** What one query may cost, by who asks. */
export interface QueryLimits extends ParseLimits {
  /**
   * How long the query first runs with groq-js's fast synchronous evaluator, holding the event
   * loop. Nearly every query (the planner answers the common filters from indexes) finishes in
   * well under a millisecond; one that does not is stopped and run again cooperatively, at about
   * a fifth of the speed.
   */
  readonly syncSliceMs: number
  /**
   * Cooperative queries of this kind running at once; more wait their turn (within their own time
   * budget). Each running one takes a slice of every turn of the event loop, so this bounds how
   * long a cheap request waits per turn, however many expensive queries arrive.
   */
  readonly maxCooperativeQueries: number
  /** Wall-clock time from the start of evaluation to the last byte of the answer. */
  readonly timeBudgetMs: number
  /** The serialized result (JSON), counted in UTF-16 units while it is written, never built whole. */
  readonly maxResultBytes: number
}

/**
 * Members (any token). Ten seconds of work and 64 MB of answer are far beyond anything the Studio
 * or the frontends ask, yet bounded. The synchronous slice is long enough for the Studio's list
 * search over 10k documents (35 ms), which would otherwise run cooperatively, several times slower.
 */
export const MEMBER_LIMITS: QueryLimits = {
  maxQueryBytes: 100 * 1024,
  maxQueryTokens: 2000,
  maxNestingDepth: 64,
  maxTreeDepth: 256,
  syncSliceMs: 50,
  maxCooperativeQueries: 2,
  timeBudgetMs: 10_000,
  maxResultBytes: 64 * 1024 * 1024,
}

/**
 * Anonymous callers (the public website, anyone on the network): the tightest. The frontend's
 * largest query is under 2 KB and 300 tokens and answers in milliseconds.
 */
export const ANONYMOUS_LIMITS: QueryLimits = {
  maxQueryBytes: 16 * 1024,
  maxQueryTokens: 1000,
  maxNestingDepth: 32,
  maxTreeDepth: 128,
  syncSliceMs: 10,
  maxCooperativeQueries: 1,
  timeBudgetMs: 2_000,
  maxResultBytes: 8 * 1024 * 1024,
}

/**
 * `/data/listen` filters are parsed once per listener and run once per changed document per
 * listener inside the commit's delivery, synchronously. The Studio's filters are under 1 KB and
 * 100 tokens (its list search listener is the longest); these leave room for scripts while
 * keeping the parse to a couple of milliseconds. Each evaluation gets `LISTEN_FILTER_SLICE_MS`.
 */
export const LISTEN_FILTER_LIMITS: ParseLimits = {
  maxQueryBytes: 16 * 1024,
  maxQueryTokens: 1000,
  maxNestingDepth: 32,
  maxTreeDepth: 128,
}

/**
 * One evaluation of a listen filter on one document; past it the listener is closed. The
 * Studio's own filters (the Presentation tool's locations among them) take well under a
 * millisecond, but on a loaded two-core machine a garbage collection inside one could pass 5 ms
 * and close the Studio's form pane: 25 ms still stops a pathological filter within one frame.
 */
export const LISTEN_FILTER_SLICE_MS = 25

/**
 * Query-based patches and deletes (`/data/mutate`) select their documents synchronously inside
 * the request's transaction (they must see the request's own earlier writes); the whole scan
 * must fit this long (an unindexed filter over 100k documents takes about 75 ms).
 */
export const MUTATION_QUERY_SLICE_MS = 250

/**
 * How long cooperative evaluation runs before it yields the event loop to other requests. A cheap
 * request needs a few turns of the loop (read, answer, write), each of which may wait this long;
 * a yield costs about 10 µs.
 */
export const COOPERATIVE_SLICE_MS = 2

/**
 * A cooperative query that computes this long without reaching a point where it can yield (a sort
 * or a `match` over huge values inside one groq-js step) is stopped: the event loop is never held
 * longer than this by a query.
 */
export const MAX_UNYIELDING_MS = 250

/** The limits for whoever asks. */
export function limitsFor(identity: Pick<Identity, 'role'>): QueryLimits {
  return identity.role === 'anonymous' ? ANONYMOUS_LIMITS : MEMBER_LIMITS
}
