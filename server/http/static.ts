/**
 * The built Studio (`npm run studio:build` → `studio-dist/`, basePath `/studio`), served by the
 * lake itself so the Studio and the API share one origin: one certificate to accept, no CORS
 * preflights, and HTTP/2 for both.
 */
import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {extname, join, normalize, sep} from 'node:path'

import {type LakeResponse, sendText} from './common'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

/** Vite names built assets with a content hash (`index-B3OqQbXW.js`): safe to cache for a year. */
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/

export const STUDIO_BASE = '/studio'
/**
 * Where the build's assets are addressed. `sanity build` has been seen to emit `/static/…` links
 * in `index.html` even with `basePath: '/studio'`, so the lake serves the same files at both.
 */
export const STATIC_BASE = '/static'

export function isStudioPath(pathname: string): boolean {
  return [STUDIO_BASE, STATIC_BASE].some(
    (base) => pathname === base || pathname.startsWith(`${base}/`),
  )
}

function missingStudioPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Studio not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}code{background:#f2f2f2;padding:.1em .3em}</style>
</head><body>
<h1>The Studio has not been built yet</h1>
<p>The local content lake serves the Studio from <code>studio-dist/</code>, which does not exist.</p>
<p>Build it once with <code>npm run studio:build</code>, then reload this page. (<code>npm run dev</code> runs the Studio in development mode instead.)</p>
<p>The API itself is running: try <a href="/v1/ping">/v1/ping</a>.</p>
</body></html>`
}

async function fileAt(root: string, relative: string): Promise<string | null> {
  // normalize() resolves `..`; the prefix check keeps every request inside the dist directory.
  const path = normalize(join(root, relative))
  if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) return null
  try {
    const info = await stat(path)
    return info.isFile() ? path : null
  } catch {
    return null
  }
}

export async function serveStudio(
  studioDir: string,
  pathname: string,
  method: string,
  res: LakeResponse,
): Promise<void> {
  const root = normalize(studioDir)
  const index = await fileAt(root, 'index.html')
  if (!index) {
    res.setHeader('cache-control', 'no-store')
    sendText(res, 503, missingStudioPage(), 'text/html; charset=utf-8')
    return
  }
  const underStudio = pathname === STUDIO_BASE || pathname.startsWith(`${STUDIO_BASE}/`)
  let relative: string
  try {
    // `/studio/x` is `x` in the dist directory; `/static/x` is `static/x`.
    relative = decodeURIComponent(
      underStudio ? pathname.slice(STUDIO_BASE.length) : pathname,
    ).replace(/^\/+/, '')
  } catch {
    sendText(res, 400, 'Bad path')
    return
  }
  const file = (relative && (await fileAt(root, relative))) || null
  // A missing asset is a 404, not the app: a stale tab asking for an old bundle must see it fail.
  if (!file && (!underStudio || relative.startsWith('static/'))) {
    sendText(res, 404, 'Not found')
    return
  }
  // Other unknown paths are Studio routes (`/studio/structure/page;abc`): the SPA resolves them.
  const path = file ?? index
  const info = await stat(path)
  res.statusCode = 200
  res.setHeader('content-type', TYPES[extname(path)] ?? 'application/octet-stream')
  res.setHeader('content-length', info.size)
  res.setHeader(
    'cache-control',
    path !== index && HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
  )
  res.setHeader('x-content-type-options', 'nosniff')
  if (method === 'HEAD') {
    res.end()
    return
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path)
    stream.on('error', reject)
    stream.on('end', resolve)
    stream.on('data', (chunk) => {
      if (!res.write(chunk)) {
        stream.pause()
        res.once('drain', () => stream.resume())
      }
    })
  })
  res.end()
}
