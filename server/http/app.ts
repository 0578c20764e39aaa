/**
 * The lake's router: strips the `/v…` API version prefix, resolves who is asking, and dispatches
 * to the endpoint modules. Paths follow Sanity's HTTP API exactly, so the stock Studio and
 * @sanity/client work unchanged.
 */
import type {IncomingMessage} from 'node:http'
import type {Duplex} from 'node:stream'

import {ROLE_TITLES} from '../../lib/roles'
import type {LakeRoute} from '../application'
import type {Access} from '../auth/access'
import type {DeveloperCode} from '../auth/developerCode'
import type {TokenGuard} from '../auth/guard'
import type {WriteRules} from '../auth/writeRules'
import {type Resolved, resolveIdentity} from '../auth/identify'
import type {AuthStore} from '../auth/tokens'
import {type Identity, type LakeStore, RetryLaterError, type Role} from '../store/types'
import {
  header,
  httpError,
  isRecord,
  type LakeRequest,
  type LakeResponse,
  notFound,
  readBody,
  readJson,
  sendError,
  sendJson,
  sendText,
  unauthorized,
} from './common'
import {AnswerCache} from './answers'
import {type AssetContext, handleServe, handleUpload} from './assets'
import {cloudAnswer} from './cloud'
import {answerPreflight, applyCors, corsHeaders, isAllowedOrigin} from './cors'
import {
  type DataContext,
  handleActions,
  handleDoc,
  handleExport,
  handleHistoryDocuments,
  handleHistoryEvents,
  handleMutate,
  handleQuery,
  handleReferences,
  handleTransactions,
  queryStringParams,
  requireDataset,
} from './data'
import type {ListenHub} from './listen'
import type {LiveHub} from './live'
import {
  handleAuthId,
  handleLoginPage,
  handleLoginSubmit,
  handleLogout,
  handleProviders,
  handleSessionFetch,
  type LoginContext,
} from './login'
import type {PresenceHub} from './presence'
import {isStudioPath, serveStudio, STUDIO_BASE} from './static'
import {handleUsers, userEmail} from './users'

export interface AppContext {
  store: LakeStore
  auth: AuthStore
  listen: ListenHub
  /** The Live Content API's event streams (`live.ts`). */
  live: LiveHub
  presence: PresenceHub
  dataset: string
  dev: boolean
  /** Dev mode's one-time code for "Continue as local developer" (null without `--dev`). */
  developerCode: DeveloperCode | null
  /** The built Studio (`studio-dist/`). */
  studioDir: string
  log: (message: string) => void
  access: Access
  writeRules: WriteRules
  /** The application's routes (`LakeApplication.routes`), tried before the lake's own. */
  routes: readonly LakeRoute[]
  /** Asset upload and serving (`assets.ts`). */
  assets: AssetContext
  /** Counts failed token checks per client address (bearer tokens, sign-in, WebSockets). */
  tokenGuard: TokenGuard
  /** Finished query answers, kept until their reader may see a change (`answers.ts`). */
  answers?: AnswerCache | undefined
}

/** `v1`, `vX`, `v2021-06-07`, today's date: every version the Studio and clients use. */
const VERSION_PREFIX = /^\/v(\d[\w-]*|X)(?=\/|$)/

export interface ParsedPath {
  apiVersion: string | null
  /** The path after the version prefix, split on `/` and URL-decoded. */
  segments: string[]
  pathname: string
}

export function parsePath(rawUrl: string | undefined): {url: URL; path: ParsedPath} {
  const url = new URL(rawUrl ?? '/', 'https://lake.invalid')
  let pathname = url.pathname
  let apiVersion: string | null = null
  const match = VERSION_PREFIX.exec(pathname)
  if (match) {
    apiVersion = match[1] ?? null
    pathname = pathname.slice(match[0].length) || '/'
  }
  let segments: string[]
  try {
    segments = pathname.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    throw httpError(400, 'badRequestError', 'Malformed URL encoding in path')
  }
  return {url, path: {apiVersion, segments, pathname}}
}

/** The origin this request reached us on, for links the lake hands out (login provider). */
function selfOrigin(req: LakeRequest): string {
  const host = header(req.headers, ':authority') ?? header(req.headers, 'host') ?? 'localhost'
  return `https://${host}`
}

function currentUser(identity: Identity & {role: Role}): Record<string, unknown> {
  const {role} = identity
  return {
    id: identity.id,
    name: identity.name,
    email: userEmail(identity.id),
    profileImage: null,
    provider: 'sanity',
    role,
    roles: [{name: role, title: ROLE_TITLES[role]}],
  }
}

function datasetInfo(ctx: AppContext) {
  return [{name: ctx.dataset, aclMode: 'public'}]
}

export function createRequestHandler(ctx: AppContext) {
  return (req: LakeRequest, res: LakeResponse): void => {
    // The request boundary: whatever one request throws ends as its own answer (a 500 for
    // anything unexpected), never as an unhandled rejection that could end the process.
    let resolved: Resolved | undefined
    try {
      const repeated = answerRepeatedQuery(ctx, req, res)
      if (repeated === true) return
      resolved = repeated
    } catch (error) {
      fail(ctx, res, error)
      return
    }
    handle(ctx, req, res, resolved).catch((error: unknown) => fail(ctx, res, error))
  }
}

/** Answers a failed request with its error, if the response can still take one. */
function fail(ctx: AppContext, res: LakeResponse, error: unknown): void {
  try {
    sendError(res, error, ctx.log)
  } catch (sendFailure) {
    // The response itself is broken (a reset HTTP/2 stream): nothing is left to tell it.
    ctx.log(`Could not answer a failed request: ${String(sendFailure)} (after ${String(error)})`)
    try {
      res.end()
    } catch {
      // Already destroyed; the client has gone.
    }
  }
}

/**
 * A repeated query, answered before any routing and without a promise (`answers.ts`): true when
 * answered; otherwise who asks, if that had to be resolved. A URL the cache knows was answered by
 * `/data/query`, which no application route matches (routes are fixed when the lake starts).
 */
function answerRepeatedQuery(
  ctx: AppContext,
  req: LakeRequest,
  res: LakeResponse,
): true | Resolved | undefined {
  const {answers} = ctx
  const {url} = req
  if (!answers || !url || !answers.has(url) || !AnswerCache.mayUse(req.method, req.headers)) {
    return undefined
  }
  const who = identify(ctx, req)
  const answer = who.ok && answers.get(url, who.identity)
  if (!answer) return who
  const cors = corsHeaders(req)
  res.writeHead(200, cors ? {...answer.headers, ...cors} : answer.headers)
  res.end(answer.body)
  return true
}

function identify(ctx: AppContext, req: LakeRequest): Resolved {
  return resolveIdentity(ctx.auth, req.headers, {
    guard: ctx.tokenGuard,
    // Read only if the guard needs it: over HTTP/2 `req.socket` is a proxy made on each access.
    get address() {
      return req.socket?.remoteAddress
    },
  })
}

async function handle(
  ctx: AppContext,
  req: LakeRequest,
  res: LakeResponse,
  resolved: Resolved | undefined,
): Promise<void> {
  const method = req.method ?? 'GET'
  // An application's route (a public form's endpoint, say) answers its own preflights and decides
  // for itself whom to serve.
  // Parsed once per request (a URL parse is a few percent of a small query's time).
  let parsed: ReturnType<typeof parsePath> | undefined
  const parseOnce = () => (parsed ??= parsePath(req.url))
  const pathname = ctx.routes.length ? parseOnce().path.pathname : ''
  const route = ctx.routes.find((candidate) => candidate.matches(method, pathname))
  if (route) {
    await route.handle(req, {
      writeHead(statusCode, headers) {
        res.statusCode = statusCode
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
      },
      end: (body) => res.end(body),
    })
    return
  }
  if (method === 'OPTIONS') {
    answerPreflight(req, res)
    return
  }
  applyCors(req, res)
  const {url, path} = parseOnce()
  const {segments, apiVersion} = path

  // The Studio and the entry redirect live outside the versioned API.
  if (apiVersion === null) {
    if (path.pathname === '/') {
      res.statusCode = 302
      res.setHeader('location', `${STUDIO_BASE}/`)
      res.end()
      return
    }
    if (isStudioPath(path.pathname)) {
      if (method !== 'GET' && method !== 'HEAD')
        throw httpError(405, 'methodNotAllowed', 'GET only')
      await serveStudio(ctx.studioDir, path.pathname, method, res)
      return
    }
  }

  const [first, second, third, fourth, ...rest] = segments

  // Sign-in endpoints work without (or with a bad) credential: that is their point.
  if (first === 'auth' && second !== 'id') {
    const login: LoginContext = {
      auth: ctx.auth,
      dev: ctx.dev,
      developerCode: ctx.developerCode,
      selfOrigin: selfOrigin(req),
      tokenGuard: ctx.tokenGuard,
    }
    if (second === 'providers') return handleProviders(login, res)
    if (second === 'login' && method === 'GET') return handleLoginPage(login, req, res, url)
    if (second === 'login' && method === 'POST') return handleLoginSubmit(login, req, res)
    if (second === 'logout') return handleLogout(login, req, res)
    if (second === 'fetch') return handleSessionFetch(res, url)
  }
  // Resolved at most once per request (a failed token is counted once by the guard).
  const who = resolved ?? identify(ctx, req)
  if (!who.ok) throw unauthorized(who.reason)
  const identity = who.identity

  switch (first) {
    case 'ping':
      return sendText(res, 200, 'PONG')
    case 'features':
      return sendJson(res, 200, [])
    case 'auth':
      if (second === 'id') return handleAuthId(identity, res)
      break
    case 'intake':
      if (second === 'telemetry-status') return sendJson(res, 200, {status: 'denied'})
      if (second === 'batch') {
        // Studio telemetry: accepted and dropped, nothing leaves the machine.
        await readBody(req)
        return sendJson(res, 200, {})
      }
      break
    case 'users':
      if (second === 'me') return usersMe(ctx, req, res, identity, third, fourth)
      if (second && third === undefined && method === 'GET') {
        return handleUsers(ctx.auth, res, identity, second)
      }
      break
    case 'datasets':
      if (!second) return sendJson(res, 200, datasetInfo(ctx))
      break
    case 'projects':
      if (second) return projects(ctx, res, identity, second, third, fourth, rest)
      break
    case 'data':
      if (second === 'live' && third === 'events' && fourth && rest.length === 0) {
        requireDataset(fourth, ctx.dataset)
        const canRead = ctx.access.canRead(identity)
        return ctx.live.open(res, identity, canRead, url.searchParams, req.headers)
      }
      if (second && third) {
        return data(
          ctx,
          req,
          res,
          url,
          {
            store: ctx.store,
            identity,
            apiVersion,
            access: ctx.access,
            writeRules: ctx.writeRules,
            answers: ctx.answers,
          },
          second,
          third,
          [fourth, ...rest],
        )
      }
      break
    case 'socket':
      throw httpError(426, 'upgradeRequired', 'This endpoint speaks WebSocket only')
    case 'assets':
      if (method === 'POST' && (second === 'images' || second === 'files') && third && !fourth) {
        requireDataset(third, ctx.dataset)
        return handleUpload(ctx.assets, req, res, url, identity, second)
      }
      break
    case 'images':
    case 'files':
      if (apiVersion === null) {
        return handleServe(ctx.assets, req, res, url, identity, first, segments.slice(1))
      }
      break
  }
  const cloud = cloudAnswer(method, segments)
  if (cloud) return sendJson(res, 200, cloud.body)
  // Anything unknown (`/comments/*`, …): the Studio treats a 404 as "feature not available".
  throw notFound(`No such endpoint on the local content lake: ${path.pathname}`)
}

async function usersMe(
  ctx: AppContext,
  req: LakeRequest,
  res: LakeResponse,
  identity: Identity,
  sub: string | undefined,
  keys: string | undefined,
): Promise<void> {
  const {role} = identity
  // Content Lake answers a caller without credentials `{}` (the Studio checks for an `id`), and a
  // bad credential 401 (resolved before this): a 401 here is logged as a failed request in the
  // console of every signed-out Studio load, and Sanity's Studio reads it as "forget the token".
  if (role === 'anonymous' && sub === undefined) return sendJson(res, 200, {})
  if (role === 'anonymous') throw unauthorized()
  if (sub === undefined) return sendJson(res, 200, currentUser({...identity, role}))
  if (sub !== 'keyvalue') throw notFound()
  if (req.method === 'PUT' || req.method === 'POST') {
    const body = await readJson(req)
    const pairs = Array.isArray(body) ? body : [body]
    if (!pairs.every((pair) => isRecord(pair) && typeof pair['key'] === 'string')) {
      throw httpError(400, 'validationError', 'Expected [{key, value}]')
    }
    const valid = pairs as {key: string; value: unknown}[]
    ctx.auth.setKeyValues(identity.id, valid)
    return sendJson(
      res,
      200,
      valid.map(({key, value}) => ({key, value: value ?? null})),
    )
  }
  if (!keys) throw httpError(400, 'validationError', 'Name the keys: /users/me/keyvalue/{k1,k2}')
  sendJson(res, 200, ctx.auth.getKeyValues(identity.id, keys.split(',')))
}

function projects(
  ctx: AppContext,
  res: LakeResponse,
  identity: Identity,
  projectId: string,
  sub: string | undefined,
  datasetName: string | undefined,
  rest: string[],
): void {
  if (sub === undefined) {
    const role = identity.role === 'anonymous' ? null : identity.role
    return sendJson(res, 200, {
      id: projectId,
      displayName: 'Local content lake',
      organizationId: null,
      members: role
        ? [
            {
              id: identity.id,
              role,
              roles: [{name: role, title: ROLE_TITLES[role]}],
              isCurrentUser: true,
            },
          ]
        : [],
      features: [],
      metadata: {},
    })
  }
  if (sub === 'datasets') {
    if (datasetName === undefined) return sendJson(res, 200, datasetInfo(ctx))
    requireDataset(datasetName, ctx.dataset)
    if (rest[0] === 'acl' && rest.length === 1)
      return sendJson(res, 200, ctx.access.datasetAcl(identity))
    throw notFound()
  }
  if (sub === 'user-applications') return sendJson(res, 200, [])
  if (sub === 'grants') {
    // Content Lake's project grants are for project management (members, tokens, CORS): none here.
    return sendJson(res, 200, {})
  }
  throw notFound()
}

async function data(
  ctx: AppContext,
  req: LakeRequest,
  res: LakeResponse,
  url: URL,
  dctx: DataContext,
  endpoint: string,
  datasetName: string,
  rest: (string | undefined)[],
): Promise<void> {
  requireDataset(datasetName, ctx.dataset)
  const method = req.method ?? 'GET'
  const [a, b, c, d] = rest
  const ids = (value: string | undefined) => (value ?? '').split(',').filter(Boolean)
  switch (endpoint) {
    case 'query':
      if (method === 'GET' || method === 'POST') return handleQuery(dctx, req, res, url)
      break
    case 'doc':
      if (method === 'GET' && a) return handleDoc(dctx, res, ids(a), url)
      break
    case 'mutate':
      if (method === 'POST') return handleMutate(dctx, req, res, url)
      break
    case 'actions':
      if (method === 'POST') return handleActions(dctx, req, res, url)
      break
    case 'listen':
      if (method === 'GET') {
        const params = queryStringParams(url.searchParams)
        return ctx.listen.open(
          ctx.store,
          res,
          ctx.access.canRead(dctx.identity),
          url.searchParams,
          params,
        )
      }
      break
    case 'export':
      if (method === 'GET') return handleExport(dctx, res, url)
      break
    case 'references':
      if (a === 'documents' && b && c === 'to') return handleReferences(dctx, res, b, url)
      break
    case 'history':
      if (a === 'transactions' && b) return handleTransactions(dctx, res, ids(b), url)
      if (a === 'documents' && b) return handleHistoryDocuments(dctx, res, ids(b), url)
      if (a === 'events' && b === 'documents' && c && d === undefined) {
        return handleHistoryEvents(dctx, res, c)
      }
      break
  }
  throw notFound(`No such data endpoint: ${method} /data/${endpoint}/${datasetName}`)
}

/**
 * WebSocket upgrades (HTTP/1.1 only, as browsers open them) for presence at `/v…/socket/{ds}`.
 * Anything else, a wrong dataset, a foreign Origin (cross-site WebSocket hijacking with the
 * session cookie) or a bad token gets a plain HTTP error and a closed socket.
 */
export function createUpgradeHandler(ctx: AppContext) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`)
    }
    try {
      const {path} = parsePath(req.url)
      const [first, datasetName, extra] = path.segments
      if (first !== 'socket' || extra !== undefined) return refuse(404, 'Not Found')
      if (datasetName !== ctx.dataset) return refuse(404, 'Not Found')
      const origin = header(req.headers, 'origin')
      if (origin && !isAllowedOrigin(origin)) return refuse(403, 'Forbidden')
      let resolved: ReturnType<typeof resolveIdentity>
      try {
        resolved = resolveIdentity(ctx.auth, req.headers, {
          guard: ctx.tokenGuard,
          address: req.socket.remoteAddress,
        })
      } catch (error) {
        if (error instanceof RetryLaterError) return refuse(429, 'Too Many Requests')
        throw error
      }
      if (!resolved.ok) return refuse(401, 'Unauthorized')
      ctx.presence.upgrade(req, socket, head, datasetName, resolved.identity)
    } catch (error) {
      ctx.log(`WebSocket upgrade failed: ${String(error)}`)
      refuse(400, 'Bad Request')
    }
  }
}
