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
  /** `options` as text: listeners with equal options are sent equal bytes for equal events. */
  optionsKey: string
}

/**
 * What one transaction's delivery works out once and shares between listeners: a filter's
 * verdict on a document (listeners with the same filter share one predicate), a read
 * predicate's verdict on an id (one per role), and the bytes of each distinct list of events.
 * With hundreds of Studio listeners on a handful of filters, a publish then costs a few filter
 * evaluations and one serialisation per filter and role instead of one per listener.
 */
interface Delivery {
  verdicts: Map<Listener['matches'], Map<StoredDocument, boolean>>
  reads: Map<Listener['canRead'], Map<string, boolean>>
  payloads: Map<string, Buffer>
}

/** A filter's predicate, shared by the open listeners with the same query and parameters. */
interface SharedFilter {
  matches: Listener['matches']
  listeners: number
}

export class ListenHub {
  readonly #listeners = new Set<Listener>()
  readonly #filters = new Map<string, SharedFilter>()
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
    let filterKey: string
    let shared: SharedFilter | undefined
    try {
      if (!query) throw new LakeError(400, 'queryParseError', 'Missing query parameter "query"')
      filterKey = JSON.stringify([query, queryParams])
      shared = this.#filters.get(filterKey)
      if (!shared) {
        shared = {matches: store.listenFilter(query, queryParams), listeners: 0}
        this.#filters.set(filterKey, shared)
      }
    } catch (error) {
      // Query errors are a 200 stream with one `channelError`, which @sanity/client turns into
      // a ChannelError carrying the message (instead of retrying a failed connection forever).
      openEventStream(res)
      const body =
        error instanceof LakeError ? error.toJSON() : {error: {description: String(error)}}
      res.end(sse('channelError', {message: error instanceof Error ? error.message : '', ...body}))
      return
    }
    const filter = shared
    filter.listeners++
    const listener: Listener = {
      res,
      matches: filter.matches,
      canRead,
      options: {
        includeResult: flag(params, 'includeResult', true),
        includePreviousRevision: flag(params, 'includePreviousRevision'),
        includeMutations: flag(params, 'includeMutations', true),
        includeAllVersions: flag(params, 'includeAllVersions'),
        mendoza: params.get('effectFormat') === 'mendoza',
        visibility: params.get('visibility') ?? 'query',
      },
      optionsKey: '',
    }
    listener.optionsKey = JSON.stringify(listener.options)
    openEventStream(res)
    this.#listeners.add(listener)
    // `res` 'close' fires when the client goes away; `req` 'close' fires once the body is read.
    res.once('close', () => {
      this.#listeners.delete(listener)
      if (--filter.listeners === 0 && this.#filters.get(filterKey) === filter) {
        this.#filters.delete(filterKey)
      }
    })
    res.write(sse('welcome', {listenerName: `L${++this.#counter}`}))
  }

  #publish(transaction: CommittedTransaction): void {
    const delivery: Delivery = {verdicts: new Map(), reads: new Map(), payloads: new Map()}
    for (const listener of this.#listeners) {
      try {
        const events = this.#eventsFor(listener, transaction, delivery)
        if (events.length === 0) continue
        if (bufferedBytes(listener.res) > MAX_BUFFERED_BYTES) {
          // A client that stopped reading would make us buffer every commit forever. Ending
          // the stream makes it reconnect, receive `welcome` and refetch, which is correct.
          this.#listeners.delete(listener)
          listener.res.end()
          continue
        }
        // The same events for the same options are the same bytes: encoded once, written to each.
        const key =
          listener.optionsKey +
          events.map(({position, transition}) => `|${position}${transition}`).join('')
        let payload = delivery.payloads.get(key)
        if (!payload) {
          payload = Buffer.from(
            events
              .map(({change, transition}, index) =>
                this.#format(listener, transaction, change, transition, index, events.length),
              )
              .join(''),
          )
          delivery.payloads.set(key, payload)
        }
        listener.res.write(payload)
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
    delivery: Delivery,
  ): {
    change: DocumentChange
    position: number
    transition: 'appear' | 'update' | 'disappear'
  }[] {
    const out: {
      change: DocumentChange
      position: number
      transition: 'appear' | 'update' | 'disappear'
    }[] = []
    let reads = delivery.reads.get(listener.canRead)
    if (!reads) delivery.reads.set(listener.canRead, (reads = new Map()))
    let verdicts = delivery.verdicts.get(listener.matches)
    if (!verdicts) delivery.verdicts.set(listener.matches, (verdicts = new Map()))
    const known = verdicts
    // Remembered only once worked out: a filter that throws (over its time limit) throws for
    // every listener using it, as each one's own filter did.
    const matches = (document: StoredDocument): boolean => {
      let verdict = known.get(document)
      if (verdict === undefined) {
        verdict = listener.matches(document)
        known.set(document, verdict)
      }
      return verdict
    }
    transaction.changes.forEach((change, position) => {
      let readable = reads.get(change.documentId)
      if (readable === undefined) {
        readable = listener.canRead(change.documentId)
        reads.set(change.documentId, readable)
      }
      if (!readable) return
      if (!listener.options.includeAllVersions && change.documentId.startsWith('versions.')) return
      const before = change.previous !== null && matches(change.previous)
      const after = change.result !== null && matches(change.result)
      if (!before && !after) return
      out.push({
        change,
        position,
        transition: before && after ? 'update' : after ? 'appear' : 'disappear',
      })
    })
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
    this.#filters.clear()
  }
}
