/**
 * A presence socket as the Studio opens it (bifur: JSON-RPC 2.0 over `wss://…/socket/{ds}`), for
 * tests: `call` sends a request and resolves with its reply, `next` waits for a message.
 *
 *   const peer = openPresence(lake, lake.createToken('viewer'))
 *   await peer.opened
 *   await peer.call('presence_subscribe')
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import WebSocket from 'ws'

export interface Rpc {
  id?: string
  result?: unknown
  error?: {code: number; message?: string}
  method?: string
  params?: {subscription: string; result: Record<string, unknown>}
}

export interface PresencePeer {
  ws: WebSocket
  opened: Promise<void>
  call(method: string, params?: Record<string, unknown>): Promise<Rpc>
  next(predicate: (message: Rpc) => boolean): Promise<Rpc>
  /** Every message so far, heartbeats left out. */
  messages: Rpc[]
}

export function openPresence(
  lake: {url: string; dataDir: string},
  token?: string,
  path = '/v2022-06-30/socket/production',
): PresencePeer {
  const ca = readFileSync(join(lake.dataDir, 'tls', 'cert.pem'), 'utf8')
  const ws = new WebSocket(`${lake.url.replace(/^https/, 'wss')}${path}?tag=sanity.studio`, {
    ca,
    headers: token ? {authorization: `Bearer ${token}`} : {},
  })
  const messages: Rpc[] = []
  const waiters: (() => void)[] = []
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8')
    if (text !== '♥') messages.push(JSON.parse(text) as Rpc)
    for (const wake of waiters.splice(0)) wake()
  })
  const next = async (predicate: (m: Rpc) => boolean): Promise<Rpc> => {
    for (;;) {
      const found = messages.find(predicate)
      if (found) return found
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  let counter = 0
  const call = async (method: string, params: Record<string, unknown> = {}) => {
    const id = `r${++counter}`
    ws.send(JSON.stringify({jsonrpc: '2.0', method, params: {...params, apiVersion: 'v1'}, id}))
    return next((m) => m.id === id)
  }
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
  return {ws, opened, call, next, messages}
}
