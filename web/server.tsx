/**
 * `npm run web`: the reference frontend. Server-rendered React on `node:http`, reading published
 * content through the site's one client (no token: it only ever sees what the public may), with
 * the public feedback intake mounted at `POST /feedback` on the same origin as the form.
 */
import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {SanityClient} from '@sanity/client'
import {renderToStaticMarkup} from 'react-dom/server'

import {createContentClient} from '../lib/client'
import {localLakeUrl} from '../lib/env'
import {navigationQuery, pageBySlugQuery, pagePathsQuery} from '../queries/pages'
import {settingsQuery} from '../queries/settings'
import {isMain, runMain} from '../lib/cli'
import {http1TimeoutOptions, TRANSPORT_TIMEOUTS, type TransportTimeouts} from '../lib/transport'
import type {FeedbackRequestHandler, RenderPage} from '../intake'
import type {FeedbackFormState} from '../intake/FeedbackForm'
import {signRenderedAt} from '../intake/formToken'
import {createFeedbackIntakeFromEnv, isFeedbackRequest} from '../intake/mount'
import {HomeView, Layout, NotFoundView, PageView} from './views'

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
}

export interface RunningWeb {
  url: string
  close(): Promise<void>
}

/** Only `[a-z0-9-]` slugs reach a query, as a parameter; anything else is simply not found. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,199}$/

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    'x-content-type-options': 'nosniff',
  })
  res.end(body)
}

function html(node: React.ReactElement): string {
  return `<!doctype html>${renderToStaticMarkup(node)}`
}

function renderedAtValue(): string {
  const secret = process.env['FEEDBACK_FORM_SECRET']
  return secret ? signRenderedAt(secret) : String(Date.now())
}

async function route(
  client: SanityClient,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://site.invalid')
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, 'text/plain', 'Method not allowed')
    return
  }
  const settings = (await client.fetch(settingsQuery)) ?? {
    siteTitle: 'Health Careers',
    siteUrl: null,
    contactPageUrl: null,
    feedbackForm: null,
  }
  const siteTitle = settings.siteTitle ?? 'Health Careers'

  if (url.pathname === '/') {
    const navigation = await client.fetch(navigationQuery)
    send(
      res,
      200,
      'text/html',
      html(
        <Layout title="Careers" siteTitle={siteTitle}>
          <HomeView navigation={navigation} />
        </Layout>,
      ),
    )
    return
  }
  if (url.pathname === '/sitemap.xml') {
    const paths = await client.fetch(pagePathsQuery)
    const base = settings.siteUrl ?? `http://${req.headers.host ?? 'localhost'}`
    const entries = paths
      .map(
        (p) =>
          `<url><loc>${base}/${p.slug}</loc><lastmod>${p._updatedAt.slice(0, 10)}</lastmod></url>`,
      )
      .join('')
    send(
      res,
      200,
      'application/xml',
      `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${entries}</urlset>`,
    )
    return
  }
  const useful = url.searchParams.get('useful')
  const body = await pageHtml(client, settings, url.pathname, {
    sent: url.searchParams.get('feedback') === 'sent',
    ...(useful === 'yes' || useful === 'no' ? {useful} : {}),
  })
  if (body === undefined) {
    send(
      res,
      404,
      'text/html',
      html(
        <Layout title="Page not found" siteTitle={siteTitle}>
          <NotFoundView />
        </Layout>,
      ),
    )
    return
  }
  res.setHeader('cache-control', 'no-store')
  send(res, 200, 'text/html', body)
}

type SiteSettings = NonNullable<Awaited<ReturnType<typeof settingsOf>>>

function settingsOf(client: SanityClient) {
  return client.fetch(settingsQuery)
}

/**
 * A page with its feedback section in a given state: what `GET /<slug>` serves, and what the
 * intake answers a report it cannot accept with (`state`: the form filled in, with errors).
 */
async function pageHtml(
  client: SanityClient,
  settings: SiteSettings | null,
  pathname: string,
  feedback: {sent?: boolean; useful?: 'yes' | 'no'; state?: FeedbackFormState},
): Promise<string | undefined> {
  const slug = pathname.slice(1)
  const page = SLUG.test(slug) ? await client.fetch(pageBySlugQuery, {slug}) : null
  if (!page) return undefined
  const site = settings ?? {
    siteTitle: 'Health Careers',
    siteUrl: null,
    contactPageUrl: null,
    feedbackForm: null,
  }
  const form = {
    path: pathname,
    settings: site,
    idempotencyKey: randomUUID(),
    renderedAt: renderedAtValue(),
    sent: feedback.sent ?? false,
    ...(feedback.useful ? {useful: feedback.useful} : {}),
    ...(feedback.state ? {state: feedback.state} : {}),
  }
  const title = feedback.state?.errors.length ? `Error: ${page.title ?? 'Page'}` : page.title
  return html(
    <Layout title={title ?? 'Page'} siteTitle={site.siteTitle ?? 'Health Careers'}>
      <PageView page={page} form={form} />
    </Layout>,
  )
}

/** The renderer the intake gets: this frontend's page for a path, the form in the given state. */
export function pageRenderer(client: SanityClient): RenderPage {
  return async (path, state) => pageHtml(client, await settingsOf(client), path, {state})
}

export async function startWeb(options: StartWebOptions = {}): Promise<RunningWeb> {
  const client = createContentClient({
    perspective: 'published',
    ...(options.lakeUrl ? {lakeUrl: options.lakeUrl} : {}),
    ...(options.lakeDataDir ? {lakeDataDir: options.lakeDataDir} : {}),
  })
  const timeouts = {...TRANSPORT_TIMEOUTS, ...options.timeouts}
  const feedbackHandler = options.feedbackIntake
    ? options.feedbackIntake(pageRenderer(client))
    : options.feedbackHandler
  const server = createServer(http1TimeoutOptions(timeouts), (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://site.invalid').pathname
    const work = isFeedbackRequest(req.method, pathname)
      ? feedbackHandler
        ? feedbackHandler(req, res)
        : Promise.resolve(
            send(res, 503, 'text/plain', 'Feedback is not being received here right now.'),
          )
      : route(client, req, res)
    work.catch((error: unknown) => {
      console.error('web:', error)
      if (!res.headersSent) send(res, 502, 'text/plain', 'The content service did not answer.')
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
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
