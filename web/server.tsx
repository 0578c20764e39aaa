/**
 * `npm run web`: the reference frontend. Server-rendered React on `node:http`, reading published
 * content through the site's one client (no token: it only ever sees what the public may), with
 * the public feedback intake mounted at `POST /feedback` on the same origin as the form.
 */
import {createHash, randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {SanityClient} from '@sanity/client'
import {renderToStaticMarkup} from 'react-dom/server'

import {createContentClient, previewToken} from '../lib/client'
import {dataset, isLocalLake, localLakeUrl, projectId} from '../lib/env'
import {sitemapQuery, typeIndexQuery} from '../queries/documents'
import {navigationQuery} from '../queries/pages'
import {documentPath, indexForPath, indexPath, INDEX_TITLES, routeForPath} from '../queries/paths'
import {settingsQuery} from '../queries/settings'
import type {SettingsQueryResult} from '../sanity.types'
import {isMain, runMain} from '../lib/cli'
import {http1TimeoutOptions, TRANSPORT_TIMEOUTS, type TransportTimeouts} from '../lib/transport'
import type {FeedbackRequestHandler, RenderPage} from '../intake'
import type {FeedbackFormState} from '../intake/FeedbackForm'
import {signRenderedAt} from '../intake/formToken'
import {createFeedbackIntakeFromEnv, isFeedbackRequest} from '../intake/mount'
import {type AssetProxy, createAssetProxy, isAssetRequest} from './assetProxy'
import {
  createDraftMode,
  DRAFT_MODE_DISABLE_PATH,
  DRAFT_MODE_ENABLE_PATH,
  type DraftMode,
  PERSPECTIVE_PARAM,
  previewPerspective,
} from './draftMode'
import {EditableDocument} from './editable'
import {Layout, type LivePage} from './layout'
import {createLiveRelay, LIVE_PATH, type LiveRelay, type LiveRelayOptions} from './live'
import {checkReferences} from './references'
import {ROUTES, TITLE_FIELDS} from './routes'
import {bundle, isScriptPath, serveScript, VISUAL_EDITING_SCRIPT_PATH} from './scripts'
import {breadcrumbList, type Absolute} from './structuredData'
import {HomeView, IndexView, NotFoundView, UnavailableView} from './views'

export const DEFAULT_WEB_PORT = 3000

export interface StartWebOptions {
  port?: number
  host?: string
  /** The lake to read from (defaults to `LAKE_URL` / the local lake). */
  lakeUrl?: string
  lakeDataDir?: string
  /**
   * The intake, mounted at `POST /feedback` and `POST /feedback/useful`; without it the form is
   * answered 503.
   */
  feedbackHandler?: FeedbackRequestHandler
  /**
   * Or the intake built with this frontend's page renderer, so its 422 answer is the page itself
   * with the form filled in (`FeedbackIntakeOptions.renderPage`).
   */
  feedbackIntake?: (renderPage: RenderPage) => FeedbackRequestHandler
  /** How long clients may take to send requests (tests shorten them). */
  timeouts?: Partial<TransportTimeouts>
  /**
   * The site's public origin for canonical URLs, Open Graph and the sitemap. Default:
   * `WEB_SITE_URL`, else the settings' site URL, else the origin the request came to.
   */
  siteUrl?: string
  /** Where content problems (references the reader cannot follow) are reported. */
  log?: (message: string) => void
  /**
   * The viewer token draft mode reads drafts with. Default: `previewToken()`
   * (`SANITY_API_READ_TOKEN`, else the one the local lake wrote); `null` turns draft mode off.
   */
  previewToken?: string | null
  /**
   * The Studio that edits the content, for overlays opened outside its Presentation tool.
   * Default: `SANITY_STUDIO_URL`, else the local lake's `/studio`.
   */
  studioUrl?: string
  /** The live relay's bounds (tests lower them). */
  live?: LiveRelayOptions
  /** Seconds since the epoch, for draft-mode cookies (tests move it). */
  now?: () => number
}

export interface RunningWeb {
  url: string
  /** The live relay (tests watch its readers come and go). */
  live: Pick<LiveRelay, 'subscribers' | 'upstreamOpen'>
  close(): Promise<void>
}

/**
 * Pages without a form may be kept by a CDN for a minute and served stale while it revalidates.
 * Pages with the feedback form are never stored: the form carries a per-render idempotency key,
 * and a stored copy (shared by a CDN, or the reader's own revalidated with a 304) would send a
 * second report with the first one's key, and the intake would take it for the first again.
 * They still carry ETag and Last-Modified, and a client that asks conditionally still gets 304.
 */
const CACHE_SHARED_PUBLIC = 'public, max-age=60, stale-while-revalidate=300'
const CACHE_NEVER_STORED = 'private, no-store'
const DEFAULT_SITE_TITLE = 'Health Careers'

/** The index pages, in the order the home page lists them. */
const PUBLIC_INDEXES = Object.keys(INDEX_TITLES) as (keyof typeof INDEX_TITLES)[]

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'x-content-type-options': 'nosniff',
    ...headers,
  })
  res.end(res.req.method === 'HEAD' ? undefined : body)
}

function html(node: React.ReactElement): string {
  return `<!doctype html>${renderToStaticMarkup(node)}`
}

function renderedAtValue(): string {
  const secret = process.env['FEEDBACK_FORM_SECRET']
  return secret ? signRenderedAt(secret) : String(Date.now())
}

/** A strong validator from the body's bytes, leaving out what differs per render. */
function entityTag(body: string, perRender: string[]): string {
  let stable = body
  for (const value of perRender) stable = stable.split(value).join('')
  return `"${createHash('sha256').update(stable).digest('base64url').slice(0, 27)}"`
}

/** Whether the client's copy is current (RFC 9110 §13.1: If-None-Match wins when sent). */
function notModified(req: IncomingMessage, etag: string, lastModified: Date | null): boolean {
  const ifNoneMatch = req.headers['if-none-match']
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === etag || tag === '*')
  }
  const ifModifiedSince = req.headers['if-modified-since']
  if (ifModifiedSince === undefined || !lastModified) return false
  const since = Date.parse(ifModifiedSince)
  // HTTP dates have whole seconds: a change within the same second counts as not newer.
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since
}

/** The newest of some ISO timestamps, as a date (null when there are none). */
function newest(...timestamps: (string | null | undefined)[]): Date | null {
  const times = timestamps.filter((t): t is string => Boolean(t)).map((t) => Date.parse(t))
  const valid = times.filter((t) => !Number.isNaN(t))
  return valid.length > 0 ? new Date(Math.max(...valid)) : null
}

/** Answers with validators and caching headers, or 304 when the client's copy is current. */
function sendCacheable(
  req: IncomingMessage,
  res: ServerResponse,
  options: {
    type: string
    body: string
    lastModified: Date | null
    cacheControl: string
    perRender?: string[]
  },
): void {
  const etag = entityTag(options.body, options.perRender ?? [])
  const headers: Record<string, string> = {
    etag,
    'cache-control': options.cacheControl,
    // The draft-mode cookie turns the same address into the draft page: a shared cache must keep
    // the public answer for requests without it only.
    vary: 'Cookie',
    ...(options.lastModified ? {'last-modified': options.lastModified.toUTCString()} : {}),
  }
  if (notModified(req, etag, options.lastModified)) {
    res.writeHead(304, headers)
    res.end()
    return
  }
  send(res, 200, options.type, options.body, headers)
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * Whether an error means the lake could not be reached (connection refused, reset, timed out,
 * name not resolved), as opposed to a lake that answered with an error or a bug of ours.
 */
export function isLakeUnreachable(error: unknown): boolean {
  const seen = new Set<unknown>()
  // Walked through `cause` with a loop: fetch wraps the socket's error one or two levels down.
  for (let at: unknown = error; at && typeof at === 'object' && !seen.has(at);) {
    seen.add(at)
    const {code, message} = at as {code?: unknown; message?: unknown}
    if (
      typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET)$/.test(
        code,
      )
    )
      return true
    if (
      typeof message === 'string' &&
      /ECONNREFUSED|ECONNRESET|fetch failed|socket hang up/.test(message)
    )
      return true
    at = (at as {cause?: unknown}).cause
  }
  return false
}

function errorMessage(error: unknown): string {
  const cause = (error as {cause?: {message?: unknown}} | null)?.cause?.message
  const message = error instanceof Error ? error.message : String(error)
  return typeof cause === 'string' ? `${message}: ${cause}` : message
}

interface Site {
  client: SanityClient
  options: StartWebOptions
  log: (message: string) => void
  /** Local mode: images and downloads reach readers through this origin (README "Images"). */
  assetProxy?: AssetProxy | undefined
  draftMode: DraftMode
  live: LiveRelay
  studioUrl: string
}

/**
 * A client that keeps the `syncTags` of every query it answers (the Live Content API's), so the
 * page can name what it was rendered from. Everything else is the client itself.
 */
function taggingClient(client: SanityClient, tags: Set<string>): SanityClient {
  const fetchTagged = async (
    query: string,
    params?: Record<string, unknown>,
    options?: {tag?: string; signal?: AbortSignal},
  ) => {
    // A caller's own options (a request tag, a signal) go through; only the envelope is ours.
    const response = await client.fetch(query, params ?? {}, {...options, filterResponse: false})
    for (const tag of response.syncTags ?? []) tags.add(tag)
    return response.result
  }
  return new Proxy(client, {
    get(target, property) {
      if (property === 'fetch') return fetchTagged
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** The frontend's own endpoints under `/api/`; false when the path is none of them. */
function apiRoute(site: Site, req: IncomingMessage, res: ServerResponse, pathname: string) {
  const inDraftMode = () => site.draftMode.isOn(req)
  switch (pathname) {
    case DRAFT_MODE_ENABLE_PATH:
      // The overlays' bundle takes a second or two to build: start now, while the frame loads.
      if (site.draftMode.client) bundle(VISUAL_EDITING_SCRIPT_PATH).catch(() => undefined)
      return site.draftMode.enable(req, res)
    case DRAFT_MODE_DISABLE_PATH:
      site.draftMode.disable(req, res)
      return Promise.resolve()
    case LIVE_PATH:
      site.live.handle(req, res)
      return Promise.resolve()
    default:
      if (!isScriptPath(pathname)) return false
      return pathname === VISUAL_EDITING_SCRIPT_PATH
        ? serveScript(req, res, pathname, {
            allowed: inDraftMode(),
            cacheControl: 'private, no-cache',
          })
        : serveScript(req, res, pathname, {allowed: true, cacheControl: 'public, max-age=300'})
  }
}

async function route(site: Site, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://site.invalid')
  if (site.assetProxy && isAssetRequest(url.pathname)) return site.assetProxy(req, res)
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain', 'Method not allowed', {allow: 'GET, HEAD'})
    return
  }
  const handled = apiRoute(site, req, res, url.pathname)
  if (handled) return handled
  // Draft mode: drafts, read with the viewer token, never stored by anyone. The Studio's
  // perspective picker reloads the frame with `sanity-preview-perspective` ("published", or a
  // release stack).
  const draftClient = site.draftMode.isOn(req) ? site.draftMode.client : null
  const draft = draftClient?.withConfig({
    perspective: previewPerspective(url.searchParams.get(PERSPECTIVE_PARAM)),
  })
  const tags = new Set<string>()
  const client = taggingClient(draft ?? site.client, tags)
  const live = (): LivePage =>
    draft ? {draftMode: true, path: url.pathname} : {draftMode: false, syncTags: [...tags].sort()}
  const cacheShared = draft ? CACHE_NEVER_STORED : CACHE_SHARED_PUBLIC
  const settings = (await client.fetch(settingsQuery)) ?? DEFAULT_SETTINGS
  const siteTitle = settings.siteTitle ?? DEFAULT_SITE_TITLE
  const absolute = absoluteUrls(site, settings, `http://${req.headers.host ?? 'localhost'}`)

  if (url.pathname === '/' || url.pathname === '/sitemap.xml') {
    const documents = await client.fetch(sitemapQuery)
    const lastModified = newest(...documents.map((doc) => doc._updatedAt))
    if (url.pathname === '/sitemap.xml') {
      const entries = documents
        .filter((doc) => !doc.noIndex)
        .map((doc) => ({path: documentPath(doc), updatedAt: doc._updatedAt}))
        .filter((entry): entry is {path: string; updatedAt: string} => Boolean(entry.path))
        .map(
          (entry) =>
            `<url><loc>${xmlEscape(absolute(entry.path))}</loc><lastmod>${xmlEscape(entry.updatedAt)}</lastmod></url>`,
        )
      const lastmod = lastModified ? `<lastmod>${lastModified.toISOString()}</lastmod>` : ''
      const home = ['/', ...PUBLIC_INDEXES.map(indexPath)]
        .map((path) => `<url><loc>${xmlEscape(absolute(path))}</loc>${lastmod}</url>`)
        .join('')
      sendCacheable(req, res, {
        type: 'application/xml',
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${home}${entries.join('')}</urlset>`,
        lastModified,
        cacheControl: cacheShared,
      })
      return
    }
    const navigation = await client.fetch(navigationQuery)
    const body = html(
      <Layout
        meta={{
          title: 'Careers',
          description: `${siteTitle}: careers by area, theme and specialism.`,
          canonical: absolute('/'),
        }}
        siteTitle={siteTitle}
        live={live()}
      >
        <HomeView navigation={navigation} />
      </Layout>,
    )
    sendCacheable(req, res, {type: 'text/html', body, lastModified, cacheControl: cacheShared})
    return
  }

  const index = indexForPath(url.pathname)
  if (index) {
    const items = await client.fetch(typeIndexQuery, {type: index})
    const body = html(
      <Layout
        meta={{title: INDEX_TITLES[index], canonical: absolute(url.pathname)}}
        siteTitle={siteTitle}
        breadcrumbs={[{title: 'Home', href: '/'}, {title: INDEX_TITLES[index]}]}
        live={live()}
      >
        <IndexView title={INDEX_TITLES[index]} items={items} />
      </Layout>,
    )
    sendCacheable(req, res, {
      type: 'text/html',
      body,
      lastModified: null,
      cacheControl: cacheShared,
    })
    return
  }

  const useful = url.searchParams.get('useful')
  const rendered = await documentHtml(
    {...site, client},
    settings,
    absolute,
    url.pathname,
    {
      sent: url.searchParams.get('feedback') === 'sent',
      ...(useful === 'yes' || useful === 'no' ? {useful} : {}),
    },
    {live, draft: draft !== undefined},
  )
  if (!rendered) {
    send(
      res,
      404,
      'text/html',
      html(
        <Layout meta={{title: 'Page not found'}} siteTitle={siteTitle}>
          <NotFoundView />
        </Layout>,
      ),
      {'cache-control': draft ? CACHE_NEVER_STORED : 'no-cache'},
    )
    return
  }
  const {found, body, references, form} = rendered
  // A slug-less address of a document that has a slug moves to the one address it is known by.
  if (found.path !== url.pathname) {
    res.writeHead(301, {location: found.path, 'cache-control': cacheShared, vary: 'Cookie'})
    res.end()
    return
  }
  sendCacheable(req, res, {
    type: 'text/html',
    body,
    lastModified: newest(found.updatedAt, references.newestUpdatedAt),
    cacheControl: found.hasForm || draft ? CACHE_NEVER_STORED : cacheShared,
    perRender: found.hasForm ? [form.idempotencyKey, form.renderedAt] : [],
  })
}

type Settings = NonNullable<SettingsQueryResult>

const DEFAULT_SETTINGS: Settings = {
  siteTitle: DEFAULT_SITE_TITLE,
  siteUrl: null,
  contactPageUrl: null,
  feedbackForm: null,
}

/**
 * Absolute URLs on the site's public origin: `siteUrl`, else `WEB_SITE_URL`, else the settings'
 * site URL, else the origin the request came to (`fallback`).
 */
function absoluteUrls(site: Site, settings: Settings, fallback: string): Absolute {
  const origin = (
    site.options.siteUrl ??
    process.env['WEB_SITE_URL'] ??
    settings.siteUrl ??
    fallback
  ).replace(/\/+$/, '')
  return (path) => `${origin}${path}`
}

/**
 * A document's page with its feedback section in a given state: what `GET` serves, and what the
 * intake answers a report it cannot accept with (`state`: the form filled in, with errors).
 * Undefined when no public document has that address.
 */
async function documentHtml(
  site: Site,
  settings: Settings,
  absolute: Absolute,
  pathname: string,
  feedback: {sent?: boolean; useful?: 'yes' | 'no'; state?: FeedbackFormState},
  view: {live?: () => LivePage; draft?: boolean} = {},
) {
  const {client} = site
  const wanted = routeForPath(pathname)
  const form = {
    path: pathname,
    settings,
    idempotencyKey: randomUUID(),
    renderedAt: renderedAtValue(),
    sent: feedback.sent ?? false,
    ...(feedback.useful ? {useful: feedback.useful} : {}),
    ...(feedback.state ? {state: feedback.state} : {}),
  }
  const found = wanted
    ? await ROUTES[wanted.type](client, {key: wanted.key, id: wanted.id}, {absolute, form})
    : null
  if (!found || !wanted) return undefined
  const references = await checkReferences(client, found.id)
  if (references.missing.length > 0) {
    site.log(
      `web: ${pathname} (${found.id}) refers to ${references.missing.join(', ')}, which the public cannot read (deleted, unpublished or not public): shown without a link`,
    )
  }
  const title = feedback.state?.errors.length ? `Error: ${found.title}` : found.title
  const body = html(
    <Layout
      meta={{
        title,
        description: found.description,
        canonical: absolute(found.path),
        noIndex: found.noIndex,
        ogType: found.ogType,
        structuredData: [
          breadcrumbList(
            found.crumbs.map((crumb) =>
              crumb.href ? {...crumb, href: absolute(crumb.href)} : crumb,
            ),
            absolute(found.path),
          ),
          ...found.structuredData,
        ],
      }}
      siteTitle={settings.siteTitle ?? DEFAULT_SITE_TITLE}
      breadcrumbs={found.crumbs}
      {...(view.live ? {live: view.live()} : {})}
    >
      {view.draft ? (
        <EditableDocument
          target={{
            id: found.id,
            type: wanted.type,
            titleField: TITLE_FIELDS[wanted.type],
            studioUrl: site.studioUrl,
          }}
        >
          {found.main}
        </EditableDocument>
      ) : (
        found.main
      )}
    </Layout>,
  )
  return {found, body, references, form}
}

/** The renderer the intake gets: this frontend's page for a path, the form in the given state. */
export function pageRenderer(site: Site): RenderPage {
  return async (path, state) => {
    const settings = (await site.client.fetch(settingsQuery)) ?? DEFAULT_SETTINGS
    // No request to take an origin from: links and the canonical URL stay on this origin.
    const absolute = absoluteUrls(site, settings, '')
    return (await documentHtml(site, settings, absolute, path, {state}))?.body
  }
}

/** The answer when something failed: the lake unreachable (503), or refused us (502), or a bug. */
function sendFailure(res: ServerResponse, error: unknown): void {
  const statusCode = (error as {statusCode?: unknown} | null)?.statusCode
  const status = isLakeUnreachable(error)
    ? 503
    : typeof statusCode === 'number' && statusCode >= 500
      ? 502
      : 500
  send(
    res,
    status,
    'text/html',
    html(
      <Layout
        meta={{title: 'Sorry, there is a problem with the service'}}
        siteTitle={DEFAULT_SITE_TITLE}
      >
        <UnavailableView />
      </Layout>,
    ),
    {'cache-control': 'no-store', ...(status === 503 ? {'retry-after': '30'} : {})},
  )
}

export async function startWeb(options: StartWebOptions = {}): Promise<RunningWeb> {
  const client = createContentClient({
    perspective: 'published',
    ...(options.lakeUrl ? {lakeUrl: options.lakeUrl} : {}),
    ...(options.lakeDataDir ? {lakeDataDir: options.lakeDataDir} : {}),
  })
  const log = options.log ?? ((message: string) => console.warn(message))
  const token =
    options.previewToken === null
      ? undefined
      : (options.previewToken ?? previewToken(options.lakeDataDir))
  const site: Site = {
    client,
    options,
    log,
    draftMode: createDraftMode({client, token, ...(options.now ? {now: options.now} : {})}),
    live: createLiveRelay(client, {log, ...options.live}),
    studioUrl: studioUrl(options),
    assetProxy: isLocalLake
      ? createAssetProxy({lakeUrl: options.lakeUrl ?? localLakeUrl(), projectId, dataset})
      : undefined,
  }
  const timeouts = {...TRANSPORT_TIMEOUTS, ...options.timeouts}
  const feedbackHandler = options.feedbackIntake
    ? options.feedbackIntake(pageRenderer(site))
    : options.feedbackHandler
  const server = createServer(http1TimeoutOptions(timeouts), (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://site.invalid').pathname
    const work = isFeedbackRequest(req.method, pathname)
      ? feedbackHandler
        ? feedbackHandler(req, res)
        : Promise.resolve(
            send(res, 503, 'text/plain', 'Feedback is not being received here right now.'),
          )
      : route(site, req, res)
    work.catch((error: unknown) => {
      // An unreachable lake is an outage to report in a line, not a bug to trace.
      if (isLakeUnreachable(error)) {
        console.error(`web: the lake cannot be reached (${pathname}): ${errorMessage(error)}`)
      } else console.error('web:', error)
      if (!res.headersSent) sendFailure(res, error)
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? DEFAULT_WEB_PORT, options.host ?? 'localhost', () => resolve())
  })
  const {port} = server.address() as AddressInfo
  return {
    url: `http://localhost:${port}`,
    live: site.live,
    close: () =>
      new Promise<void>((resolve) => {
        site.live.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Where the Studio is: `studioUrl`, `SANITY_STUDIO_URL`, else the local lake's own Studio. */
function studioUrl(options: StartWebOptions): string {
  const configured = options.studioUrl ?? process.env.SANITY_STUDIO_URL
  if (configured) return configured.replace(/\/+$/, '')
  return isLocalLake ? `${(options.lakeUrl ?? localLakeUrl()).replace(/\/+$/, '')}/studio` : '/'
}

async function main(): Promise<number> {
  const lakeUrl = localLakeUrl()
  const port = Number(process.env.WEB_PORT) || DEFAULT_WEB_PORT
  let feedbackIntake: ((renderPage: RenderPage) => FeedbackRequestHandler) | undefined
  try {
    // Built once here (a missing token is reported at start), then given the page renderer.
    createFeedbackIntakeFromEnv({lakeUrl})
    feedbackIntake = (renderPage) => createFeedbackIntakeFromEnv({lakeUrl, renderPage})
  } catch (error) {
    console.error(`Feedback intake off: ${error instanceof Error ? error.message : String(error)}`)
  }
  const web = await startWeb({port, lakeUrl, ...(feedbackIntake ? {feedbackIntake} : {})})
  console.log(`Frontend listening on ${web.url} (content from ${lakeUrl})`)
  // The server keeps the process alive; 0 is the exit code for when it is stopped.
  return 0
}

if (isMain(import.meta.url)) runMain(main)
