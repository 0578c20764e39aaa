/**
 * Server-sent events, as `/data/listen` and the Live Content API (`/data/live/events`) send them:
 * one way to frame an event, to open a stream, and to keep idle streams alive.
 */
import type {LakeResponse} from './common'

/**
 * A comment line this often keeps proxies and browsers from closing an idle stream (Content Lake
 * sends one about as often).
 */
export const KEEP_ALIVE_MS = 25_000

export function sse(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

export function openEventStream(res: LakeResponse): void {
  res.statusCode = 200
  res.setHeader('content-type', 'text/event-stream; charset=utf-8')
  res.setHeader('cache-control', 'no-cache, no-transform')
}

/**
 * Pings every stream in `streams` every `KEEP_ALIVE_MS`; a stream that cannot be written is
 * dropped from the set. The timer alone never keeps a process (a test, a script) running.
 */
export function keepAlive(streams: Set<{res: LakeResponse}>): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const stream of streams) {
      try {
        stream.res.write(': ping\n\n')
      } catch {
        streams.delete(stream)
      }
    }
  }, KEEP_ALIVE_MS)
  timer.unref()
  return timer
}
