/**
 * Cross-site POST defence (OWASP): trust `Sec-Fetch-Site` when the browser sends it; otherwise
 * compare `Origin` with the allow-list. A request with neither comes from a non-browser client,
 * which cannot ride on a reader's cookies (the intake uses none anyway): it is allowed.
 */
import type {IncomingHttpHeaders} from 'node:http'

export type OriginDecision = {allowed: true} | {allowed: false; reason: string}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** `https://host[:port]` of the request itself (HTTP/1 `Host`, HTTP/2 `:authority`). */
export function requestOrigin(headers: IncomingHttpHeaders, secure: boolean): string | undefined {
  const host = header(headers, ':authority') ?? header(headers, 'host')
  if (!host) return undefined
  const scheme = header(headers, ':scheme') ?? (secure ? 'https' : 'http')
  return `${scheme}://${host}`.toLowerCase()
}

/** Origins seen lately, normalised: a site posts from a handful of them, every request. */
const normalised = new Map<string, string | undefined>()

export function normaliseOrigin(origin: string): string | undefined {
  if (normalised.has(origin)) return normalised.get(origin)
  let value: string | undefined
  try {
    const url = new URL(origin)
    value = url.origin === 'null' ? undefined : url.origin.toLowerCase()
  } catch {
    value = undefined
  }
  // Bounded: forged Origin headers must not grow it without limit.
  if (normalised.size >= 256) normalised.clear()
  normalised.set(origin, value)
  return value
}

export function checkOrigin(
  headers: IncomingHttpHeaders,
  allowedOrigins: readonly string[],
  ownOrigin: string | undefined,
): OriginDecision {
  const site = header(headers, 'sec-fetch-site')?.toLowerCase()
  const originHeader = header(headers, 'origin')
  const origin = originHeader === undefined ? undefined : normaliseOrigin(originHeader)
  const allowed = new Set(allowedOrigins.map((o) => normaliseOrigin(o)).filter(Boolean))
  if (ownOrigin) allowed.add(ownOrigin)
  const listed = origin !== undefined && allowed.has(origin)

  if (site === 'same-origin' || site === 'none') return {allowed: true}
  if (site === 'same-site' || site === 'cross-site') {
    // The frontend may live on another port or subdomain: allowed when its origin is listed.
    return listed
      ? {allowed: true}
      : {allowed: false, reason: `A ${site} request from an origin that is not allowed.`}
  }
  if (originHeader === undefined) return {allowed: true}
  return listed ? {allowed: true} : {allowed: false, reason: 'The Origin is not allowed.'}
}

/**
 * Control characters (which the WHATWG parser strips: `/\t/evil.example` becomes
 * `//evil.example`) and backslashes (which it reads as `/` in http(s) URLs): a path on our site
 * never needs them, and each one has been used to smuggle a host past a `startsWith('/')` check.
 */
const UNSAFE_IN_PATH = /[\u0000-\u001f\u007f\\]/

/**
 * `value` as a same-site path (`/path?query`), or `undefined` when it is anything else. It is
 * parsed as browsers parse a `Location` (the WHATWG URL parser, against `origin`) and kept only
 * when the result is still on `origin`: whatever trick a string plays on a prefix check, the
 * parser that the browser will use has the last word.
 */
export function sameSitePath(value: string, origin: string): string | undefined {
  if (!value.startsWith('/') || UNSAFE_IN_PATH.test(value)) return undefined
  let url: URL
  try {
    url = new URL(value, origin)
  } catch {
    return undefined
  }
  const base = normaliseOrigin(origin)
  if (base === undefined || url.origin.toLowerCase() !== base) return undefined
  return `${url.pathname}${url.search}`
}
