/**
 * `GET /api/live`: the Live Content API relayed to readers' browsers, on the frontend's own origin.
 *
 * Each page embeds the `syncTags` of the queries it was rendered from; a small script
 * (`web/browser/live.ts`) listens here and refetches the page when a published change carries
 * one of its tags. The browser does not connect to the lake itself: it cannot be expected to
 * trust the local lake's self-signed certificate, nor the lake to list every frontend in CORS.
 *
 * One upstream subscription (`client.live.events()`, published content only, no token) serves
 * every reader; it is opened when the first reader connects and closed when the last leaves.
 * Bounded: at most `maxSubscribers` streams (more are told 503 with `Retry-After`), a comment
 * every `heartbeatMs` so idle streams and proxies stay open, and a stream that closes or cannot
 * be written is dropped at once.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {LiveEvent, SanityClient} from '@sanity/client'

export const LIVE_PATH = '/api/live'
/** Open streams one frontend process keeps; a reader past it falls back to a static page. */
export const MAX_LIVE_SUBSCRIBERS = 500
/** As often as Content Lake pings its own streams. */
export const LIVE_HEARTBEAT_MS = 25_000
/** A reader's browser retries this long after a dropped stream (the SSE `retry:` field). */
const RETRY_MS = 5_000

export interface LiveRelayOptions {
  maxSubscribers?: number
  heartbeatMs?: number
  log?: (message: string) => void
}

export interface LiveRelay {
  handle(req: IncomingMessage, res: ServerResponse): void
  /** Readers connected now (tests watch it fall back to 0). */
  readonly subscribers: number
  /** Whether the upstream subscription is open. */
  readonly upstreamOpen: boolean
  close(): void
}

function frame(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

export function createLiveRelay(client: SanityClient, options: LiveRelayOptions = {}): LiveRelay {
  const max = options.maxSubscribers ?? MAX_LIVE_SUBSCRIBERS
  const heartbeatMs = options.heartbeatMs ?? LIVE_HEARTBEAT_MS
  const log = options.log ?? ((message: string) => console.warn(message))
  const streams = new Set<ServerResponse>()
  let upstream: {unsubscribe(): void} | null = null
  let heartbeat: NodeJS.Timeout | null = null

  const drop = (res: ServerResponse): void => {
    if (!streams.delete(res)) return
    if (!res.writableEnded) res.end()
    if (streams.size === 0) stopUpstream()
  }

  const broadcast = (text: string): void => {
    for (const res of streams) {
      try {
        res.write(text)
      } catch {
        drop(res)
      }
    }
  }

  function startUpstream(): void {
    if (upstream) return
    upstream = client.live.events().subscribe({
      next(event: LiveEvent) {
        if (event.type === 'message') broadcast(frame('message', {tags: event.tags}, event.id))
        // The lake could not replay what was missed: every page refetches.
        else if (event.type === 'restart') broadcast(frame('restart', {}))
      },
      error(error: unknown) {
        log(`web: live events ended: ${error instanceof Error ? error.message : String(error)}`)
        upstream = null
        // Readers reconnect after `retry`, and the first one to return opens a new subscription.
        for (const res of [...streams]) drop(res)
      },
    })
    heartbeat = setInterval(() => broadcast(': ping\n\n'), heartbeatMs)
    heartbeat.unref()
  }

  function stopUpstream(): void {
    upstream?.unsubscribe()
    upstream = null
    if (heartbeat) clearInterval(heartbeat)
    heartbeat = null
  }

  return {
    handle(req, res) {
      if (req.method !== 'GET') {
        res.writeHead(405, {allow: 'GET', 'content-type': 'text/plain; charset=utf-8'})
        res.end('Live updates are read with GET.')
        return
      }
      if (streams.size >= max) {
        res.writeHead(503, {
          'content-type': 'text/plain; charset=utf-8',
          'retry-after': '60',
          'cache-control': 'no-store',
        })
        res.end(`Too many readers are listening for live updates (at most ${max}); try later.`)
        return
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-content-type-options': 'nosniff',
      })
      res.write(`retry: ${RETRY_MS}\n${frame('welcome', {})}`)
      streams.add(res)
      req.socket.setTimeout(0)
      res.once('close', () => drop(res))
      startUpstream()
    },
    get subscribers() {
      return streams.size
    },
    get upstreamOpen() {
      return upstream !== null
    },
    close() {
      for (const res of [...streams]) drop(res)
      stopUpstream()
    },
  }
}
