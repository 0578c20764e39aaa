/**
 * Reading and parsing the request body with its defences: the content type is checked before
 * anything is read (415), the size before anything is parsed (413: a declared Content-Length
 * over the limit is refused without reading; a body that grows past it is cut off).
 */
import type {IncomingHttpHeaders} from 'node:http'

import {collectBody} from '../lib/transport'
import {BODY_DEADLINE_MS} from './limits'
import type {RawFields} from './validate'

export type BodyKind = 'form' | 'json'

export class BodyError extends Error {
  readonly status: 400 | 408 | 413 | 415

  constructor(status: 400 | 408 | 413 | 415, message: string) {
    super(message)
    this.status = status
  }
}

/** `form` or `json` from the Content-Type; `undefined` for anything else (415). */
export function bodyKind(contentType: string | undefined): BodyKind | undefined {
  if (!contentType) return undefined
  const [essence = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase())
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length)
  // Anything but UTF-8 would be decoded wrongly; browsers send UTF-8 for UTF-8 pages.
  if (charset !== undefined && charset.replace(/"/g, '') !== 'utf-8') return undefined
  if (essence === 'application/x-www-form-urlencoded') return 'form'
  if (essence === 'application/json') return 'json'
  return undefined
}

/** The Content-Length a request declares, if any (and valid). */
export function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['content-length']
  if (value === undefined || !/^\d+$/.test(value)) return undefined
  return Number(value)
}

/**
 * Reads at most `limit` bytes (more is a 413; the rest is not buffered) within `deadlineMs` (else
 * a 408: a stalled body must not hold the intake); a body cut short is a 400.
 */
export async function readBody(
  stream: AsyncIterable<unknown> & {readonly complete?: boolean},
  limit: number,
  deadlineMs: number = BODY_DEADLINE_MS,
): Promise<Buffer> {
  return collectBody(stream, limit, deadlineMs, {
    tooLarge: (max) => new BodyError(413, `The request body is larger than ${max} bytes.`),
    timedOut: (ms) =>
      new BodyError(408, `The request body did not arrive within ${ms / 1000} seconds.`),
    incomplete: () => new BodyError(400, 'The request body ended before it was complete.'),
  })
}

const utf8 = new TextDecoder('utf-8', {fatal: true})

function decode(body: Buffer): string {
  try {
    return utf8.decode(body)
  } catch {
    throw new BodyError(400, 'The request body is not valid UTF-8.')
  }
}

/** Form or JSON body → raw fields; repeated form fields come back as arrays (and are refused). */
export function parseBody(kind: BodyKind, body: Buffer): RawFields {
  const text = decode(body)
  if (kind === 'json') {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      throw new BodyError(400, 'The request body is not valid JSON.')
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BodyError(400, 'The request body must be a JSON object.')
    }
    return value as RawFields
  }
  const fields: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(text)) {
    const existing = fields[name]
    if (existing === undefined) fields[name] = value
    else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return fields as RawFields
}
