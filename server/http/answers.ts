/**
 * Finished `GET /data/query` answers, kept until something their reader can see changes: what
 * Sanity's API CDN does for a frontend, in front of the lake's own query endpoint. A repeated
 * request (the same page by slug for every visitor) then costs a lookup instead of a parse, a plan
 * and an evaluation: issue #16 measured those at four fifths of a by-slug request's CPU time.
 *
 * Why an answer can be reused, and when it is not:
 * - It is keyed by the request's whole URL (query, `$params`, perspective, API version, every
 *   option) and by who asked (role and user id: what a reader may see, `identity()` and the
 *   query limits all follow from them). One reader's answer is never served to another.
 * - A query sees only the documents its reader may read (access applies inside the store), so
 *   its answer stands until a commit touches a document that reader may read. Each commit (the
 *   store's listeners run right after the mirror changes, before any other request) drops the
 *   answers of every reader who may read one of its documents: a published page drops the
 *   public's answers, while an editor's draft or a feedback report filed by the intake leaves
 *   them, since the public reads neither. A write acknowledged to anyone is in every later answer
 *   of everyone who may see it.
 * - An evaluation that spans such a commit is not kept (part of it may predate the commit), and
 *   if the mirror ever changes without the cache hearing of a commit (`readGeneration` moved
 *   further), every answer goes.
 * - Queries that read the clock (`now()`) are never kept; neither are errors, POSTed queries
 *   (the body is not in the key) nor answers over `MAX_ANSWER_BYTES`.
 * - A request with `Cache-Control: no-cache` (or `no-store`) is evaluated afresh, as an HTTP
 *   cache would revalidate it: a client that doubts the cache, and the benchmark's evaluated
 *   figures, ask for that.
 */
import type {IncomingHttpHeaders, OutgoingHttpHeaders} from 'node:http'

import type {IdPredicate} from '../auth/access'
import type {CommittedTransaction, Identity, LakeStore} from '../store/types'

/** Answers kept at most (per URL and reader). */
export const MAX_ANSWERS = 2_000
/** Answer bytes kept at most, all answers together. */
export const MAX_ANSWER_CACHE_BYTES = 32 * 1024 * 1024
/** A larger answer (an export-sized list) is not kept: one would push out many page answers. */
export const MAX_ANSWER_BYTES = 256 * 1024
/** Readers remembered at most (each signed-in user, and the public); past it all start over. */
export const MAX_ANSWER_READERS = 1_000

/** Functions whose answer changes with the clock: the query is evaluated every time. */
const READS_CLOCK = /\bnow\s*\(/

export interface CachedAnswer {
  /** The response body, as `handleQuery` sent it, encoded once. */
  body: Buffer
  /** Its headers, built once (CORS is added per request: it depends on the Origin). */
  headers: OutgoingHttpHeaders
}

interface Reader {
  identity: Identity
  /** Per URL. */
  answers: Map<string, CachedAnswer>
  /** The commit count when something this reader may read last changed (or it was first seen). */
  changedAt: number
}

export class AnswerCache {
  private readonly readers = new Map<string, Reader>()
  /** Per URL, how many readers hold an answer: a URL nobody holds is told apart at once. */
  private readonly urls = new Map<string, number>()
  /** Every kept answer as `[reader, url]`, oldest first (a Map keeps insertion order). */
  private readonly order = new Map<string, [string, string]>()
  private bytes = 0
  /** Commits heard of since the cache started. */
  private commits = 0
  private generation: number
  private readonly maxAnswers: number
  private readonly readGeneration: () => number
  private readonly canRead: (identity: Identity) => IdPredicate
  hits = 0
  misses = 0

  constructor(
    store: Pick<LakeStore, 'subscribe' | 'readGeneration'>,
    canRead: (identity: Identity) => IdPredicate,
    maxAnswers = MAX_ANSWERS,
  ) {
    this.readGeneration = () => store.readGeneration()
    this.canRead = canRead
    this.maxAnswers = Math.max(0, maxAnswers)
    this.generation = this.readGeneration()
    store.subscribe((transaction) => this.committed(transaction))
  }

  /** Answers kept. */
  get size(): number {
    return this.order.size
  }

  /** Whether a request may be answered from, and its answer kept in, the cache. */
  static mayUse(method: string | undefined, headers: IncomingHttpHeaders): boolean {
    if (method !== 'GET') return false
    const cacheControl = headers['cache-control']
    return cacheControl === undefined || !/no-cache|no-store/i.test(cacheControl)
  }

  /** Whether an answer to `query` may be kept. */
  static mayKeep(query: string, body: string): boolean {
    // UTF-8 takes at least one byte per UTF-16 unit: the cheap length test comes first.
    return (
      body.length <= MAX_ANSWER_BYTES &&
      Buffer.byteLength(body) <= MAX_ANSWER_BYTES &&
      !READS_CLOCK.test(query)
    )
  }

  /** An answer to keep: `text` sent with `contentType` (and `Vary: Origin`, as every answer). */
  static answer(text: string, contentType: string): CachedAnswer {
    const body = Buffer.from(text)
    return {
      body,
      headers: {'content-type': contentType, 'content-length': body.length, vary: 'Origin'},
    }
  }

  private static key(identity: Identity): string {
    return `${identity.role}\u0000${identity.id}`
  }

  /** Whether anyone has an answer for `url` (before resolving who asks). */
  has(url: string): boolean {
    if (this.order.size === 0) return false
    this.checkGeneration()
    return this.urls.has(url)
  }

  get(url: string, identity: Identity): CachedAnswer | undefined {
    if (this.maxAnswers === 0) return undefined
    this.checkGeneration()
    const answer = this.readers.get(AnswerCache.key(identity))?.answers.get(url)
    if (answer) this.hits++
    else this.misses++
    return answer
  }

  /** Where an evaluation starts: pass it to `set` with the answer. */
  start(): number {
    this.checkGeneration()
    return this.commits
  }

  /** Keeps the answer of an evaluation that began at `startedAt` (`start()`), if still current. */
  set(url: string, identity: Identity, startedAt: number, answer: CachedAnswer): void {
    if (this.maxAnswers === 0) return
    this.checkGeneration()
    const key = AnswerCache.key(identity)
    let reader = this.readers.get(key)
    if (!reader) {
      if (this.readers.size >= MAX_ANSWER_READERS) this.clear()
      reader = {identity, answers: new Map(), changedAt: this.commits}
      this.readers.set(key, reader)
    }
    // Something this reader may read changed while the answer was being worked out.
    if (reader.changedAt > startedAt) return
    this.drop(key, reader, url)
    reader.answers.set(url, answer)
    this.urls.set(url, (this.urls.get(url) ?? 0) + 1)
    this.order.set(`${key}\u0000${url}`, [key, url])
    this.bytes += answer.body.length
    while (this.order.size > this.maxAnswers || this.bytes > MAX_ANSWER_CACHE_BYTES) {
      const oldest = this.order.values().next()
      if (oldest.done) break
      const [oldKey, oldUrl] = oldest.value
      const holder = this.readers.get(oldKey)
      if (holder) this.drop(oldKey, holder, oldUrl)
      else this.order.delete(`${oldKey}\u0000${oldUrl}`)
    }
  }

  private drop(key: string, reader: Reader, url: string): void {
    const answer = reader.answers.get(url)
    if (!answer) return
    reader.answers.delete(url)
    this.bytes -= answer.body.length
    this.order.delete(`${key}\u0000${url}`)
    const holders = (this.urls.get(url) ?? 1) - 1
    if (holders > 0) this.urls.set(url, holders)
    else this.urls.delete(url)
  }

  private forget(key: string, reader: Reader): void {
    for (const url of [...reader.answers.keys()]) this.drop(key, reader, url)
  }

  private clear(): void {
    this.readers.clear()
    this.urls.clear()
    this.order.clear()
    this.bytes = 0
  }

  /** The mirror changed without a commit this cache heard of: nothing kept can be trusted. */
  private checkGeneration(): void {
    const generation = this.readGeneration()
    if (generation === this.generation) return
    this.generation = generation
    this.commits++
    this.clear()
  }

  private committed(transaction: CommittedTransaction): void {
    this.commits++
    try {
      // One read predicate per role (the public's changes with the data, so it is asked now).
      const touches = new Map<string, boolean>()
      for (const [key, reader] of this.readers) {
        const role = reader.identity.role
        let touched = touches.get(role)
        if (touched === undefined) {
          const readable = this.canRead(reader.identity)
          touched = transaction.changes.some((change) => readable(change.documentId))
          touches.set(role, touched)
        }
        if (!touched) continue
        this.forget(key, reader)
        reader.changedAt = this.commits
      }
    } catch {
      // Unsure what changed for whom: start over rather than serve a stale answer.
      this.clear()
    }
    this.generation = this.readGeneration()
  }
}
