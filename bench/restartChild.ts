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
import {monitorEventLoopDelay} from 'node:perf_hooks'

const entered = performance.now()
const {startCareersLake} = await import('../app/lake')
const {createContentClient, LAKE_DEV_TOKEN_FILE} = await import('../lib/client')
const {runClosedLoop} = await import('./httpLoad')
const {queries, studioGlobalParams, studioGlobalQuery, studioListParams, studioListQuery} =
  await import('./queries')

const [dataDir, sizeArg] = process.argv.slice(2)
if (!dataDir || !sizeArg) throw new Error('usage: restartChild.ts <dataDir> <size>')
const size = Number(sizeArg)

const gc = (globalThis as {gc?: () => void}).gc
// The longest the event loop was held, from the start on (the text index build runs in slices).
const loopDelay = monitorEventLoopDelay({resolution: 1})
loopDelay.enable()
const started = performance.now()
const lake = await startCareersLake({
  dataDir,
  port: 0,
  host: '127.0.0.1',
  log: (message) => process.stderr.write(message + '\n'),
  contactSweepIntervalMs: 0,
})
const restartMs = performance.now() - started
loopDelay.reset()
const processStartMs = performance.now()
gc?.()
const afterStart = process.memoryUsage()
const textIndexAtStart = lake.store.queryStats().textIndex
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
    // --skip-text-search: leaves the Studio search (and the wait for the text index) out.
    ...(process.argv.includes('--skip-text-search')
      ? []
      : [
          {
            name: 'Studio list search',
            query: studioListQuery,
            params: studioListParams,
            samples: 50,
          },
          {
            name: 'Studio global search',
            query: studioGlobalQuery,
            params: studioGlobalParams,
            samples: 50,
          },
        ]),
  ]
  // Evaluated every time: the answer cache (`server/http/answers.ts`) would answer a repeat.
  const evaluated = {headers: {'cache-control': 'no-cache'}}
  const results = []
  const textSearch = measured.find((m) => m.name === 'Studio list search')
  /** The text index: built in the background after a start without it in the snapshot. */
  let textIndex: Record<string, unknown> = {readyAtStart: textIndexAtStart.ready}
  if (textSearch && !textIndexAtStart.ready) {
    // A search while it is being built is answered by groq-js reading the documents.
    const t = performance.now()
    let during: Record<string, unknown>
    try {
      await client.fetch(textSearch.query, textSearch.params)
      during = {ms: performance.now() - t}
    } catch (error) {
      during = {failedAfterMs: performance.now() - t, error: String(error).slice(0, 200)}
    }
    while (!lake.store.queryStats().textIndex.ready) {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const builtMs = performance.now() - started
    // The build's end saves a snapshot holding the index (one write, on the event loop).
    await new Promise((resolve) => setTimeout(resolve, 2000))
    gc?.()
    const afterBuild = process.memoryUsage()
    textIndex = {
      ...textIndex,
      searchWhileBuilding: during,
      readyAfterStartMs: builtMs,
      // Includes the snapshot saved at the end of the build and the search made meanwhile.
      maxEventLoopDelayMsDuringBuild: loopDelay.max / 1e6,
      p99EventLoopDelayMsDuringBuild: loopDelay.percentile(99) / 1e6,
      rssBytesAfterBuild: afterBuild.rss,
      heapUsedBytesAfterBuild: afterBuild.heapUsed,
      heapBytesPerDocumentOfTextIndex: Math.round(
        (afterBuild.heapUsed - afterStart.heapUsed) / size,
      ),
    }
  }
  loopDelay.reset()
  const ca = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8')
  const pathOf = (query: string, params: Record<string, unknown>) =>
    `/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}` +
    Object.entries(params)
      .map(([k, v]) => `&${encodeURIComponent('$' + k)}=${encodeURIComponent(JSON.stringify(v))}`)
      .join('') +
    '&perspective=raw'
  /**
   * Sequential requests on one HTTP/2 session from a separate process (`httpLoad.ts`), so the
   * client's work and garbage are not the lake's: at most 20 s of them (at least 3).
   */
  const sequential = async (path: string, n: number, headers: Record<string, string>) => {
    const [result] = await runClosedLoop({
      origin: lake.url,
      ca,
      headers: {authorization: `Bearer ${token}`},
      targets: [{name: 'sequential', path, headers}],
      concurrency: 1,
      seconds: 0,
      warmupSeconds: 0,
      singleRequests: n,
      singleSeconds: 20,
    })
    if (!result || result.errors > 0) throw new Error(`${result?.errors ?? '?'} requests failed`)
    return {
      p50Ms: result.singleClientP50Ms,
      p99Ms: result.singleClientP99Ms,
      samples: result.requests,
    }
  }
  for (const {name, query, params, samples: n} of measured) {
    const t = performance.now()
    let firstError: string | undefined
    try {
      try {
        await client.fetch(query, params, evaluated)
      } catch (error) {
        // A text search while the index is still building may run past the query's time budget.
        firstError = String(error).slice(0, 200)
      }
      const firstMs = performance.now() - t
      results.push({
        name,
        firstMs,
        ...(await sequential(pathOf(query, params), n, evaluated.headers)),
        ...(firstError === undefined ? {} : {firstError}),
      })
    } catch (error) {
      // A query over its time budget is a figure too: how long until the lake gave up.
      results.push({name, failedAfterMs: performance.now() - t, error: String(error).slice(0, 200)})
    }
  }
  // The same page for every visitor: answered from the answer cache after the first.
  const [bySlug] = queries
  if (bySlug) {
    results.push({
      name: `${bySlug.name} (cached answer)`,
      ...(await sequential(pathOf(bySlug.query, bySlug.params(size)), 300, {})),
    })
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
      textIndex: {...textIndex, maxEventLoopDelayMsDuringQueries: loopDelay.max / 1e6},
      loadAverage: loadavg(),
      method:
        'fresh process: startCareersLake on the loaded data dir until listening (restartMs), memory after gc; ' +
        'then per query over HTTP (perspective raw, Cache-Control: no-cache so each is evaluated): the first ' +
        'answer (@sanity/client in the same process), then sequential samples on one HTTP/2 session from a ' +
        'separate process (300, Studio searches 50, at most 20 s), and by slug again without no-cache (the ' +
        'answer cache)',
    }) + '\n',
  )
} finally {
  await lake.close()
}
