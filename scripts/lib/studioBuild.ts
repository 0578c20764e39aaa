/**
 * The Studio bundle the lake serves: built with `sanity build` when its sources changed, beside
 * the served copy and then swapped in, so a rebuild never leaves the Studio missing. Shared by
 * `npm run dev` and the browser tests' setup.
 */
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, renameSync, rmSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {localiseStudioBuild} from './offlineStudio'

export const STUDIO_DIR = resolve('studio-dist')
/** What the Studio bundle is built from; a change in any of these means a rebuild. */
const STUDIO_SOURCES = [
  'sanity.config.ts',
  'sanity.cli.ts',
  'schemas',
  'studio',
  'lib',
  'scripts/lib/offlineStudio.ts',
]

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

export function run(command: string, args: string[]): Promise<void> {
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

export async function buildStudio({force = false} = {}): Promise<void> {
  if (!force && !studioIsStale()) return
  console.log('Building the Studio (its sources changed since the last build)…')
  const started = Date.now()
  // Build beside the served copy and swap it in, so a rebuild never leaves the Studio missing.
  const next = `${STUDIO_DIR}.next`
  await run('sanity', ['build', next, '--yes'])
  // Local mode's Studio loads nothing from other machines: no CDN script, fonts from the lake.
  localiseStudioBuild(next)
  rmSync(STUDIO_DIR, {recursive: true, force: true})
  renameSync(next, STUDIO_DIR)
  console.log(`Studio built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
