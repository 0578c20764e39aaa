/**
 * The stock starter's Studio (`tests/fixtures/starter-studio/`) for browser tests: built with the
 * project's `sanity build` into `test-output/starter-studio/<hash of its sources>/` (reused while
 * the sources and Sanity's version are unchanged), and served from its own loopback origin.
 *
 * The lake and the preview frontend listen on ports chosen at test time, while the bundle is
 * built once: it is built with marker URLs in `SANITY_STUDIO_API_HOST` and
 * `SANITY_STUDIO_PREVIEW_URL` (Vite inlines them as string literals), and the server writes the
 * real addresses in place of the markers as it serves the scripts.
 */
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {extname, join, relative, resolve, sep} from 'node:path'

export const STARTER_DIR = resolve('tests/fixtures/starter-studio')
const BUILDS_DIR = resolve('test-output/starter-studio')
/** Both end up as `<projectId>.<host>` in the client (the stock project hostname), then served. */
export const API_HOST_MARKER = 'https://starter-lake-api-host.invalid'
export const PREVIEW_URL_MARKER = 'http://starter-preview-frontend.invalid'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name !== '.sanity' && name !== 'node_modules')
    .flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? sourceFiles(path) : [path]
    })
    .sort()
}

/** A hash of what the bundle is made of: the fixture's files, Sanity's version and the markers. */
export function starterSourceHash(): string {
  const hash = createHash('sha256')
  const sanityPackage = JSON.parse(
    readFileSync(resolve('node_modules/sanity/package.json'), 'utf8'),
  )
  hash.update(`sanity@${(sanityPackage as {version: string}).version}\n`)
  hash.update(`${API_HOST_MARKER}\n${PREVIEW_URL_MARKER}\n`)
  for (const file of sourceFiles(STARTER_DIR)) {
    hash.update(`${relative(STARTER_DIR, file).split(sep).join('/')}\n`)
    hash.update(readFileSync(file))
  }
  return hash.digest('hex').slice(0, 16)
}

function runSanityBuild(outDir: string): Promise<void> {
  const bin = resolve('node_modules/.bin')
  return new Promise((done, fail) => {
    const output: string[] = []
    const child = spawn(join(bin, 'sanity'), ['build', outDir, '--yes'], {
      cwd: STARTER_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // `node_modules/.bin/node` first: the CLI needs the Node the project installs.
        PATH: `${bin}:${process.env['PATH'] ?? ''}`,
        SANITY_TELEMETRY_DISABLED: '1',
        SANITY_STUDIO_PROJECT_ID: 'local',
        SANITY_STUDIO_DATASET: 'production',
        SANITY_STUDIO_API_HOST: API_HOST_MARKER,
        SANITY_STUDIO_PREVIEW_URL: PREVIEW_URL_MARKER,
      },
    })
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
    child.once('error', fail)
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`sanity build exited ${code}:\n${output.join('')}`)),
    )
  })
}

/** The built starter Studio's folder, building it first unless this exact build is cached. */
export async function buildStarterStudio(): Promise<{dir: string; builtNow: boolean}> {
  const dir = join(BUILDS_DIR, starterSourceHash())
  if (existsSync(join(dir, 'index.html'))) {
    console.log(`Starter Studio: cached build ${relative(process.cwd(), dir)}`)
    return {dir, builtNow: false}
  }
  const partial = `${dir}.partial-${process.pid}`
  rmSync(partial, {recursive: true, force: true})
  const started = Date.now()
  await runSanityBuild(partial)
  // Older builds are of sources that no longer exist; the one just made replaces them.
  for (const name of existsSync(BUILDS_DIR) ? readdirSync(BUILDS_DIR) : []) {
    const path = join(BUILDS_DIR, name)
    if (path !== partial) rmSync(path, {recursive: true, force: true})
  }
  renameSync(partial, dir)
  console.log(
    `Starter Studio built with sanity build in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
  return {dir, builtNow: true}
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

export interface ServedStarter {
  origin: string
  close(): Promise<void>
}

/**
 * Serves a built starter Studio at the root of its own loopback origin (as `sanity preview`
 * would): files as they are, every other path the app's `index.html`, and the markers replaced
 * by `apiHost` and `previewUrl` in scripts.
 */
export async function serveStarterStudio(
  dir: string,
  {apiHost, previewUrl}: {apiHost: string; previewUrl: string},
): Promise<ServedStarter> {
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://starter').pathname)
    let file = resolve(dir, `.${pathname}`)
    if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      file = join(dir, 'index.html')
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'
    let body: Buffer | string = readFileSync(file)
    if (type.startsWith('text/javascript')) {
      body = body
        .toString('utf8')
        .replaceAll(API_HOST_MARKER, apiHost)
        .replaceAll(PREVIEW_URL_MARKER, previewUrl)
    }
    res.writeHead(200, {'content-type': type, 'cache-control': 'no-store'})
    res.end(body)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('The starter server has no port')
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
