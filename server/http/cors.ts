/**
 * CORS for a Studio or frontend served from another loopback origin (`sanity dev` on :3333, the
 * web frontend). Only loopback origins are allowed, with credentials (the Studio's cookie mode),
 * and `Vary: Origin` so caches never reuse one origin's answer for another. Served from the
 * lake's own origin, the Studio needs none of this.
 */
import {header, type LakeRequest, type LakeResponse} from './common'

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127\.0\.0\.1|\[::1\])$/i

export function isAllowedOrigin(origin: string): boolean {
  try {
    const url = new URL(origin)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return false
    return LOOPBACK_HOST.test(url.hostname) || url.hostname === '[::1]'
  } catch {
    return false
  }
}

/** Adds CORS headers for an allowed Origin; returns whether the request came from one. */
export function applyCors(req: LakeRequest, res: LakeResponse): boolean {
  res.setHeader('vary', 'Origin')
  const allowed = corsHeaders(req)
  for (const [name, value] of Object.entries(allowed ?? {})) res.setHeader(name, value)
  return allowed !== undefined
}

/** The headers that let an allowed Origin read the answer, or undefined (none, or not allowed). */
export function corsHeaders(req: LakeRequest): Record<string, string> | undefined {
  const origin = header(req.headers, 'origin')
  if (!origin || !isAllowedOrigin(origin)) return undefined
  return {'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true'}
}

/** Answers a preflight: 204, the methods we serve, and the headers the client asked for. */
export function answerPreflight(req: LakeRequest, res: LakeResponse): void {
  if (applyCors(req, res)) {
    res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
    const requested = header(req.headers, 'access-control-request-headers')
    res.setHeader(
      'access-control-allow-headers',
      requested ?? 'authorization, content-type, x-sanity-app, x-sanity-project-id',
    )
    // The Studio preflights every request (custom x-sanity-app header): let browsers cache it.
    res.setHeader('access-control-max-age', '600')
  }
  res.statusCode = 204
  res.end()
}
