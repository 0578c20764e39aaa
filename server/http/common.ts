/**
 * What every route shares: the request/response shapes of HTTP/1.1 and HTTP/2 alike, Sanity's
 * error shape, JSON replies and bounded body reading.
 */
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http'
import type {Http2ServerRequest, Http2ServerResponse} from 'node:http2'

import {collectBody, TRANSPORT_TIMEOUTS} from '../../lib/transport'
import {jsonTextDepthExceeds, jsonTooDeepMessage, MAX_JSON_DEPTH} from '../store/limits'
import {LakeError, RetryLaterError, type StoredDocument} from '../store/types'

export type LakeRequest = IncomingMessage | Http2ServerRequest

/**
 * The part of a response both protocols share. Node's two response classes have overloads that
 * TypeScript cannot call through a union, so routes see this narrower interface instead.
 */
export interface LakeResponse {
  statusCode: number
  readonly headersSent: boolean
  readonly writableEnded: boolean
  setHeader(name: string, value: string | number | readonly string[]): unknown
  getHeader(name: string): unknown
  removeHeader(name: string): void
  writeHead(statusCode: number, headers: OutgoingHttpHeaders): unknown
  write(chunk: string | Uint8Array): boolean
  end(chunk?: string | Uint8Array): unknown
  once(event: 'close' | 'drain', listener: () => void): unknown
  on(event: 'close', listener: () => void): unknown
  /** Bytes queued but not yet sent: HTTP/1.1 responses have it themselves… */
  readonly writableLength?: number
  /** …HTTP/2 responses on their stream. */
  readonly stream?: {readonly writableLength: number}
}

/** How much a response has queued for a slow client. */
export function bufferedBytes(res: LakeResponse): number {
  return res.stream?.writableLength ?? res.writableLength ?? 0
}

export function asResponse(res: ServerResponse | Http2ServerResponse): LakeResponse {
  return res
}

/** Sanity's body-size limit for mutations (https://www.sanity.io/docs/technical-limits). */
export const MAX_BODY_BYTES = 4_000_000

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

export function httpError(
  statusCode: number,
  type: string,
  description: string,
  details?: Record<string, unknown>,
): LakeError {
  return new LakeError(statusCode, type, description, details)
}

export const notFound = (description = 'Not found'): LakeError =>
  httpError(404, 'httpNotFound', description)

export const unauthorized = (description = 'Unauthorized - session not found'): LakeError =>
  httpError(401, 'unauthorizedError', description)

export const forbidden = (description: string): LakeError =>
  httpError(403, 'permissionDeniedError', description)

export function sendJson(res: LakeResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.statusCode = statusCode
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('content-length', Buffer.byteLength(text))
  res.end(text)
}

export function sendText(
  res: LakeResponse,
  statusCode: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.statusCode = statusCode
  res.setHeader('content-type', contentType)
  res.setHeader('content-length', Buffer.byteLength(body))
  res.end(body)
}

/** Sends any thrown value: a LakeError as Sanity shapes it, anything else as an opaque 500. */
export function sendError(res: LakeResponse, error: unknown, log: (message: string) => void): void {
  if (res.headersSent) {
    // A streamed response (export, history) failed midway: the client sees a truncated body.
    res.end()
    return
  }
  if (error instanceof LakeError) {
    // A full store, too many failed sign-ins: waited out, as the feedback intake tells readers to.
    if (error instanceof RetryLaterError) res.setHeader('retry-after', error.retryAfterSeconds)
    sendJson(res, error.statusCode, error.toJSON())
    return
  }
  log(`Internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  sendJson(res, 500, {
    error: {type: 'internalServerError', description: 'Internal server error'},
    statusCode: 500,
  })
}

/**
 * Reads a request body, refusing more than `limit` bytes: first by the declared Content-Length,
 * then by counting while streaming, so an oversized body is never buffered whole nor parsed. A
 * body that does not arrive within `deadlineMs` is a 408, one cut short a 400.
 */
export async function readBody(
  req: LakeRequest,
  limit = MAX_BODY_BYTES,
  deadlineMs = TRANSPORT_TIMEOUTS.requestMs,
): Promise<Buffer> {
  const tooLarge = () =>
    httpError(
      413,
      'requestEntityTooLargeError',
      `Request body is larger than the limit of ${limit} bytes`,
    )
  const declared = Number(header(req.headers, 'content-length'))
  if (Number.isFinite(declared) && declared > limit) {
    // Drain what the client keeps sending so it can read the 413 instead of a reset.
    req.resume()
    throw tooLarge()
  }
  return collectBody(req as LakeRequest & AsyncIterable<unknown>, limit, deadlineMs, {
    tooLarge: () => {
      req.resume()
      return tooLarge()
    },
    timedOut: (ms) =>
      httpError(408, 'requestTimeoutError', `The request body did not arrive within ${ms} ms`),
    incomplete: () =>
      httpError(400, 'incompleteRequestError', 'The request body ended before it was complete'),
  })
}

/**
 * Fatal: `Buffer#toString` would swap each invalid byte for U+FFFD and store text nobody sent,
 * so a body that is not UTF-8 (JSON's only encoding between systems, RFC 8259) is refused.
 */
const utf8 = new TextDecoder('utf-8', {fatal: true})

/** The body as text; 400 when it is not valid UTF-8. */
export function decodeUtf8(body: Uint8Array): string {
  try {
    return utf8.decode(body)
  } catch {
    throw httpError(
      400,
      'invalidRequestBodyError',
      'Request body is not valid UTF-8: send JSON encoded as UTF-8',
    )
  }
}

/** A JSON body for the data endpoints: 415 for other content types, 400 for malformed JSON. */
export async function readJson(req: LakeRequest): Promise<unknown> {
  const contentType = header(req.headers, 'content-type') ?? ''
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase()
  if (mediaType !== 'application/json') {
    req.resume()
    throw httpError(
      415,
      'unsupportedMediaTypeError',
      `Expected Content-Type application/json, got ${contentType ? `"${contentType}"` : 'none'}`,
    )
  }
  const body = await readBody(req)
  refuseDeepJson(body, 'Request body')
  const text = decodeUtf8(body)
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw httpError(
      400,
      'invalidJsonError',
      `Request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}

/** JSON from a client (a body, a `$param`) nesting deeper than `MAX_JSON_DEPTH` is refused unparsed. */
export function refuseDeepJson(text: string | Uint8Array, what: string): void {
  if (jsonTextDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw httpError(400, 'jsonTooDeepError', jsonTooDeepMessage(what), {limit: MAX_JSON_DEPTH})
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Query-string booleans as Sanity reads them: present and not `false`. */
export function flag(params: URLSearchParams, name: string, fallback = false): boolean {
  const value = params.get(name)
  if (value === null) return fallback
  return value !== 'false' && value !== '0'
}

/**
 * A document as Content Lake puts it in mendoza effects: without `_rev` (the event or log entry
 * carries the revision).
 */
export function withoutRev(
  document: StoredDocument | null | undefined,
): Record<string, unknown> | null {
  if (!document) return null
  const {_rev: _ignored, ...rest} = document
  return rest
}
