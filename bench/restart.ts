/**
 * Restart at scale: a generated dataset bulk-loaded once (through the store, 1,000 documents per
 * transaction, as `run.ts` loads) into `.bench-data/<size>/` (git-ignored, reused by later runs
 * while its `bench-info.json` matches), then the careers lake restarted on it in a fresh process
 * (`restartChild.ts`): how long until it listens, its resident memory and heap, and the queries a
 * reader sends first, over HTTP.
 *
 * `node --import tsx --expose-gc bench/restart.ts [--size 1000000] [--reload]`, or as a step of
 * `npm run bench` (`benchRestart`).
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg} from 'node:os'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {startCareersLake} from '../app/lake'
import type {CommitOptions} from '../server/store/types'
import {generateDataset} from './generate'

const admin: Pick<CommitOptions, 'identity' | 'canWrite' | 'canRead'> = {
  identity: {id: 'bench', name: 'Benchmark', role: 'administrator'},
  canWrite: () => true,
  canRead: () => true,
}

/** What a loaded data directory holds; a directory whose file differs is loaded again. */
interface BenchInfo {
  size: number
  seed: number
  loadDocsPerSecond: number
  loadSeconds: number
  loadAverage: number[]
  commit: string
  loadedAt: string
}

export interface RestartResult {
  size: number
  load: BenchInfo
  /** From the child's first line of code until `startCareersLake` resolved (listening). */
  restartMs: number
  /** The whole process, from its start (Node, imports) until listening. */
  processStartMs: number
  rssBytesAfterStart: number
  heapUsedBytesAfterStart: number
  heapBytesPerDocument: number
  rssBytesAfterQueries: number
  heapUsedBytesAfterQueries: number
  /**
   * Per query over HTTP: the first answer (`@sanity/client` in the lake's process), then p50/p99
   * of sequential requests from a separate process; the cached by-slug row has no first answer.
   */
  queries: (
    | {name: string; firstMs?: number; p50Ms: number; p99Ms: number; samples: number}
    | {name: string; failedAfterMs: number; error: string}
  )[]
  loadAverage: number[]
  method: string
}

function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {encoding: 'utf8'}).trim()
  } catch {
    return 'unknown'
  }
}

/** Loads `size` generated documents into `dataDir` unless a matching load is already there. */
export async function ensureLoaded(
  dataDir: string,
  size: number,
  reload = false,
): Promise<BenchInfo> {
  const infoFile = join(dataDir, 'bench-info.json')
  if (!reload && existsSync(infoFile)) {
    const info = JSON.parse(readFileSync(infoFile, 'utf8')) as BenchInfo
    if (info.size === size && info.seed === 1) return info
  }
  rmSync(dataDir, {recursive: true, force: true})
  const lake = await startCareersLake({dataDir, port: 0, host: '127.0.0.1', log: () => undefined})
  const documents = generateDataset(size)
  const started = performance.now()
  try {
    for (let i = 0; i < documents.length; i += 1000) {
      await lake.store.mutate(
        documents.slice(i, i + 1000).map((d) => ({createOrReplace: d})),
        admin,
      )
    }
  } finally {
    await lake.close()
  }
  const seconds = (performance.now() - started) / 1000
  const info: BenchInfo = {
    size,
    seed: 1,
    loadDocsPerSecond: Math.round(size / seconds),
    loadSeconds: seconds,
    loadAverage: loadavg(),
    commit: commitOf(),
    loadedAt: new Date().toISOString(),
  }
  writeFileSync(infoFile, JSON.stringify(info, null, 2) + '\n')
  return info
}

export function benchDataDir(size: number): string {
  return resolve('.bench-data', String(size))
}

/** Restarts the lake on the loaded data in a fresh process and returns what it measured. */
export function measureRestart(
  dataDir: string,
  size: number,
  load: BenchInfo,
  skipTextSearch = false,
): RestartResult {
  const child = fileURLToPath(new URL('./restartChild.ts', import.meta.url))
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      // RESTART_PROFILE=<dir>: a CPU profile of the restarted process, to see where start-up goes.
      ...(process.env['RESTART_PROFILE']
        ? ['--cpu-prof', '--cpu-prof-dir', process.env['RESTART_PROFILE']]
        : []),
      child,
      dataDir,
      String(size),
      ...(skipTextSearch ? ['--skip-text-search'] : []),
    ],
    {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024},
  )
  const line = out.trim().split('\n').pop() ?? '{}'
  return {...(JSON.parse(line) as Omit<RestartResult, 'load'>), load}
}

export async function benchRestart(
  size: number,
  reload = false,
  skipTextSearch = false,
): Promise<RestartResult> {
  const dataDir = benchDataDir(size)
  const load = await ensureLoaded(dataDir, size, reload)
  return measureRestart(dataDir, size, load, skipTextSearch)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const {values} = parseArgs({
    options: {
      size: {type: 'string', default: '1000000'},
      reload: {type: 'boolean'},
      'skip-text-search': {type: 'boolean'},
    },
  })
  const result = await benchRestart(
    Number(values.size),
    values.reload ?? false,
    values['skip-text-search'] ?? false,
  )
  console.log(JSON.stringify(result, null, 2))
}
