/**
 * The lake's HTTP/2 deadlines. The limits themselves, and the HTTP/1.1 ones Node enforces, are in
 * `lib/transport.ts`, shared with the frontend and the intake.
 */
import {
  constants,
  type Http2SecureServer,
  type Http2ServerRequest,
  type ServerHttp2Session,
} from 'node:http2'

import type {TransportTimeouts} from '../../lib/transport'

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
    // One timer per session, restarted (`refresh`, which also revives one that fired) whenever
    // the last open stream closes, rather than a new timer for every request. Firing while a
    // stream is open does nothing: that stream's close starts the wait again.
    const idle = setTimeout(() => {
      // GOAWAY first: a client that was about to send a request learns it was not processed.
      if (open === 0) session.close()
    }, timeouts.headersMs)
    idle.unref()
    session.on('stream', (stream) => {
      open++
      stream.once('close', () => {
        open--
        if (open === 0 && !session.destroyed) idle.refresh()
      })
    })
    session.once('close', () => clearTimeout(idle))
  })
  server.on('request', (req: Http2ServerRequest, res) => {
    // No body (a GET, a listen stream): the request is complete with its headers. A response may
    // then stream as long as it likes.
    if (req.httpVersionMajor !== 2 || req.stream.endAfterHeaders) return
    const deadline = setTimeout(() => {
      // The client has sent all it will (its side of the stream is closed), whether or not the
      // handler read it: complete, whatever the response is still doing.
      if (req.complete || req.stream.state.remoteClose) return
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
    req.stream.once('close', done)
    res.once('close', done)
  })
}
