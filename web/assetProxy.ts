/**
 * `GET /images/...` and `GET /files/...` on the frontend's origin, streamed from the local lake.
 *
 * Why: in local mode the lake serves assets over TLS with a self-signed certificate. A reader's
 * browser that has not accepted it (every reader but the developer who did) would show a broken
 * image for every `https://localhost:4545/images/...` URL. The frontend already trusts the lake
 * (`lib/client.ts`), so it fetches the bytes and the page uses root-relative URLs
 * (`web/images.tsx`, `AssetHost.baseUrl: '/'`). In hosted mode images come from Sanity's CDN and
 * this proxy is not mounted.
 *
 * It forwards as the public: never a token, cookie or authorization header, so the lake's rule
 * applies unchanged (an asset is readable only once a published public document uses it). Only
 * URLs of the shape `@sanity/image-url` builds for this project and dataset are forwarded; the
 * rest is a 404 that never reaches the lake.
 */
import {request as httpRequest, type IncomingMessage, type ServerResponse} from 'node:http'
import {Agent, request as httpsRequest} from 'node:https'
import {Transform, type TransformCallback} from 'node:stream'
import {pipeline} from 'node:stream/promises'

/** Every limit the proxy enforces, with its reason. */
export interface AssetProxyLimits {
  /**
   * Characters in the query string (414 past it). `@sanity/image-url`'s longest URLs (`rect`,
   * `w`, `h`, `fit`, `auto`, `q`, `dpr`) are about 120; a longer one is not from our pages.
   */
  maxQueryLength: number
  /**
   * Bytes in one answer: the lake's upload limit (100 MiB) plus room for a transform that grows
   * an image. Past it the answer is cut off, so one URL cannot tie up the frontend indefinitely.
   */
  maxResponseBytes: number
  /**
   * Milliseconds the lake may take to start answering (504 past it). A first transform of a large
   * photograph takes a few seconds; later requests come from the lake's cache.
   */
  responseTimeoutMs: number
}

export const ASSET_PROXY_LIMITS: AssetProxyLimits = {
  maxQueryLength: 1024,
  maxResponseBytes: 128 * 1024 * 1024,
  responseTimeoutMs: 30_000,
}

export interface AssetProxyOptions {
  /** The lake's origin, e.g. `https://localhost:4545`. */
  lakeUrl: string
  projectId: string
  dataset: string
  limits?: Partial<AssetProxyLimits>
}

/** What a reader's request may carry to the lake: format negotiation and revalidation only. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'if-none-match', 'if-modified-since'] as const

/** What the lake's answer may carry back. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'cache-control',
  'etag',
  'last-modified',
  'vary',
  // The lake sandboxes every asset: an uploaded HTML or SVG file must not run script here either.
  'content-security-policy',
  'x-content-type-options',
] as const

/** `<sha1>-<w>x<h>.<ext>` and `<sha1>.<ext>`, as the lake names assets in URLs. */
const IMAGE_NAME = /^[0-9a-f]{40}-\d{1,6}x\d{1,6}\.[a-z0-9]{1,16}$/
const FILE_NAME = /^[0-9a-f]{40}\.[a-z0-9]{1,16}$/

/** Whether a path is the proxy's to answer (everything under `/images/` and `/files/`). */
export function isAssetRequest(pathname: string): boolean {
  return pathname.startsWith('/images/') || pathname.startsWith('/files/')
}

/** Whether a path is an asset URL of this project and dataset, as `@sanity/image-url` builds it. */
export function isAssetPath(pathname: string, projectId: string, dataset: string): boolean {
  const [empty, kind, project, datasetName, name, ...rest] = pathname.split('/')
  if (empty !== '' || rest.length > 0 || project !== projectId || datasetName !== dataset) {
    return false
  }
  if (kind === 'images') return IMAGE_NAME.test(name ?? '')
  if (kind === 'files') return FILE_NAME.test(name ?? '')
  return false
}

class ByteLimit extends Transform {
  private seen = 0
  private readonly limit: number
  constructor(limit: number) {
    super()
    this.limit = limit
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length
    if (this.seen > this.limit) done(new Error(`asset answer over ${this.limit} bytes`))
    else done(null, chunk)
  }
}

function answer(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    // An asset that is private now may be published in a minute: never keep a refusal.
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(res.req.method === 'HEAD' ? undefined : message)
}

/** The proxy's request handler; resolves when the answer is complete. */
export type AssetProxy = (req: IncomingMessage, res: ServerResponse) => Promise<void>

export function createAssetProxy(options: AssetProxyOptions): AssetProxy {
  const limits = {...ASSET_PROXY_LIMITS, ...options.limits}
  const lake = new URL(options.lakeUrl)
  const secure = lake.protocol === 'https:'
  const agent = secure ? new Agent({keepAlive: true, maxSockets: 16}) : undefined

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://site.invalid')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(res, 405, 'Method not allowed: assets are read with GET or HEAD.', {
        allow: 'GET, HEAD',
      })
      return
    }
    if (!isAssetPath(url.pathname, options.projectId, options.dataset)) {
      answer(res, 404, 'Asset not found.')
      return
    }
    if (url.search.length > limits.maxQueryLength) {
      answer(
        res,
        414,
        `The image parameters are too long: at most ${limits.maxQueryLength} characters.`,
      )
      return
    }
    const headers: Record<string, string> = {}
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const target = new URL(`${url.pathname}${url.search}`, lake)
    const upstream = await new Promise<IncomingMessage | Error>((resolve) => {
      const send = secure ? httpsRequest : httpRequest
      const outgoing = send(target, {method: req.method, headers, ...(agent ? {agent} : {})})
      outgoing.setTimeout(limits.responseTimeoutMs, () =>
        outgoing.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})),
      )
      outgoing.once('response', (response) => {
        // The timeout covered waiting for an answer; the body is bounded by size instead.
        outgoing.setTimeout(0)
        resolve(response)
      })
      outgoing.once('error', resolve)
      // A reader who leaves stops the lake's work for them too.
      res.once('close', () => {
        if (!res.writableFinished) outgoing.destroy()
      })
      outgoing.end()
    })
    if (upstream instanceof Error) {
      const timedOut = (upstream as {code?: unknown}).code === 'ETIMEDOUT'
      answer(
        res,
        timedOut ? 504 : 503,
        timedOut
          ? 'The image took too long to prepare. Try again.'
          : 'Images cannot be reached at the moment. Try again in a few minutes.',
        timedOut ? {} : {'retry-after': '30'},
      )
      return
    }
    const status = upstream.statusCode ?? 502
    if (status >= 500) {
      upstream.resume()
      answer(res, 502, 'Images cannot be shown at the moment.')
      return
    }
    if (status === 404 || status === 403 || status === 401) {
      // Unreadable and missing alike, as the lake answers them.
      upstream.resume()
      answer(res, 404, 'Asset not found.')
      return
    }
    const declared = Number(upstream.headers['content-length'])
    if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
      upstream.destroy()
      answer(res, 502, 'The asset is too large to be shown here.')
      return
    }
    const forwarded: Record<string, string> = {}
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers[name]
      if (typeof value === 'string') forwarded[name] = value
    }
    if (status >= 400) forwarded['cache-control'] = 'no-store'
    res.writeHead(status, forwarded)
    if (req.method === 'HEAD' || status === 304) {
      upstream.resume()
      res.end()
      return
    }
    try {
      await pipeline(upstream, new ByteLimit(limits.maxResponseBytes), res)
    } catch {
      // Cut short (the reader left, or the answer passed its limit): nothing more can be sent.
      res.destroy()
    }
  }
}
