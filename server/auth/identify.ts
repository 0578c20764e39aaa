/**
 * Who is asking: a bearer token (`Authorization: Bearer …`, as @sanity/client, the Studio after a
 * `#token=` handoff and its EventSource polyfill send it), else the browser session cookie set by
 * the lake's login page, else anonymous.
 */
import type {IncomingHttpHeaders} from 'node:http'

import type {Identity} from '../store/types'
import {ANONYMOUS} from './access'
import type {TokenGuard} from './guard'
import type {AuthStore} from './tokens'

/**
 * `__Host-` makes browsers insist on Secure, Path=/ and no Domain, so no other origin (and no
 * plain-http page on localhost) can plant or read it.
 */
export const SESSION_COOKIE = '__Host-lake_session'

/** The token in an `Authorization: Bearer …` value (header, or bifur's `authorization` RPC). */
export function parseBearer(value: string | undefined): string | undefined {
  if (!value) return undefined
  return /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1]
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  return parseBearer(headers.authorization)
}

export function cookieValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  // HTTP/2 may split cookies into several headers; Node joins them with "; " for us.
  const raw = headers.cookie
  if (!raw) return undefined
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

export type Resolved = {ok: true; identity: Identity} | {ok: false; reason: string}

/**
 * A presented but unknown (or revoked) token is a 401, exactly as Content Lake answers, rather
 * than a silent downgrade to anonymous that would hide the mistake. A stale session cookie, on
 * the other hand, is just ignored: the browser then sees itself logged out and can sign in again.
 */
export function resolveIdentity(
  auth: AuthStore,
  headers: IncomingHttpHeaders,
  client?: {guard: TokenGuard; address: string | undefined},
): Resolved {
  const token = bearerToken(headers)
  if (token !== undefined) {
    // Throws 429 for an address that has guessed too often; its token is not even looked up.
    client?.guard.assertMayTry(client.address)
    const identity = auth.identityForToken(token)
    if (identity) return {ok: true, identity}
    client?.guard.failed(client.address)
    return {ok: false, reason: 'Unauthorized - session not found (unknown or revoked token)'}
  }
  const session = cookieValue(headers, SESSION_COOKIE)
  if (session) {
    const identity = auth.identityForSession(session)
    if (identity) return {ok: true, identity}
  }
  return {ok: true, identity: ANONYMOUS}
}
