/**
 * The frontend's only browser scripts, bundled with esbuild on first request and kept in memory:
 * `/api/live.js` (public pages: live updates, `web/browser/live.ts`) and
 * `/api/visual-editing.js` (draft mode only: Sanity's overlays, `web/browser/visualEditing.ts`).
 * Built from this repository's sources and packages alone, so no token or other secret can be in
 * them; `npm run web` needs no build step.
 */
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {fileURLToPath} from 'node:url'

import {build, type Plugin} from 'esbuild'

export const LIVE_SCRIPT_PATH = '/api/live.js'
export const VISUAL_EDITING_SCRIPT_PATH = '/api/visual-editing.js'

const ENTRIES: Record<string, string> = {
  [LIVE_SCRIPT_PATH]: fileURLToPath(new URL('./browser/live.ts', import.meta.url)),
  [VISUAL_EDITING_SCRIPT_PATH]: fileURLToPath(
    new URL('./browser/visualEditing.ts', import.meta.url),
  ),
}

interface Bundle {
  code: string
  etag: string
}

/**
 * The overlays import `@sanity/ui`'s base stylesheet; one script is all the frontend serves, so
 * the stylesheet becomes code that adds it to the page's head.
 */
const cssAsStyleElement: Plugin = {
  name: 'css-as-style-element',
  setup(builder) {
    builder.onLoad({filter: /\.css$/}, async ({path}) => ({
      loader: 'js',
      contents: `const style = document.createElement('style')
style.textContent = ${JSON.stringify(await readFile(path, 'utf8'))}
document.head.append(style)`,
    }))
  },
}

const bundles = new Map<string, Promise<Bundle>>()

export function isScriptPath(pathname: string): boolean {
  return Object.hasOwn(ENTRIES, pathname)
}

/** The bundle for a script path, built once per process (a failed build is tried again). */
export function bundle(pathname: string): Promise<Bundle> {
  const entry = ENTRIES[pathname]
  if (!entry) return Promise.reject(new Error(`No script at ${pathname}`))
  let built = bundles.get(pathname)
  if (!built) {
    built = build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      define: {'process.env.NODE_ENV': '"production"'},
      logLevel: 'silent',
      plugins: [cssAsStyleElement],
    }).then((result) => {
      const code = result.outputFiles[0]?.text ?? ''
      return {code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 27)}"`}
    })
    built.catch(() => bundles.delete(pathname))
    bundles.set(pathname, built)
  }
  return built
}

/**
 * Serves a script. `allowed` false (the overlays outside draft mode) is a 404: the public site
 * has no use for them.
 */
export async function serveScript(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: {allowed: boolean; cacheControl: string},
): Promise<void> {
  if (!options.allowed) {
    res.writeHead(404, {'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store'})
    res.end('Not found: this script is only served in draft mode.')
    return
  }
  const {code, etag} = await bundle(pathname)
  const headers = {
    etag,
    'cache-control': options.cacheControl,
    'content-type': 'text/javascript; charset=utf-8',
    'x-content-type-options': 'nosniff',
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers)
    res.end()
    return
  }
  res.writeHead(200, headers)
  res.end(req.method === 'HEAD' ? undefined : code)
}
