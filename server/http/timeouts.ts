/**
 * How long a client may take to send a request, on every server this project runs (the lake's
 * HTTP/2 + TLS server with its HTTP/1.1 fallback, the frontend's HTTP/1.1 server). Without these
 * a client that sends its headers a byte at a time, or a body that stalls, holds a connection and
 * its buffers for as long as it likes (slowloris); a few hundred such clients starve everyone.
 */
import {
  constants,
  type Http2SecureServer,
  type Http2ServerRequest,
  type ServerHttp2Session,
} from 'node:http2'

export interface TransportTimeouts {
  /** From connecting (or going idle) to a complete set of request headers. */
  headersMs: number
  /** From the start of a request to the last byte of its body. */
  requestMs: number
  /** How often Node's HTTP/1.1 server looks for connections past either deadline. */
  checkIntervalMs: number
}

export const TRANSPORT_TIMEOUTS: TransportTimeouts = {
  // Real clients send their headers in one packet; 10 s covers a congested mobile link.
  headersMs: 10_000,
  // The largest body the lake takes (4 MB of mutations) arrives in 60 s at 67 KB/s: slower than
  // any link a Studio user works on.
  requestMs: 60_000,
  // Node's default is 30 s, which would let a stalled client linger 30 s past its deadline.
  checkIntervalMs: 1_000,
}

/** The options Node's HTTP/1.1 servers (and HTTP/2's HTTP/1.1 fallback) take for the deadlines. */
export function http1TimeoutOptions(timeouts: TransportTimeouts) {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: timeouts.checkIntervalMs,
  }
}

/**
 * HTTP/2 has neither deadline built in. Two take their place:
 * - a session with no open stream must open one within `headersMs`: bytes dribbled into a
 *   HEADERS frame that never completes do not count as activity (an idle-timeout would be reset
 *   by each byte), so a slow-headers client is closed while a real one, which sends its next
 *   request whenever it likes, just reconnects;
 * - each request must be complete (body and all) within `requestMs`, else it is answered 408
 *   (or, if its answer has begun, reset). Responses may stream as long as they like (listen).
 */
export function applyHttp2Timeouts(server: Http2SecureServer, timeouts: TransportTimeouts): void {
  server.on('session', (session: ServerHttp2Session) => {
    let open = 0
    let idle: NodeJS.Timeout | undefined
    const arm = () => {
      idle = setTimeout(() => session.destroy(), timeouts.headersMs)
      idle.unref()
    }
    arm()
    session.on('stream', (stream) => {
      open++
      clearTimeout(idle)
      stream.once('close', () => {
        open--
        if (open === 0 && !session.destroyed) arm()
      })
    })
    session.once('close', () => clearTimeout(idle))
  })
  server.on('request', (req: Http2ServerRequest, res) => {
    if (req.httpVersionMajor !== 2 || req.complete) return
    const deadline = setTimeout(() => {
      if (req.complete) return
      const answering = !res.headersSent
      if (answering) {
        res.writeHead(408, {'content-type': 'application/json; charset=utf-8'})
        res.end(
          JSON.stringify({
            error: {
              type: 'requestTimeoutError',
              description: `The request was not complete within ${timeouts.requestMs} ms`,
            },
            statusCode: 408,
          }),
        )
      }
      // Whatever the handler was waiting for will not arrive: once the 408 is out (or at once,
      // if an answer had begun), the stream is closed. Readers then see an incomplete request.
      if (!answering || res.writableFinished) req.stream.close(constants.NGHTTP2_CANCEL)
      else res.once('finish', () => req.stream.close(constants.NGHTTP2_CANCEL))
    }, timeouts.requestMs)
    deadline.unref()
    const done = () => clearTimeout(deadline)
    req.once('end', done)
    res.once('close', done)
  })
}

export interface BodyReadErrors {
  tooLarge: (limit: number) => Error
  timedOut: (deadlineMs: number) => Error
  /** The client went away (or was cut off) before its body ended. */
  incomplete: () => Error
}

/**
 * Reads a request body of at most `limit` bytes that must arrive within `deadlineMs`: the shared
 * reader of the lake's routes and the feedback intake, whatever server mounts them (the servers'
 * own deadlines above are the first line; this one holds on any server). A body cut short is an
 * error, never a shorter body: a truncated form can still parse, and must not be acted on.
 *
 * On a deadline it stops waiting rather than destroying the request, so the caller can still
 * answer (408); the server's own deadline, or `Connection: close`, ends the connection.
 */
export async function collectBody(
  stream: AsyncIterable<unknown> & {readonly complete?: boolean},
  limit: number,
  deadlineMs: number,
  errors: BodyReadErrors,
): Promise<Buffer> {
  const iterator = stream[Symbol.asyncIterator]()
  const chunks: Buffer[] = []
  let size = 0
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), deadlineMs)
    timer.unref()
  })
  try {
    for (;;) {
      const pending = iterator.next()
      const next = await Promise.race([pending, expired])
      if (next === 'expired') {
        // The read still pending may settle (or fail) later; nobody is waiting for it.
        pending.catch(() => undefined)
        throw errors.timedOut(deadlineMs)
      }
      if (next.done) break
      const chunk = next.value
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
      size += buffer.length
      if (size > limit) {
        // As `for await` does on a throw: the rest of the body is discarded, not buffered.
        void iterator.return?.()
        throw errors.tooLarge(limit)
      }
      chunks.push(buffer)
    }
  } catch (error) {
    if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      throw errors.incomplete()
    }
    throw error
  } finally {
    clearTimeout(timer)
  }
  if (stream.complete === false) throw errors.incomplete()
  return Buffer.concat(chunks, size)
}
