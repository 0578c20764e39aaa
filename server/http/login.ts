/**
 * Signing in to the Studio in a browser without a token. The Studio lists `/auth/providers` and
 * sends the person to the provider's `url` with `?origin=<where to come back>`; the lake's own
 * login page takes a pasted token (or, in dev mode and from loopback only, "continue as the local
 * developer" with the one-time code the lake printed and wrote to its data directory, in the role
 * the developer picks), sets an HttpOnly session cookie and redirects back. The Studio's default
 * `loginMethod: 'dual'` then sends the cookie with every request (`withCredentials`).
 */
import {randomBytes} from 'node:crypto'

import {isRole, ROLE_TITLES, ROLES, type Role} from '../../lib/roles'
import type {DeveloperCode} from '../auth/developerCode'
import type {TokenGuard} from '../auth/guard'
import {bearerToken, cookieValue, SESSION_COOKIE} from '../auth/identify'
import type {AuthStore} from '../auth/tokens'
import type {Identity} from '../store/types'
import {
  decodeUtf8,
  header,
  httpError,
  type LakeRequest,
  type LakeResponse,
  readBody,
  sendJson,
  sendText,
  unauthorized,
} from './common'
import {isAllowedOrigin} from './cors'
import {STUDIO_BASE} from './static'

export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60

export interface LoginContext {
  auth: AuthStore
  /** `--dev`: offer "continue as local developer" to requests from loopback. */
  dev: boolean
  /** Dev mode's one-time sign-in code (null without `--dev`). */
  developerCode: DeveloperCode | null
  /** The lake's own origin as this request reached it (`https://localhost:4545`). */
  selfOrigin: string
  /** A pasted token is a token check like any other: failures count per address. */
  tokenGuard?: TokenGuard
}

export function isLoopback(req: LakeRequest): boolean {
  const address = req.socket.remoteAddress ?? ''
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1'
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Where to go after signing in: the Studio's `origin` when it is ours or loopback, else ours. */
function safeReturnUrl(raw: string | null | undefined, selfOrigin: string): string {
  if (raw) {
    try {
      const url = new URL(raw)
      if (url.origin === selfOrigin || isAllowedOrigin(url.origin)) return url.href
    } catch {
      // Not a URL: fall through to the Studio.
    }
  }
  return `${selfOrigin}${STUDIO_BASE}/`
}

export function handleProviders(ctx: LoginContext, res: LakeResponse): void {
  sendJson(res, 200, {
    providers: [{name: 'local-lake', title: 'Local lake', url: `${ctx.selfOrigin}/auth/login`}],
  })
}

/** What a local developer signs in as unless they ask for more: enough to edit content. */
const DEFAULT_DEVELOPER_ROLE: Role = 'editor'

function loginPage(options: {
  returnUrl: string
  /** The code file's path when the developer sign-in is offered. */
  developerCodeFile: string | null
  error?: string
}): string {
  const error = options.error
    ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>`
    : ''
  const roleOptions = ROLES.map(
    (role) =>
      `<option value="${role}"${role === DEFAULT_DEVELOPER_ROLE ? ' selected' : ''}>${ROLE_TITLES[role]}</option>`,
  ).join('')
  const developer = options.developerCodeFile
    ? `<form method="post" action="/auth/login">
  <input type="hidden" name="origin" value="${escapeHtml(options.returnUrl)}">
  <input type="hidden" name="developer" value="1">
  <label for="code">Sign-in code</label>
  <input id="code" name="code" type="password" autocomplete="off" required>
  <p class="hint">Printed on the lake’s console when it started (or last used), and in
  <code>${escapeHtml(options.developerCodeFile)}</code>. Each code works once.</p>
  <label for="role">Role</label>
  <select id="role" name="role">${roleOptions}</select>
  <button type="submit">Continue as local developer</button>
</form>
<p class="hint">Shown because the lake runs in dev mode and you are on this machine.</p>
<hr>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign in to the local content lake</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1d27}
label{display:block;font-weight:600;margin:.5rem 0}
input[type=password]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:.75rem;padding:.5rem 1rem;font:inherit;cursor:pointer}
.error{color:#b3261e}.hint{color:#555;font-size:.875rem}
</style></head><body>
<h1>Sign in to the local content lake</h1>
${error}${developer}
<form method="post" action="/auth/login">
  <input type="hidden" name="origin" value="${escapeHtml(options.returnUrl)}">
  <label for="token">API token</label>
  <input id="token" name="token" type="password" autocomplete="off" required>
  <p class="hint">Ask an administrator for a token (<code>npm run token -- create --role editor --name "Your name"</code>).</p>
  <button type="submit">Sign in</button>
</form>
</body></html>`
}

/**
 * The page's CSP. `form-action` also governs where the form's 303 may lead: a Studio on another
 * loopback origin (`sanity dev`) is allowed exactly its own origin, already validated by
 * `safeReturnUrl` (the lake's own or loopback), so the redirect back to it is not blocked and no
 * other origin is ever listed.
 */
export function loginPageCsp(returnUrl: string, selfOrigin: string): string {
  const returnOrigin = new URL(returnUrl).origin
  const formAction = returnOrigin === selfOrigin ? "'self'" : `'self' ${returnOrigin}`
  return `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'`
}

function sendPage(res: LakeResponse, status: number, html: string, csp: string): void {
  res.setHeader('cache-control', 'no-store')
  // The page has no scripts and must not be framed (clickjacking of the developer button).
  res.setHeader('content-security-policy', csp)
  sendText(res, status, html, 'text/html; charset=utf-8')
}

export function handleLoginPage(
  ctx: LoginContext,
  req: LakeRequest,
  res: LakeResponse,
  url: URL,
): void {
  const returnUrl = safeReturnUrl(url.searchParams.get('origin'), ctx.selfOrigin)
  sendPage(
    res,
    200,
    loginPage({returnUrl, developerCodeFile: developerCodeFile(ctx, req)}),
    loginPageCsp(returnUrl, ctx.selfOrigin),
  )
}

/**
 * Developer sign-in needs a request from this machine, addressed to a loopback name: the Host
 * check stops a DNS-rebinding page (evil.example resolving to 127.0.0.1) from using it.
 */
function developerCodeFile(ctx: LoginContext, req: LakeRequest): string | null {
  const offered = ctx.dev && isLoopback(req) && isAllowedOrigin(ctx.selfOrigin)
  return offered && ctx.developerCode ? ctx.developerCode.file : null
}

export async function handleLoginSubmit(
  ctx: LoginContext,
  req: LakeRequest,
  res: LakeResponse,
): Promise<void> {
  // Login CSRF: a form POST from another site must not sign this browser in as someone else.
  const origin = header(req.headers, 'origin')
  const fetchSite = header(req.headers, 'sec-fetch-site')
  if ((origin && origin !== ctx.selfOrigin) || (fetchSite && fetchSite !== 'same-origin')) {
    throw httpError(403, 'crossSiteRequestError', 'Sign-in must come from the lake’s own page')
  }
  const contentType = header(req.headers, 'content-type') ?? ''
  if (!contentType.startsWith('application/x-www-form-urlencoded')) {
    throw httpError(415, 'unsupportedMediaTypeError', 'Expected a form submission')
  }
  const form = new URLSearchParams(decodeUtf8(await readBody(req, 16 * 1024)))
  const returnUrl = safeReturnUrl(form.get('origin'), ctx.selfOrigin)
  const codeFile = developerCodeFile(ctx, req)
  const refuse = (error: string) =>
    sendPage(
      res,
      401,
      loginPage({returnUrl, developerCodeFile: codeFile, error}),
      loginPageCsp(returnUrl, ctx.selfOrigin),
    )
  let session: string | null
  if (form.get('developer') === '1') {
    if (!codeFile || !ctx.developerCode) {
      throw httpError(
        403,
        'permissionDeniedError',
        'Developer sign-in is only available in dev mode from this machine',
      )
    }
    const role = form.get('role') ?? DEFAULT_DEVELOPER_ROLE
    if (!isRole(role)) {
      throw httpError(400, 'validationError', `Unknown role "${role}": use ${ROLES.join(', ')}`)
    }
    // The role is checked before the code is spent, so a mistyped form does not burn it.
    if (!ctx.developerCode.redeem(form.get('code') ?? '')) {
      return refuse(
        `That sign-in code is not the current one: see the lake’s console or ${codeFile}.`,
      )
    }
    session = ctx.auth.createSession({developer: role})
    if (!session) {
      return refuse('The local developer’s administrator token was revoked.')
    }
  } else {
    const token = (form.get('token') ?? '').trim()
    if (token) ctx.tokenGuard?.assertMayTry(req.socket?.remoteAddress)
    session = token ? ctx.auth.createSession({token}) : null
    if (token && !session) ctx.tokenGuard?.failed(req.socket?.remoteAddress)
  }
  if (!session) return refuse('That token is not valid (or was revoked).')
  res.setHeader(
    'set-cookie',
    `${SESSION_COOKIE}=${session}; Path=/; Max-Age=${SESSION_MAX_AGE_S}; HttpOnly; Secure; SameSite=Lax`,
  )
  res.setHeader('location', withSessionHandoff(returnUrl, ctx.selfOrigin, session))
  res.setHeader('cache-control', 'no-store')
  res.statusCode = 303
  res.end()
}

/**
 * One-time codes for a Studio on another origin (`sanity dev`): a browser will not send the
 * lake's cookie with cross-site requests, so the Studio gets `#sid=<code>` on its return URL and
 * exchanges it at `/auth/fetch?sid=` for a bearer token, exactly as it does with Sanity's own
 * login. Codes live two minutes, in memory, and work once.
 */
const HANDOFF_TTL_MS = 2 * 60 * 1000
const handoffs = new Map<string, {session: string; expires: number}>()

function withSessionHandoff(returnUrl: string, selfOrigin: string, session: string): string {
  const url = new URL(returnUrl)
  // Served by the lake itself, the Studio uses the cookie: nothing to hand off.
  if (url.origin === selfOrigin) return returnUrl
  const now = Date.now()
  for (const [code, entry] of handoffs) if (entry.expires < now) handoffs.delete(code)
  const code = randomBytes(32).toString('base64url')
  handoffs.set(code, {session, expires: now + HANDOFF_TTL_MS})
  url.hash = `sid=${code}`
  return url.href
}

/** `GET /auth/fetch?sid=`: the Studio's exchange of a one-time code for its token. */
export function handleSessionFetch(res: LakeResponse, url: URL): void {
  const code = url.searchParams.get('sid') ?? ''
  const entry = handoffs.get(code)
  handoffs.delete(code)
  if (!entry || entry.expires < Date.now()) throw unauthorized('Unknown or expired session code')
  sendJson(res, 200, {token: entry.session})
}

export function handleLogout(ctx: LoginContext, req: LakeRequest, res: LakeResponse): void {
  const session = cookieValue(req.headers, SESSION_COOKIE)
  if (session) ctx.auth.deleteSession(session)
  // A handed-off session comes back as a bearer token; signing out ends it too.
  const bearer = bearerToken(req.headers)
  if (bearer?.startsWith('lakes_')) ctx.auth.deleteSession(bearer)
  res.setHeader(
    'set-cookie',
    `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`,
  )
  sendJson(res, 200, {})
}

/** `GET /auth/id`: the Studio's cheap "who am I" probe (multi-workspace auth, cookie checks). */
export function handleAuthId(identity: Identity, res: LakeResponse): void {
  if (identity.role === 'anonymous') throw unauthorized()
  sendJson(res, 200, {id: identity.id})
}
