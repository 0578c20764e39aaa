/**
 * One restart of the careers lake on a loaded data directory (`restart.ts` runs this in a fresh
 * process): times the start, reads memory after a full gc, then asks the first queries over HTTP.
 * Prints one JSON line on stdout.
 *
 * `node --import tsx --expose-gc bench/restartChild.ts <dataDir> <size>`
 */
import {readFileSync} from 'node:fs'
import {loadavg} from 'node:os'
import {join} from 'node:path'

const entered = performance.now()
const {startCareersLake} = await import('../app/lake')
const {createContentClient, LAKE_DEV_TOKEN_FILE} = await import('../lib/client')
const {queries, studioListParams, studioListQuery} = await import('./queries')

const [dataDir, sizeArg] = process.argv.slice(2)
if (!dataDir || !sizeArg) throw new Error('usage: restartChild.ts <dataDir> <size>')
const size = Number(sizeArg)

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}

const gc = (globalThis as {gc?: () => void}).gc
const started = performance.now()
const lake = await startCareersLake({
  dataDir,
  port: 0,
  host: '127.0.0.1',
  log: (message) => process.stderr.write(message + '\n'),
  contactSweepIntervalMs: 0,
})
const restartMs = performance.now() - started
const processStartMs = performance.now()
gc?.()
const afterStart = process.memoryUsage()
process.stderr.write(
  `restarted in ${Math.round(restartMs)} ms, rss ${Math.round(afterStart.rss / 2 ** 20)} MB, heap ${Math.round(afterStart.heapUsed / 2 ** 20)} MB\n`,
)
try {
  const token = readFileSync(join(dataDir, LAKE_DEV_TOKEN_FILE), 'utf8').trim()
  const client = createContentClient({
    lakeUrl: lake.url,
    lakeDataDir: dataDir,
    token,
    perspective: 'raw',
  })
  const measured = [
    ...queries.map((q) => ({name: q.name, query: q.query, params: q.params(size), samples: 300})),
    // --skip-text-search: at a million documents the first search builds the text index (minutes).
    ...(process.argv.includes('--skip-text-search')
      ? []
      : [
          {
            name: 'Studio list search',
            query: studioListQuery,
            params: studioListParams,
            samples: 50,
          },
        ]),
  ]
  // Evaluated every time: the answer cache (`server/http/answers.ts`) would answer a repeat.
  const evaluated = {headers: {'cache-control': 'no-cache'}}
  const results = []
  for (const {name, query, params, samples: n} of measured) {
    let t = performance.now()
    let firstError: string | undefined
    try {
      try {
        await client.fetch(query, params, evaluated)
      } catch (error) {
        // The first text search builds the text index (minutes at a million documents, past the
        // query's time budget): the build still finishes, and the next search uses it.
        firstError = String(error).slice(0, 200)
      }
      const firstMs = performance.now() - t
      const samples: number[] = []
      // At most 20 s of samples per query (at least 3): at a million documents a query over a
      // large type reads its documents from SQLite each time and takes seconds.
      const until = performance.now() + 20_000
      for (let i = 0; i < n && (i < 3 || performance.now() < until); i++) {
        t = performance.now()
        await client.fetch(query, params, evaluated)
        samples.push(performance.now() - t)
      }
      results.push({
        name,
        firstMs,
        p50Ms: percentile(samples, 0.5),
        p99Ms: percentile(samples, 0.99),
        samples: samples.length,
        ...(firstError === undefined ? {} : {firstError}),
      })
    } catch (error) {
      // A query over its time budget is a figure too: how long until the lake gave up.
      results.push({name, failedAfterMs: performance.now() - t, error: String(error).slice(0, 200)})
    }
  }
  gc?.()
  const afterQueries = process.memoryUsage()
  process.stdout.write(
    JSON.stringify({
      size,
      restartMs,
      processStartMs,
      importMs: started - entered,
      rssBytesAfterStart: afterStart.rss,
      heapUsedBytesAfterStart: afterStart.heapUsed,
      heapBytesPerDocument: Math.round(afterStart.heapUsed / size),
      rssBytesAfterQueries: afterQueries.rss,
      heapUsedBytesAfterQueries: afterQueries.heapUsed,
      queries: results,
      loadAverage: loadavg(),
      method:
        'fresh process: startCareersLake on the loaded data dir until listening (restartMs), memory after gc; ' +
        'then per query over HTTP (@sanity/client in the same process, perspective raw, Cache-Control: no-cache so ' +
        'each is evaluated): the first answer, ' +
        'then sequential samples (300; Studio search 50)',
    }) + '\n',
  )
} finally {
  await lake.close()
}
