/**
 * `npm run dev`: everything an editor needs, on this machine, with no account.
 *
 * Local mode (no `SANITY_STUDIO_PROJECT_ID`): builds the Studio when its sources changed, starts
 * the local lake in dev mode (it serves the Studio same-origin), seeds it when empty, and prints
 * where to go. Hosted mode: the Studio runs with `sanity dev` against the configured project.
 */
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, renameSync, rmSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {createContentClient, writeToken} from '../lib/client'
import {DEFAULT_LAKE_PORT, isLocalLake, lakeDataDir} from '../lib/env'
import {startLake} from '../server/lake'
import {seedDataset} from './seed'

const STUDIO_DIR = resolve('studio-dist')
/** What the Studio bundle is built from; a change in any of these means a rebuild. */
const STUDIO_SOURCES = ['sanity.config.ts', 'sanity.cli.ts', 'schemas', 'studio', 'lib']

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when `studio-dist/` is missing or older than any of its sources. */
export function studioIsStale(root = '.'): boolean {
  const built = join(root, 'studio-dist', 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  return STUDIO_SOURCES.some((source) => newestMtime(join(root, source)) > builtAt)
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {...process.env, SANITY_TELEMETRY_DISABLED: '1'},
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    )
  })
}

async function buildStudio(): Promise<void> {
  if (!studioIsStale()) return
  console.log('Building the Studio (its sources changed since the last build)…')
  const started = Date.now()
  // Build beside the served copy and swap it in, so a rebuild never leaves the Studio missing.
  const next = `${STUDIO_DIR}.next`
  await run('sanity', ['build', next, '--yes'])
  rmSync(STUDIO_DIR, {recursive: true, force: true})
  renameSync(next, STUDIO_DIR)
  console.log(`Studio built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

function port(value: string | undefined, fallback: number, name: string): number {
  const parsed = value ? Number(value) : fallback
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`${name} must be a port number, got "${value}"`)
  }
  return parsed
}

async function startLocal(): Promise<void> {
  // The lake serves the Studio from disk per request, so it can start while the bundle builds.
  const building = buildStudio()
  const lake = await startLake({
    dataDir: lakeDataDir(),
    port: port(process.env.LAKE_PORT, DEFAULT_LAKE_PORT, 'LAKE_PORT'),
    host: process.env.LAKE_HOST || 'localhost',
    adminToken: process.env.LAKE_ADMIN_TOKEN || undefined,
    dev: true,
    studioDir: STUDIO_DIR,
  })
  const stop = async (): Promise<void> => {
    await lake.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())

  const empty = lake.store.allDocuments()[Symbol.iterator]().next().done === true
  if (empty) {
    const client = createContentClient({
      token: writeToken(lake.dataDir),
      lakeUrl: lake.url,
      lakeDataDir: lake.dataDir,
    })
    const seeded = await seedDataset(client)
    console.log(`Seeded the empty lake with ${seeded.written.length} documents`)
  }
  await building

  console.log(`Local content lake listening on ${lake.url}`)
  console.log(`Studio: ${lake.url}/studio/`)
  console.log(`Data directory: ${lake.dataDir}`)
  console.log(
    `Certificate (trust it, or accept it once in the browser): ${lake.dataDir}/tls/cert.pem`,
  )
}

async function startHosted(): Promise<void> {
  console.log('SANITY_STUDIO_PROJECT_ID is set: the Studio talks to Sanity’s hosted Content Lake')
  await run('sanity', ['dev'])
}

try {
  await (isLocalLake ? startLocal() : startHosted())
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  console.error(
    code === 'EADDRINUSE'
      ? `Port in use: another lake or dev server is running; stop it or set LAKE_PORT / WEB_PORT.`
      : `npm run dev failed: ${error instanceof Error ? error.message : String(error)}`,
  )
  process.exit(1)
}
