/**
 * `GET /data/listen/{ds}`: Server-Sent Events as Content Lake sends them (see the lake contract
 * notes, "Listen (SSE) contract"). One store subscription feeds every open listener; each one
 * gets, in commit order, an event per document of a transaction that matched its GROQ filter
 * before or after the change and that its identity may read.
 */
import {
  type CommittedTransaction,
  type DocumentChange,
  LakeError,
  type LakeStore,
  type StoredDocument,
} from '../store/types'
import {bufferedBytes, flag, type LakeResponse, withoutRev} from './common'
import {keepAlive, openEventStream, sse} from './sse'

/** A listener this far behind is disconnected rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

interface ListenerOptions {
  includeResult: boolean
  includePreviousRevision: boolean
  includeMutations: boolean
  includeAllVersions: boolean
  mendoza: boolean
  visibility: string
}

interface Listener {
  res: LakeResponse
  matches: (document: StoredDocument) => boolean
  canRead: (documentId: string) => boolean
  options: ListenerOptions
}

export class ListenHub {
  readonly #listeners = new Set<Listener>()
  readonly #unsubscribe: () => void
  readonly #timer: NodeJS.Timeout
  #counter = 0

  constructor(store: LakeStore) {
    this.#unsubscribe = store.subscribe((transaction) => this.#publish(transaction))
    this.#timer = keepAlive(this.#listeners)
  }

  get size(): number {
    return this.#listeners.size
  }

  /** Opens a stream; the caller has checked the dataset and resolved the identity. */
  open(
    store: LakeStore,
    res: LakeResponse,
    /** What the listener's identity may read: events for anything else are never sent. */
    canRead: (documentId: string) => boolean,
    params: URLSearchParams,
    queryParams: Record<string, unknown>,
  ): void {
    const query = params.get('query')
    let matches: Listener['matches']
    try {
      if (!query) throw new LakeError(400, 'queryParseError', 'Missing query parameter "query"')
      matches = store.listenFilter(query, queryParams)
    } catch (error) {
      // Query errors are a 200 stream with one `channelError`, which @sanity/client turns into
      // a ChannelError carrying the message (instead of retrying a failed connection forever).
      openEventStream(res)
      const body =
        error instanceof LakeError ? error.toJSON() : {error: {description: String(error)}}
      res.end(sse('channelError', {message: error instanceof Error ? error.message : '', ...body}))
      return
    }
    const listener: Listener = {
      res,
      matches,
      canRead,
      options: {
        includeResult: flag(params, 'includeResult', true),
        includePreviousRevision: flag(params, 'includePreviousRevision'),
        includeMutations: flag(params, 'includeMutations', true),
        includeAllVersions: flag(params, 'includeAllVersions'),
        mendoza: params.get('effectFormat') === 'mendoza',
        visibility: params.get('visibility') ?? 'query',
      },
    }
    openEventStream(res)
    this.#listeners.add(listener)
    // `res` 'close' fires when the client goes away; `req` 'close' fires once the body is read.
    res.once('close', () => this.#listeners.delete(listener))
    res.write(sse('welcome', {listenerName: `L${++this.#counter}`}))
  }

  #publish(transaction: CommittedTransaction): void {
    for (const listener of this.#listeners) {
      try {
        const events = this.#eventsFor(listener, transaction)
        if (events.length === 0) continue
        if (bufferedBytes(listener.res) > MAX_BUFFERED_BYTES) {
          // A client that stopped reading would make us buffer every commit forever. Ending
          // the stream makes it reconnect, receive `welcome` and refetch, which is correct.
          this.#listeners.delete(listener)
          listener.res.end()
          continue
        }
        listener.res.write(
          events
            .map(({change, transition}, index) =>
              this.#format(listener, transaction, change, transition, index, events.length),
            )
            .join(''),
        )
      } catch (error) {
        // A filter over its time limit, or a stream that broke between its close and our
        // 'close' handler: drop the listener (telling it why when it can hear), serve the rest.
        this.#listeners.delete(listener)
        if (error instanceof LakeError) {
          try {
            listener.res.end(sse('channelError', {message: error.message, ...error.toJSON()}))
          } catch {
            // Already gone.
          }
        }
      }
    }
  }

  #eventsFor(
    listener: Listener,
    transaction: CommittedTransaction,
  ): {change: DocumentChange; transition: 'appear' | 'update' | 'disappear'}[] {
    const out: {change: DocumentChange; transition: 'appear' | 'update' | 'disappear'}[] = []
    for (const change of transaction.changes) {
      if (!listener.canRead(change.documentId)) continue
      if (!listener.options.includeAllVersions && change.documentId.startsWith('versions.'))
        continue
      const before = change.previous !== null && listener.matches(change.previous)
      const after = change.result !== null && listener.matches(change.result)
      if (!before && !after) continue
      out.push({change, transition: before && after ? 'update' : after ? 'appear' : 'disappear'})
    }
    return out
  }

  #format(
    listener: Listener,
    transaction: CommittedTransaction,
    change: DocumentChange,
    transition: 'appear' | 'update' | 'disappear',
    index: number,
    total: number,
  ): string {
    const {options} = listener
    const eventId = `${transaction.transactionId}#${change.documentId}`
    const data: Record<string, unknown> = {
      eventId,
      documentId: change.documentId,
      transactionId: transaction.transactionId,
      transition,
      identity: transaction.author,
      resultRev: change.result?._rev ?? transaction.transactionId,
      timestamp: transaction.timestamp,
      visibility: options.visibility,
      transactionTotalEvents: total,
      transactionCurrentEvent: index + 1,
    }
    if (change.previous) data['previousRev'] = change.previous._rev
    if (options.includeMutations) data['mutations'] = change.mutations
    if (options.mendoza) {
      // A mendoza patch `[0, value]` replaces the whole document: no diffing needed, and
      // `_rev` is left out as Content Lake leaves it out of effects.
      data['effects'] = {
        apply: [0, withoutRev(change.result)],
        revert: [0, withoutRev(change.previous)],
      }
    }
    if (options.includeResult && change.result) data['result'] = change.result
    if (options.includePreviousRevision && change.previous) data['previous'] = change.previous
    return sse('mutation', data, eventId)
  }

  /** Ends every stream (shutdown); clients reconnect to the next lake on their own. */
  close(): void {
    clearInterval(this.#timer)
    this.#unsubscribe()
    for (const listener of this.#listeners) listener.res.end()
    this.#listeners.clear()
  }
}
