/**
 * Presence over WebSocket, speaking the Studio's bifur protocol (`@sanity/bifur-client`): JSON-RPC
 * 2.0 text frames on `wss://host/v…/socket/{ds}`, a `♥` heartbeat frame, and presence events
 * delivered as `presence_subscription` notifications. Presence tells others what a person is
 * looking at, so only authenticated identities may subscribe or announce, and each receiver is
 * told only of locations in documents its own identity may read: a viewer never learns the ids
 * of feedback reports a reviewer has open.
 */
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'

import {type RawData, WebSocket, WebSocketServer} from 'ws'

import {jsonTextDepthExceeds, jsonTooDeepMessage, MAX_JSON_DEPTH} from '../store/limits'
import type {Access} from '../auth/access'
import type {Identity} from '../store/types'
import type {TokenGuard} from '../auth/guard'
import {parseBearer} from '../auth/identify'
import type {AuthStore} from '../auth/tokens'

/** `@sanity/bifur-client`'s error codes. */
const UNAUTHORIZED = 4001
const METHOD_NOT_FOUND = -32601
const INVALID_REQUEST = -32600
const PARSE_ERROR = -32700

export const HEARTBEAT_MS = 20_000

interface Peer {
  socket: WebSocket
  dataset: string
  identity: Identity
  subscriptions: Set<string>
  /** Sessions this socket announced, so closing it tells the others they left. */
  sessions: Set<string>
  /** Where it connected from: its `authorization` calls count against that address. */
  address: string | undefined
}

interface RpcRequest {
  jsonrpc: '2.0'
  id?: string | number
  method: string
  params?: Record<string, unknown>
}

function isRpcRequest(value: unknown): value is RpcRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as {jsonrpc?: unknown}).jsonrpc === '2.0' &&
    typeof (value as {method?: unknown}).method === 'string'
  )
}

export class PresenceHub {
  readonly #wss = new WebSocketServer({noServer: true, maxPayload: 256 * 1024})
  readonly #peers = new Set<Peer>()
  readonly #auth: AuthStore
  readonly #canRead: Access['canRead']
  readonly #log: (message: string) => void
  readonly #timer: NodeJS.Timeout
  #nextSubscription = 0

  /** An open socket may present tokens too: the same per-address limit as HTTP requests. */
  readonly #tokenGuard: TokenGuard | undefined

  constructor(
    auth: AuthStore,
    canRead: Access['canRead'],
    log: (message: string) => void = (message) => console.error(message),
    tokenGuard?: TokenGuard,
  ) {
    this.#auth = auth
    this.#canRead = canRead
    this.#log = log
    this.#tokenGuard = tokenGuard
    this.#timer = setInterval(() => {
      for (const peer of this.#peers) {
        if (peer.socket.readyState === WebSocket.OPEN) peer.socket.send('♥')
      }
    }, HEARTBEAT_MS)
    this.#timer.unref()
  }

  get size(): number {
    return this.#peers.size
  }

  /** Completes an upgrade whose dataset and origin the caller has checked. */
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    dataset: string,
    identity: Identity,
  ): void {
    const address = req.socket.remoteAddress
    this.#wss.handleUpgrade(req, socket, head, (ws) =>
      this.#connect(ws, dataset, identity, address),
    )
  }

  #connect(
    socket: WebSocket,
    dataset: string,
    identity: Identity,
    address: string | undefined,
  ): void {
    const peer: Peer = {
      socket,
      dataset,
      identity,
      subscriptions: new Set(),
      sessions: new Set(),
      address,
    }
    this.#peers.add(peer)
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return
      // A socket's handlers run outside any request: a throw here would end the process. One
      // peer's bad message costs that peer its socket, and nobody else anything.
      try {
        this.#onMessage(peer, rawText(data))
      } catch (error) {
        this.#log(`presence: closing a socket after its message failed: ${String(error)}`)
        socket.terminate()
      }
    })
    socket.on('close', () => {
      this.#peers.delete(peer)
      try {
        for (const session of peer.sessions) {
          this.#broadcast(peer, {type: 'disconnect', i: peer.identity.id, m: {session}})
        }
      } catch (error) {
        this.#log(`presence: could not announce a disconnect: ${String(error)}`)
      }
    })
    socket.on('error', () => socket.terminate())
  }

  #reply(peer: Peer, id: RpcRequest['id'], body: {result: unknown} | {error: unknown}): void {
    if (id === undefined || peer.socket.readyState !== WebSocket.OPEN) return
    peer.socket.send(JSON.stringify({jsonrpc: '2.0', id, ...body}))
  }

  #broadcast(from: Peer, event: Record<string, unknown>): void {
    for (const peer of this.#peers) {
      if (peer === from || peer.dataset !== from.dataset) continue
      if (peer.socket.readyState !== WebSocket.OPEN) continue
      if (peer.subscriptions.size === 0) continue
      const visible = this.#visibleTo(peer, event)
      for (const subscription of peer.subscriptions) {
        peer.socket.send(
          JSON.stringify({
            jsonrpc: '2.0',
            method: 'presence_subscription',
            params: {subscription, result: visible},
          }),
        )
      }
    }
  }

  /**
   * The event as `receiver` may see it: a `state` event's locations (`{type: 'document',
   * documentId, path, …}`) in documents the receiver may not read are left out. Anything that is
   * not a list of such locations names no document and passes as it is.
   */
  #visibleTo(receiver: Peer, event: Record<string, unknown>): Record<string, unknown> {
    const data = event['m']
    if (event['type'] !== 'state' || typeof data !== 'object' || data === null) return event
    const locations = (data as {locations?: unknown}).locations
    if (!Array.isArray(locations)) return event
    const canRead = this.#canRead(receiver.identity)
    const readable = locations.filter((location: unknown) => {
      if (typeof location !== 'object' || location === null) return false
      const documentId = (location as {documentId?: unknown}).documentId
      // A location naming a document by anything but a readable id string is dropped, never
      // passed on unchecked.
      if (documentId === undefined) return !('documentId' in location)
      return typeof documentId === 'string' && canRead(documentId)
    })
    return {...event, m: {...data, locations: readable}}
  }

  #onMessage(peer: Peer, text: string): void {
    if (text === '♥') return
    if (jsonTextDepthExceeds(text, MAX_JSON_DEPTH)) {
      // Announced data is relayed to every other peer: nothing deeper than a document may be.
      peer.socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: {code: INVALID_REQUEST, message: jsonTooDeepMessage('The message')},
        }),
      )
      return
    }
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      peer.socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: {code: PARSE_ERROR, message: 'Parse error'},
        }),
      )
      return
    }
    if (!isRpcRequest(message)) {
      peer.socket.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id: null,
          error: {code: INVALID_REQUEST, message: 'Invalid request'},
        }),
      )
      return
    }
    const {id, method} = message
    const params = message.params ?? {}
    if (method === 'authorization') {
      const value = params['authorization']
      const token = parseBearer(typeof value === 'string' ? value : undefined)
      try {
        this.#tokenGuard?.assertMayTry(peer.address)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        this.#reply(peer, id, {error: {code: UNAUTHORIZED, message}})
        return
      }
      const identity = token ? this.#auth.identityForToken(token) : null
      if (!identity) {
        this.#tokenGuard?.failed(peer.address)
        this.#reply(peer, id, {error: {code: UNAUTHORIZED, message: 'Invalid token'}})
        return
      }
      peer.identity = identity
      this.#reply(peer, id, {result: true})
      return
    }
    if (!method.startsWith('presence_')) {
      this.#reply(peer, id, {error: {code: METHOD_NOT_FOUND, message: `Unknown method ${method}`}})
      return
    }
    if (peer.identity.role === 'anonymous') {
      this.#reply(peer, id, {
        error: {code: UNAUTHORIZED, message: 'Presence needs a signed-in user'},
      })
      return
    }
    const userId = peer.identity.id
    switch (method) {
      case 'presence_subscribe': {
        const subscription = `presence-${++this.#nextSubscription}`
        peer.subscriptions.add(subscription)
        this.#reply(peer, id, {result: subscription})
        return
      }
      case 'presence_unsubscribe': {
        const subscription = params['subscriptionId']
        if (typeof subscription === 'string') peer.subscriptions.delete(subscription)
        else peer.subscriptions.clear()
        this.#reply(peer, id, {result: true})
        return
      }
      case 'presence_rollcall':
        this.#reply(peer, id, {result: true})
        this.#broadcast(peer, {type: 'rollCall', i: userId, session: params['session']})
        return
      case 'presence_announce': {
        const data = params['data']
        const sessionId =
          typeof data === 'object' && data !== null
            ? (data as {sessionId?: unknown}).sessionId
            : null
        if (typeof sessionId === 'string') peer.sessions.add(sessionId)
        this.#reply(peer, id, {result: true})
        this.#broadcast(peer, {type: 'state', i: userId, m: data})
        return
      }
      case 'presence_disconnect': {
        const session = params['session']
        if (typeof session === 'string') peer.sessions.delete(session)
        this.#reply(peer, id, {result: true})
        this.#broadcast(peer, {type: 'disconnect', i: userId, m: {session}})
        return
      }
      default:
        this.#reply(peer, id, {
          error: {code: METHOD_NOT_FOUND, message: `Unknown method ${method}`},
        })
    }
  }

  close(): void {
    clearInterval(this.#timer)
    for (const peer of this.#peers) peer.socket.terminate()
    this.#peers.clear()
    this.#wss.close()
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8')
}
