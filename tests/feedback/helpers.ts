/**
 * The intake mounted on real loopback servers (HTTP/1.1 and HTTP/2 cleartext), and a raw POST
 * that can send what `fetch` will not (lying Content-Length, chunked bodies, any header).
 */
import {createServer, request} from 'node:http'
import {connect, createServer as createHttp2Server} from 'node:http2'
import type {AddressInfo} from 'node:net'

import {createFeedbackIntake, type FeedbackIntakeOptions} from '../../intake'

export interface MountedIntake {
  url: string
  close(): Promise<void>
}

export async function mountIntake(
  options: FeedbackIntakeOptions,
  protocol: 'http1' | 'http2' = 'http1',
): Promise<MountedIntake> {
  const handler = createFeedbackIntake(options)
  const server =
    protocol === 'http1'
      ? createServer((req, res) => void handler(req, res))
      : createHttp2Server((req, res) => void handler(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  json(): Record<string, unknown>
}

function toResponse(
  status: number,
  headers: RawResponse['headers'],
  chunks: Buffer[],
): RawResponse {
  const body = Buffer.concat(chunks).toString('utf8')
  return {status, headers, body, json: () => JSON.parse(body) as Record<string, unknown>}
}

/** POST over HTTP/1.1; `body` may be chunks (sent chunked, without a Content-Length). */
export function post(
  url: string,
  body: string | string[],
  headers: Record<string, string> = {},
  path = '/feedback',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {method: 'POST', headers}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve(toResponse(res.statusCode ?? 0, res.headers, chunks)))
    })
    // The server may answer and close before the whole body is sent (413): that is the point.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
    })
    if (Array.isArray(body)) for (const chunk of body) req.write(chunk)
    else req.write(body)
    req.end()
  })
}

/** POST over HTTP/2 cleartext (prior knowledge), as the lake's HTTP/2 server would receive it. */
export function postHttp2(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const session = connect(url)
    session.on('error', reject)
    const stream = session.request({':method': 'POST', ':path': '/feedback', ...headers})
    const chunks: Buffer[] = []
    let status = 0
    let responseHeaders: RawResponse['headers'] = {}
    stream.on('response', (h) => {
      status = Number(h[':status'])
      responseHeaders = h as RawResponse['headers']
    })
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      session.close()
      resolve(toResponse(status, responseHeaders, chunks))
    })
    stream.on('error', reject)
    stream.end(body)
  })
}

export const form = (fields: Record<string, string>): string =>
  new URLSearchParams(fields).toString()

export const FORM = {'content-type': 'application/x-www-form-urlencoded'}
export const JSON_TYPE = {'content-type': 'application/json'}

/** A test clock: starts at a fixed time, moves only when told. */
export function testClock(start = Date.parse('2026-11-25T09:00:00.000Z')) {
  let now = start
  return {now: () => now, advance: (ms: number) => void (now += ms)}
}
