/**
 * Finished `GET /data/query` answers, kept until the dataset next changes: what Sanity's API CDN
 * does for a frontend, in front of the lake's own query endpoint. A repeated request (the same
 * page by slug for every visitor) then costs a lookup instead of a parse, a plan and an
 * evaluation: issue #16 measured those at four fifths of a by-slug request's CPU time.
 *
 * Why an answer can be reused, and when it is not:
 * - It is keyed by the request's whole URL (query, `$params`, perspective, API version, every
 *   option) and by who asked (role and user id: what a reader may see, `identity()` and the
 *   query limits all follow from them). One reader's answer is never served to another.
 * - It belongs to the dataset as it was (`LakeStore.readGeneration()`, changed by every applied
 *   commit): the first lookup after a commit finds the generation moved and empties the cache,
 *   so a reader never sees an answer older than a write already acknowledged.
 * - Queries that read the clock (`now()`) are never kept; neither are errors, POSTed queries
 *   (the body is not in the key) nor answers over `MAX_ANSWER_BYTES`.
 * - A request with `Cache-Control: no-cache` (or `no-store`) is evaluated afresh, as an HTTP
 *   cache would revalidate it: a client that doubts the cache, and the benchmark's uncached
 *   figures, ask for that.
 */
import type {IncomingHttpHeaders} from 'node:http'

import type {Identity} from '../store/types'

/** Answers kept at most (per URL and reader). */
export const MAX_ANSWERS = 2_000
/** Bytes of answer text kept at most, all answers together (UTF-16 length, a bound on memory). */
export const MAX_ANSWER_CACHE_CHARS = 32 * 1024 * 1024
/** A larger answer (an export-sized list) is not kept: one would push out many page answers. */
export const MAX_ANSWER_CHARS = 256 * 1024

/** Functions whose answer changes with the clock: the query is evaluated every time. */
const READS_CLOCK = /\bnow\s*\(/

export interface CachedAnswer {
  /** The response body, as `handleQuery` sent it. */
  body: string
  contentType: string
}

export class AnswerCache {
  /**
   * Per URL (oldest first: a Map keeps insertion order), per reader. A URL nobody has an answer
   * for is told apart before the caller's identity is even resolved.
   */
  private readonly byUrl = new Map<string, Map<string, CachedAnswer>>()
  private count = 0
  private chars = 0
  private generation = -1
  private readonly maxAnswers: number
  private readonly readGeneration: () => number
  hits = 0
  misses = 0

  constructor(readGeneration: () => number, maxAnswers = MAX_ANSWERS) {
    this.readGeneration = readGeneration
    this.maxAnswers = Math.max(0, maxAnswers)
  }

  /** Answers kept. */
  get size(): number {
    return this.count
  }

  /** Whether a request may be answered from, and its answer kept in, the cache. */
  static mayUse(method: string | undefined, headers: IncomingHttpHeaders): boolean {
    if (method !== 'GET') return false
    const cacheControl = headers['cache-control']
    return cacheControl === undefined || !/no-cache|no-store/i.test(cacheControl)
  }

  /** Whether an answer to `query` may be kept. */
  static mayKeep(query: string, body: string): boolean {
    return body.length <= MAX_ANSWER_CHARS && !READS_CLOCK.test(query)
  }

  /** Who asked, as far as an answer depends on it. */
  static reader(identity: Identity): string {
    return `${identity.role}\u0000${identity.id}`
  }

  /** The dataset's generation now: an answer computed from here on is kept under it. */
  current(): number {
    const generation = this.readGeneration()
    if (generation !== this.generation) {
      // Every kept answer belongs to an older dataset.
      this.byUrl.clear()
      this.count = 0
      this.chars = 0
      this.generation = generation
    }
    return generation
  }

  /** Whether anyone has an answer for `url` (before resolving who asks). */
  has(url: string): boolean {
    if (this.count === 0) return false
    this.current()
    return this.byUrl.has(url)
  }

  get(url: string, reader: string): CachedAnswer | undefined {
    if (this.maxAnswers === 0) return undefined
    this.current()
    const answer = this.byUrl.get(url)?.get(reader)
    if (answer) this.hits++
    else this.misses++
    return answer
  }

  /**
   * Keeps an answer computed from the dataset at `generation` (read before the evaluation began):
   * one that spans a commit is dropped, since part of it may predate the commit.
   */
  set(url: string, reader: string, generation: number, answer: CachedAnswer): void {
    if (this.maxAnswers === 0 || this.current() !== generation) return
    let readers = this.byUrl.get(url)
    if (!readers) this.byUrl.set(url, (readers = new Map()))
    const old = readers.get(reader)
    if (old) this.chars -= old.body.length
    else this.count++
    readers.set(reader, answer)
    this.chars += answer.body.length
    while (this.count > this.maxAnswers || this.chars > MAX_ANSWER_CACHE_CHARS) {
      const oldest = this.byUrl.entries().next()
      if (oldest.done) break
      const [oldUrl, oldReaders] = oldest.value
      for (const dropped of oldReaders.values()) this.chars -= dropped.body.length
      this.count -= oldReaders.size
      this.byUrl.delete(oldUrl)
    }
  }
}
