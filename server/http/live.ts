/**
 * The Live Content API: `syncTags` on query responses, and `GET /data/live/events/<dataset>`, the
 * server-sent events that say which tags a write invalidated (as `client.live.events()` reads
 * them; see https://www.sanity.io/docs/live-content-api).
 *
 * **Tags.** A query is tagged by the document types it can read: each `*` must be filtered by a
 * constant `_type == "t"` / `_type in [...]` (literal or parameter) conjunct, and the query's
 * tags are one per such type. Any `*` without one, any dereference (`->`, which reads documents
 * of any type) or a query groq-js cannot parse gets the single "everything" tag instead. Coarse
 * but correct: a write emits the tag of every type it touched (before and after) plus the
 * "everything" tag, so every query whose result could change is told to refetch. Writes that
 * change which assets a published document references also emit the asset types' tags (an
 * anonymous reader's view of asset documents depends on them, `server/assets/access.ts`). Tags
 * are opaque (`s1:` and a hash), like Content Lake's.
 *
 * **Events.** `event: welcome` on connect; then per committed transaction `event: message`,
 * `id: <transaction id>`, `data: {"tags": [...]}` with the tags of the changes the listener may
 * see: documents its identity may read, and drafts/versions only with `includeDrafts=true`,
 * which needs a token (401 without). A reconnect with `Last-Event-ID` replays what was missed
 * from the durable transaction log (so it survives a lake restart); an id the log does not know,
 * or one more than `MAX_REPLAY_TRANSACTIONS` behind, gets `event: restart` (refetch everything).
 */
import {createHash} from 'node:crypto'

import {parse} from 'groq-js'

import {changesAssetReferences} from '../assets/access'
import {isDraftId, isVersionId} from '../store/ids'
import type {
  CommittedTransaction,
  Identity,
  LakeStore,
  StoredDocument,
  TransactionLogEntry,
} from '../store/types'
import {bufferedBytes, flag, header, type LakeResponse, unauthorized} from './common'
import {keepAlive, openEventStream, sse} from './sse'

export type SyncTag = `s1:${string}`

/**
 * A client further behind than this many transactions is told to `restart` (refetch) rather
 * than be replayed to: refetching is then cheaper than reading that much of the log.
 */
export const MAX_REPLAY_TRANSACTIONS = 1000
/** A listener this far behind is disconnected rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024
/** Distinct (query, params) pairs whose tags are remembered; a full cache starts over. */
const MAX_CACHED_TAGS = 1000

function tagOf(name: string): SyncTag {
  return `s1:${createHash('sha1').update(name).digest('base64url').slice(0, 10)}`
}

/** The tag every write emits and every untyped query carries. */
export const EVERYTHING_TAG = tagOf('*')
export const typeTag = (type: string): SyncTag => tagOf(`type:${type}`)
const ASSET_TYPES = ['sanity.imageAsset', 'sanity.fileAsset']

interface Node {
  type: string
  [key: string]: unknown
}

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).type === 'string'

function isTypeAttribute(node: unknown): boolean {
  return (
    isNode(node) &&
    node.type === 'AccessAttribute' &&
    node['name'] === '_type' &&
    (node['base'] === undefined || (isNode(node['base']) && node['base'].type === 'This'))
  )
}

/** The constant strings a node stands for (a literal, a parameter, or an array of them). */
function constants(
  node: unknown,
  params: Record<string, unknown>,
  array: boolean,
): string[] | null {
  if (!isNode(node)) return null
  let value: unknown
  if (node.type === 'Value') value = node['value']
  else if (node.type === 'Parameter') value = params[String(node['name'])]
  else if (node.type === 'Array' && array) {
    const out: string[] = []
    for (const element of node['elements'] as unknown[]) {
      if (!isNode(element) || element['isSplat']) return null
      const inner = constants(element['value'], params, false)
      if (!inner) return null
      out.push(...inner)
    }
    return out
  } else return null
  if (typeof value === 'string') return array ? null : [value]
  if (array && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value as string[]
  }
  return null
}

/**
 * The types a filter confines `*` to, or null when it does not confine it. And/Or/Group nest as
 * deep as the query does, so they are walked with a stack (no input can overflow the call
 * stack): each frame resolves its parent once its own children have resolved.
 */
function typesOf(expr: unknown, params: Record<string, unknown>): Set<string> | null {
  type Types = Set<string> | null
  let answer: Types = null
  const stack: {node: unknown; resolve: (types: Types) => void}[] = [
    {node: expr, resolve: (types) => (answer = types)},
  ]
  while (stack.length > 0) {
    const {node, resolve} = stack.pop() as (typeof stack)[number]
    if (!isNode(node)) {
      resolve(null)
    } else if (node.type === 'Group') {
      stack.push({node: node['base'], resolve})
    } else if (node.type === 'And' || node.type === 'Or') {
      const sides: Types[] = []
      const settle = (types: Types) => {
        sides.push(types)
        if (sides.length < 2) return
        const [left = null, right = null] = sides
        if (node.type === 'And') {
          // Either side confining `*` confines the conjunction.
          resolve(left && right ? new Set([...left].filter((t) => right.has(t))) : (left ?? right))
        } else resolve(left && right ? new Set([...left, ...right]) : null)
      }
      stack.push({node: node['left'], resolve: settle}, {node: node['right'], resolve: settle})
    } else if (node.type === 'OpCall' && (node['op'] === '==' || node['op'] === 'in')) {
      const array = node['op'] === 'in'
      const value = isTypeAttribute(node['left'])
        ? node['right']
        : !array && isTypeAttribute(node['right'])
          ? node['left']
          : undefined
      const values = value === undefined ? null : constants(value, params, array)
      resolve(values ? new Set(values) : null)
    } else resolve(null)
  }
  return answer
}

/** The tags of a query: one per type it reads, or the "everything" tag. */
export function queryTags(query: string, params: Record<string, unknown>): SyncTag[] {
  let tree: unknown
  try {
    tree = parse(query, {params})
  } catch {
    return [EVERYTHING_TAG]
  }
  const types = new Set<string>()
  const stack: {node: unknown; parent: Node | null}[] = [{node: tree, parent: null}]
  while (stack.length > 0) {
    const {node, parent} = stack.pop() as (typeof stack)[number]
    if (Array.isArray(node)) {
      for (const child of node) stack.push({node: child, parent})
      continue
    }
    if (!isNode(node)) continue
    if (node.type === 'Deref') return [EVERYTHING_TAG]
    if (node.type === 'Everything') {
      const confined =
        parent?.type === 'Filter' && parent['base'] === node
          ? typesOf(parent['expr'], params)
          : null
      if (!confined) return [EVERYTHING_TAG]
      for (const type of confined) types.add(type)
      continue
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'type' && typeof child === 'object') stack.push({node: child, parent: node})
    }
  }
  // A query that reads no documents at all (`1 + 1`) depends on nothing.
  return [...types].sort().map(typeTag)
}

const tagCache = new Map<string, SyncTag[]>()

/** `queryTags`, remembered per (query, params): frontends repeat the same queries. */
export function syncTagsFor(query: string, params: Record<string, unknown>): SyncTag[] {
  const key = JSON.stringify([query, params])
  let tags = tagCache.get(key)
  if (!tags) {
    if (tagCache.size >= MAX_CACHED_TAGS) tagCache.clear()
    tags = queryTags(query, params)
    tagCache.set(key, tags)
  }
  return tags
}

interface Change {
  documentId: string
  previous: StoredDocument | null
  result: StoredDocument | null
}

interface LiveListener {
  res: LakeResponse
  canRead: (documentId: string) => boolean
  includeDrafts: boolean
}

/** The tags one listener may learn from one transaction (empty: it hears nothing). */
function tagsFor(listener: LiveListener, changes: readonly Change[]): SyncTag[] {
  const tags = new Set<SyncTag>()
  for (const change of changes) {
    const {documentId} = change
    if (!listener.includeDrafts && (isDraftId(documentId) || isVersionId(documentId))) continue
    if (!listener.canRead(documentId)) continue
    for (const document of [change.previous, change.result]) {
      if (document) tags.add(typeTag(document._type))
    }
    if (changesAssetReferences(change)) for (const type of ASSET_TYPES) tags.add(typeTag(type))
  }
  if (tags.size === 0) return []
  return [EVERYTHING_TAG, ...[...tags].sort()]
}

function changesOf(entry: TransactionLogEntry): Change[] {
  return entry.documentIDs.map((documentId) => ({
    documentId,
    previous: entry.documents?.[documentId]?.previous ?? null,
    result: entry.documents?.[documentId]?.result ?? null,
  }))
}

export class LiveHub {
  readonly #listeners = new Set<LiveListener>()
  readonly #store: LakeStore
  readonly #unsubscribe: () => void
  readonly #timer: NodeJS.Timeout
  /** The newest transaction listeners have been told about: replays stop there. */
  #head: string | undefined

  constructor(store: LakeStore) {
    this.#store = store
    // At start every logged transaction has been published (nothing is in flight yet).
    this.#head = store.transactions({reverse: true, limit: 1})[0]?.id
    this.#unsubscribe = store.subscribe((transaction) => this.#publish(transaction))
    this.#timer = keepAlive(this.#listeners)
  }

  get size(): number {
    return this.#listeners.size
  }

  /** `GET /data/live/events/<dataset>`; the caller has checked the dataset. */
  open(
    res: LakeResponse,
    identity: Identity,
    canRead: (documentId: string) => boolean,
    params: URLSearchParams,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    const includeDrafts = flag(params, 'includeDrafts')
    if (includeDrafts && identity.role === 'anonymous') {
      throw unauthorized('Drafts need a token: includeDrafts=true is for authenticated listeners')
    }
    const listener: LiveListener = {res, canRead, includeDrafts}
    openEventStream(res)
    // What was missed is read and the listener registered in one synchronous step: no commit can
    // be published in between, so nothing is lost or sent twice.
    const lastEventId = header(headers, 'last-event-id') ?? params.get('lastEventId') ?? undefined
    let out = sse('welcome', {}, this.#head)
    if (lastEventId !== undefined && lastEventId !== this.#head) {
      out += this.#replay(listener, lastEventId)
    }
    this.#listeners.add(listener)
    res.once('close', () => this.#listeners.delete(listener))
    res.write(out)
  }

  #replay(listener: LiveListener, lastEventId: string): string {
    const restart = sse('restart', {}, this.#head)
    if (this.#head === undefined) return restart
    const entries = this.#store.transactions({
      fromTransaction: lastEventId,
      toTransaction: this.#head,
      includeDocuments: true,
      limit: MAX_REPLAY_TRANSACTIONS + 2,
    })
    // Unknown to the log (another lake, a wiped dataset) or too far behind: refetch everything.
    if (entries[0]?.id !== lastEventId || entries.length > MAX_REPLAY_TRANSACTIONS + 1) {
      return restart
    }
    let out = ''
    for (const entry of entries.slice(1)) {
      const tags = tagsFor(listener, changesOf(entry))
      if (tags.length > 0) out += sse('message', {tags}, entry.id)
    }
    return out
  }

  #publish(transaction: CommittedTransaction): void {
    this.#head = transaction.transactionId
    for (const listener of this.#listeners) {
      try {
        const tags = tagsFor(listener, transaction.changes)
        if (tags.length === 0) continue
        if (bufferedBytes(listener.res) > MAX_BUFFERED_BYTES) {
          // A client that stopped reading: ending the stream makes it reconnect and resume.
          this.#listeners.delete(listener)
          listener.res.end()
          continue
        }
        listener.res.write(sse('message', {tags}, transaction.transactionId))
      } catch {
        this.#listeners.delete(listener)
      }
    }
  }

  close(): void {
    clearInterval(this.#timer)
    this.#unsubscribe()
    for (const listener of this.#listeners) listener.res.end()
    this.#listeners.clear()
  }
}
