/**
 * `npm run bench [-- --sizes 1000,10000 --compare bench/results/<file>.json]`
 *
 * Per dataset size: p50/p95 of the lake's planner in-process and over HTTP on loopback, each
 * against plain groq-js `evaluate` on the same documents in the same run (results checked equal
 * first: a fast wrong answer fails the run), intake throughput with durable writes, and heap per
 * document. Figures print as a table and go to `bench/results/` as JSON. Never part of `npm test`.
 */
import {execFileSync} from 'node:child_process'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {createContentClient, LAKE_DEV_TOKEN_FILE} from '../lib/client'
import {type CareersLake, startCareersLake} from '../app/lake'
import type {CommitOptions, StoredDocument} from '../server/store/types'
import {type BenchDocument, generateDataset} from './generate'
import {type ClosedLoopResult, runClosedLoop, runFanOut} from './httpLoad'
import {runIntakeLoad} from './intakeLoad'
import {benchRestart, type RestartResult} from './restart'
import {type Breakdown, profileWhile} from './profile'
import {
  plainGroq,
  plainStudioGlobal,
  plainStudioList,
  queries,
  sameAnswer,
  studioGlobalParams,
  studioGlobalQuery,
  studioListParams,
  studioListQuery,
  withText,
} from './queries'

const {values} = parseArgs({
  options: {
    sizes: {type: 'string', default: '1000,10000,100000'},
    compare: {type: 'string'},
    'intake-requests': {type: 'string', default: '5000'},
    'load-seconds': {type: 'string', default: '4'},
    subscribers: {type: 'string', default: '500'},
    'skip-restart': {type: 'boolean', default: false},
  },
})
const sizes = values.sizes.split(',').map(Number)
const benchStarted = performance.now()

/** Progress on stderr (a million-document run takes a while; the figures print at the end). */
function step(message: string): void {
  const seconds = Math.round((performance.now() - benchStarted) / 1000)
  console.error(`[${seconds} s] ${message}`)
}
const intakeRequests = Number(values['intake-requests'])

interface Row {
  size: number
  name: string
  lakeP50Ms: number
  lakeP95Ms: number
  httpP50Ms?: number
  httpP95Ms?: number
  groqJsP50Ms?: number
  ratio?: number
  checkedEqual: boolean
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}

async function time<T>(iterations: number, run: () => T | Promise<T>): Promise<number[]> {
  const samples: number[] = []
  // At most 30 s of samples (at least 3): at a million documents a query over a large type reads
  // its documents from SQLite each time and takes seconds.
  const until = performance.now() + 30_000
  for (let i = 0; i < iterations && (i < 3 || performance.now() < until); i++) {
    const started = performance.now()
    await run()
    samples.push(performance.now() - started)
  }
  return samples
}

const admin: Pick<CommitOptions, 'identity' | 'canWrite' | 'canRead'> = {
  identity: {id: 'bench', name: 'Benchmark', role: 'administrator'},
  canWrite: () => true,
  canRead: () => true,
}

/**
 * Every lake of the run gets the first one's certificate: Node's fetch keeps the CA set it saw
 * first, so a second self-signed certificate would not be trusted.
 */
const sharedTls = mkdtempSync(join(tmpdir(), 'bench-tls-'))

/** Asks the lake to evaluate a query even when its answer cache holds the answer. */
const evaluated = {'cache-control': 'no-cache'}

async function benchSize(size: number): Promise<{rows: Row[]; extra: Record<string, number>}> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${size}-`))
  cpSync(sharedTls, join(dataDir, 'tls'), {recursive: true})
  process.env['FEEDBACK_RATE_LIMIT'] = '100000000/1'
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  // The careers lake: the intake's throughput is measured through its `POST /feedback`.
  const lake = await startCareersLake({
    dataDir,
    port: 0,
    host: '127.0.0.1',
    log: () => undefined,
  })
  cpSync(join(dataDir, 'tls'), sharedTls, {recursive: true})
  const rows: Row[] = []
  const extra: Record<string, number> = {}
  try {
    // Released once loaded: the load from outside below runs on a heap holding the lake alone.
    let documents: BenchDocument[] | undefined = generateDataset(size)
    const loadStarted = performance.now()
    for (let i = 0; i < documents.length; i += 1000) {
      const batch = documents.slice(i, i + 1000) as (BenchDocument & {_id: string})[]
      await lake.store.mutate(
        batch.map((d) => ({createOrReplace: d})),
        admin,
      )
    }
    extra['loadDocsPerSecond'] = Math.round(size / ((performance.now() - loadStarted) / 1000))
    step(`${size}: loaded (${extra['loadDocsPerSecond']} documents/s)`)
    documents = undefined
    globalThis.gc?.()
    extra['heapBytesPerDocument'] = Math.round((process.memoryUsage().heapUsed - heapBefore) / size)
    const token = readFileSync(join(dataDir, LAKE_DEV_TOKEN_FILE), 'utf8').trim()

    // Before the plain groq-js baselines fill this process's heap with copies of the dataset: the
    // lake's garbage collections would otherwise walk them too, which a lake never has to.
    step(`${size}: load from outside`)
    Object.assign(extra, await benchFromOutside(lake, dataDir, token, size))
    step(`${size}: live fan-out`)
    Object.assign(extra, await benchFanOut(lake, dataDir, token))

    const dataset: StoredDocument[] = [...lake.store.allDocuments()]
    const client = createContentClient({
      lakeUrl: lake.url,
      lakeDataDir: dataDir,
      token,
      perspective: 'raw',
    })
    const baselineIterations = size >= 100_000 ? 5 : size >= 10_000 ? 15 : 50
    extra['groqJsIterations'] = baselineIterations
    const lakeQuery = (query: string, params: Record<string, unknown>) =>
      lake.store.query(query, params, {perspective: 'raw', canRead: () => true, accessKey: 'bench'})
        .result
    const plain = (query: string, params: Record<string, unknown>) =>
      plainGroq(dataset, query, params)

    for (const {name, query, params: paramsFor} of queries) {
      step(`${size}: ${name}`)
      const params = paramsFor(size)
      const expected = await plain(query, params)
      const fromLake = lakeQuery(query, params)
      const fromHttp = await client.fetch(query, params)
      const checkedEqual = sameAnswer(fromLake, expected) && sameAnswer(fromHttp, expected)
      if (!checkedEqual) {
        console.error(`WRONG ANSWER: "${name}" at ${size} differs from plain groq-js`)
        process.exitCode = 1
      }
      const lakeSamples = await time(300, () => lakeQuery(query, params))
      const httpSamples = await time(100, () => client.fetch(query, params, {headers: evaluated}))
      const plainSamples = await time(baselineIterations, () => plain(query, params))
      rows.push({
        size,
        name,
        lakeP50Ms: percentile(lakeSamples, 0.5),
        lakeP95Ms: percentile(lakeSamples, 0.95),
        httpP50Ms: percentile(httpSamples, 0.5),
        httpP95Ms: percentile(httpSamples, 0.95),
        groqJsP50Ms: percentile(plainSamples, 0.5),
        ratio: percentile(plainSamples, 0.5) / percentile(lakeSamples, 0.5),
        checkedEqual,
      })
    }

    const textDataset = withText(dataset)
    const studioSearches = [
      {
        name: 'Studio list with text::query',
        query: studioListQuery,
        params: studioListParams,
        plain: () => plainStudioList(textDataset),
      },
      {
        name: 'Studio global search',
        query: studioGlobalQuery,
        params: studioGlobalParams,
        plain: () => plainStudioGlobal(textDataset),
      },
    ]
    for (const search of studioSearches) {
      step(`${size}: ${search.name}`)
      // The first search (the text index, `server/store/textIndex.ts`, is kept by every write since
      // the lake started; this search still fills per-view caches): timed apart.
      const firstStarted = performance.now()
      const fromLake = lakeQuery(search.query, search.params)
      if (extra['textIndexFirstSearchMs'] === undefined) {
        extra['textIndexFirstSearchMs'] = performance.now() - firstStarted
      }
      const expected = await search.plain()
      const fromHttp = await client.fetch(search.query, search.params)
      const equal = sameAnswer(fromLake, expected) && sameAnswer(fromHttp, expected)
      if (!equal) {
        console.error(
          `WRONG ANSWER: "${search.name}" at ${size} differs from plain groq-js ` +
            `(${JSON.stringify(fromLake).slice(0, 200)} vs ${JSON.stringify(expected).slice(0, 200)})`,
        )
        process.exitCode = 1
      }
      const samples = await time(200, () => lakeQuery(search.query, search.params))
      const http = await time(50, () =>
        client.fetch(search.query, search.params, {headers: evaluated}),
      )
      const plainSamples = await time(Math.min(baselineIterations, 10), search.plain)
      rows.push({
        size,
        name: search.name,
        lakeP50Ms: percentile(samples, 0.5),
        lakeP95Ms: percentile(samples, 0.95),
        httpP50Ms: percentile(http, 0.5),
        httpP95Ms: percentile(http, 0.95),
        groqJsP50Ms: percentile(plainSamples, 0.5),
        ratio: percentile(plainSamples, 0.5) / percentile(samples, 0.5),
        checkedEqual: equal,
      })
    }
    globalThis.gc?.()
    extra['heapBytesPerDocumentWithTextIndex'] = Math.round(
      (process.memoryUsage().heapUsed - heapBefore) / size,
    )

    step(`${size}: by slug beside the worst query, then the intake`)

    const [bySlug] = queries
    if (bySlug)
      Object.assign(extra, await benchUnderWorstQuery(client, bySlug.query, bySlug.params(size)))

    if (size === Math.max(...sizes)) {
      Object.assign(extra, await benchIntake(lake, client))
      Object.assign(extra, await benchCommits(lake, client))
    }
  } finally {
    await lake.close()
    rmSync(dataDir, {recursive: true, force: true})
  }
  return {rows, extra}
}

/**
 * The worst case a client can send within the limits: nested counts over the whole dataset (N^3
 * steps, which no budget lets finish). Each level reads its parent row (`^`), so none of them is
 * a subquery the planner can evaluate once. It runs cooperatively, yielding the event loop
 * between slices, until its time budget or its client stops it.
 */
const WORST_QUERY = 'count(*[count(*[_id != ^._id && count(*[_id != ^._id && true]) > 0]) > 0])'

/**
 * By-slug latency over HTTP while the worst-case query runs on the same lake: 300 queries one
 * after another, then the worst query is aborted (the client going away cancels it).
 */
async function benchUnderWorstQuery(
  client: ReturnType<typeof createContentClient>,
  query: string,
  params: Record<string, unknown>,
): Promise<Record<string, number>> {
  const controller = new AbortController()
  let running = true
  const worst = client
    .fetch(WORST_QUERY, {}, {signal: controller.signal})
    .then(
      () => 'answered',
      (error: unknown) => (controller.signal.aborted ? 'cancelled' : `failed: ${String(error)}`),
    )
    .finally(() => (running = false))
  // Past its synchronous slice, into the cooperative run the samples are taken against.
  await new Promise((resolve) => setTimeout(resolve, 200))
  const samples: number[] = []
  for (let i = 0; i < 300 && running; i++) {
    const started = performance.now()
    await client.fetch(query, params)
    samples.push(performance.now() - started)
  }
  const stillRunning = running
  controller.abort()
  const outcome = await worst
  if (!stillRunning || outcome !== 'cancelled') {
    console.error(`worst-case query ended before the samples did: ${outcome}`)
  }
  return {
    bySlugWhileWorstQueryP50Ms: percentile(samples, 0.5),
    bySlugWhileWorstQueryP99Ms: percentile(samples, 0.99),
    bySlugWhileWorstQueryMaxMs: Math.max(...samples),
    bySlugWhileWorstQuerySamples: samples.length,
  }
}

/**
 * Sustained durable submissions through `POST /feedback`: 500 to warm up, then `--intake-requests`
 * (5,000) counted, 32 at a time from a worker thread (see `intakeLoad.ts`); then a count of what
 * the lake holds, and how many reports each fsync carried.
 */
async function benchIntake(
  lake: CareersLake,
  client: ReturnType<typeof createContentClient>,
): Promise<Record<string, number>> {
  const before = lake.store.stats()
  const {latenciesMs, acknowledged, refused, seconds} = await runIntakeLoad({
    url: lake.url,
    dataDir: lake.dataDir,
    requests: intakeRequests,
    warmup: 500,
    concurrency: 32,
    maxMs: 60_000,
  })
  const after = lake.store.stats()
  if (Object.keys(refused).length > 0) console.error(`intake refused: ${JSON.stringify(refused)}`)
  const stored = await client.fetch<number>('count(*[_id in $ids])', {ids: acknowledged})
  if (stored !== acknowledged.length) {
    console.error(`LOST WRITES: ${acknowledged.length} acknowledged, ${stored} stored`)
    process.exitCode = 1
  }
  return {
    intakeSubmissionsPerSecond: Math.round(acknowledged.length / seconds),
    intakeP50Ms: percentile(latenciesMs, 0.5),
    intakeP99Ms: percentile(latenciesMs, 0.99),
    intakeAcknowledged: acknowledged.length,
    intakeLost: acknowledged.length - stored,
    intakeReportsPerFsync:
      (after.transactions - before.transactions) / Math.max(1, after.fsyncs - before.fsyncs),
  }
}

/**
 * Where intake time goes: the same number of single-document durable commits, 32 at a time,
 * through `POST /data/mutate` (what a remote intake does after its query) and straight into the
 * store (no HTTP; what the lake's own intake does), so a missed intake target can be placed.
 */
async function benchCommits(
  lake: CareersLake,
  client: ReturnType<typeof createContentClient>,
): Promise<Record<string, number>> {
  const report = (i: number) => ({
    _id: `feedback.bench-commit-${i}`,
    _type: 'feedbackSubmission',
    status: 'new',
    path: `/page-${i % 50}`,
    whatDoing: `Reading page ${i}`,
    whatWentWrong: `Commit ${i}`,
    submittedAt: new Date().toISOString(),
  })
  const thirtyTwoAtATime = async (from: number, commit: (i: number) => Promise<unknown>) => {
    let next = from
    const started = performance.now()
    await Promise.all(
      Array.from({length: 32}, async () => {
        while (next < from + intakeRequests) await commit(next++)
      }),
    )
    return (performance.now() - started) / 1000
  }
  const httpSeconds = await thirtyTwoAtATime(0, (i) => client.createIfNotExists(report(i)))
  const storeSeconds = await thirtyTwoAtATime(intakeRequests, (i) =>
    lake.store.mutate([{createIfNotExists: report(i)}], admin),
  )
  const ids = Array.from({length: 2 * intakeRequests}, (_, i) => report(i)._id)
  const stored = await client.fetch<number>('count(*[_id in $ids])', {ids})
  if (stored !== 2 * intakeRequests) {
    console.error(`LOST WRITES: ${2 * intakeRequests} committed, ${stored} stored`)
    process.exitCode = 1
  }
  return {
    httpMutateCommitsPerSecond: Math.round(intakeRequests / httpSeconds),
    storeCommitsPerSecond: Math.round(intakeRequests / storeSeconds),
  }
}

/** What `benchFromOutside` measured, per size: every figure with how it was taken. */
const outside: Record<
  number,
  {
    method: string
    lake: ClosedLoopResult[]
    bare: ClosedLoopResult
    /** Where an evaluated by-slug request's time goes. */
    bySlugProfile: Breakdown
    /** The same for a by-slug request answered from the answer cache. */
    cachedAnswerProfile: Breakdown
  }
> = {}

/**
 * The lake driven from a separate process (`httpLoad.ts`) over HTTP/2 + TLS with keep-alive: 32
 * sessions, one request in flight each, for `--load-seconds` after a one-second warm-up, then one
 * session alone. In the same run a bare `node:http2` TLS server on this thread answers a constant
 * body of the by-slug answer's size: the ceiling, and the lake's share of it.
 */
async function benchFromOutside(
  lake: CareersLake,
  dataDir: string,
  token: string,
  size: number,
): Promise<Record<string, number>> {
  const ca = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8')
  const encode = (query: string, params: Record<string, unknown>) =>
    `/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}` +
    Object.entries(params)
      .map(([k, v]) => `&${encodeURIComponent('$' + k)}=${encodeURIComponent(JSON.stringify(v))}`)
      .join('') +
    '&perspective=raw'
  const [bySlug, paged] = queries
  if (!bySlug || !paged) return {}
  const bySlugPath = encode(bySlug.query, bySlug.params(size))
  // Every target but one asks for a fresh evaluation (`Cache-Control: no-cache`, honoured by the
  // lake's answer cache, `server/http/answers.ts`): those figures are the query path's. The
  // cached-answer target repeats one page's request as visitors of one page do, and measures the
  // cache.
  const evaluated = {'cache-control': 'no-cache'}
  const targets = [
    {name: 'by slug', path: bySlugPath, headers: evaluated},
    {name: 'paged list', path: encode(paged.query, paged.params(size)), headers: evaluated},
    {name: 'Studio search', path: encode(studioListQuery, studioListParams), headers: evaluated},
  ]
  const cachedTarget = {name: 'by slug, cached answer', path: bySlugPath}
  const seconds = Number(values['load-seconds'])
  const job = {
    ca,
    headers: {authorization: `Bearer ${token}`},
    concurrency: 32,
    seconds,
    warmupSeconds: 1,
    singleRequests: 300,
  }
  // CPU time of this thread (the lake's) per request: unlike requests per second, hardly moved
  // by what else the machine runs, so runs on a busy machine stay comparable.
  const cpuPerRequest = async (run: () => Promise<ClosedLoopResult[]>) => {
    const before = process.threadCpuUsage()
    const results = await run()
    const used = process.threadCpuUsage(before)
    const requests = results.reduce((sum, r) => sum + r.requests, 0)
    return {results, micros: Math.round((used.user + used.system) / Math.max(1, requests))}
  }
  const bySlugRun = await cpuPerRequest(() =>
    runClosedLoop({...job, origin: lake.url, targets: targets.slice(0, 1)}),
  )
  const cacheBefore = lake.answerCache()
  const cachedRun = await cpuPerRequest(() =>
    runClosedLoop({...job, origin: lake.url, targets: [cachedTarget]}),
  )
  const cacheAfter = lake.answerCache()
  const lakeResults = [
    ...bySlugRun.results,
    ...cachedRun.results,
    ...(await runClosedLoop({...job, origin: lake.url, targets: targets.slice(1)})),
  ]
  // Runs under the profiler: the figures above are taken without it.
  const bySlugProfile = await profileWhile(() =>
    runClosedLoop({...job, singleRequests: 0, origin: lake.url, targets: targets.slice(0, 1)}),
  )
  const cachedProfile = await profileWhile(() =>
    runClosedLoop({...job, singleRequests: 0, origin: lake.url, targets: [cachedTarget]}),
  )

  const body = JSON.stringify({
    query: bySlug.query,
    result: lake.store.query(bySlug.query, bySlug.params(size), {
      perspective: 'raw',
      canRead: () => true,
    }).result,
    ms: 0,
  })
  const {createSecureServer} = await import('node:http2')
  const bare = createSecureServer(
    {cert: ca, key: readFileSync(join(dataDir, 'tls', 'key.pem'))},
    (_request, response) => {
      response.writeHead(200, {'content-type': 'application/json'})
      response.end(body)
    },
  )
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
  const address = bare.address()
  const port = typeof address === 'object' && address ? address.port : 0
  let bareResult: ClosedLoopResult | undefined
  let bareMicros: number | undefined
  try {
    const bareRun = await cpuPerRequest(() =>
      runClosedLoop({
        ...job,
        origin: `https://localhost:${port}`,
        targets: [{name: 'bare node:http2', path: '/'}],
      }),
    )
    ;[bareResult] = bareRun.results
    bareMicros = bareRun.micros
  } finally {
    bare.close()
  }
  if (!bareResult) return {}
  outside[size] = {
    method:
      'a separate load process (fork), HTTP/2 + TLS keep-alive, 32 sessions x 1 request in ' +
      `flight, ${seconds} s after 1 s warm-up; single client: 300 sequential requests (at most ` +
      `${seconds} s of them, at least 3) on one session. Every target sends Cache-Control: ` +
      'no-cache (evaluated each time) except "by slug, ' +
      'cached answer" (the same request repeated, answered from the answer cache after the first). ' +
      "CPU µs per request: the lake thread's CPU time (process.threadCpuUsage) over a run divided " +
      'by all its requests, warm-up and single client included',
    lake: lakeResults,
    bare: bareResult,
    bySlugProfile,
    cachedAnswerProfile: cachedProfile,
  }
  const out: Record<string, number> = {
    bareHttp2RequestsPerSecond: bareResult.requestsPerSecond,
    bareHttp2P50Ms: bareResult.p50Ms,
    bareHttp2CpuMicrosPerRequest: bareMicros ?? NaN,
    outside_bySlug_cpuMicrosPerRequest: bySlugRun.micros,
    outside_bySlugCachedAnswer_cpuMicrosPerRequest: cachedRun.micros,
    // Proof the cached run was answered from the cache (and the evaluated ones were not).
    outside_bySlugCachedAnswer_cacheHits: cacheAfter.hits - cacheBefore.hits,
    outside_bySlugCachedAnswer_cacheMisses: cacheAfter.misses - cacheBefore.misses,
  }
  for (const r of lakeResults) {
    const key = r.name
      .replace(/[\s,]+(\w)/g, (_m, c: string) => c.toUpperCase())
      .replace(/^./, (c) => c.toLowerCase())
    out[`outside_${key}_rps`] = r.requestsPerSecond
    out[`outside_${key}_p50Ms`] = r.p50Ms
    out[`outside_${key}_p99Ms`] = r.p99Ms
    out[`outside_${key}_singleClientP50Ms`] = r.singleClientP50Ms
    out[`outside_${key}_shareOfBare`] = r.requestsPerSecond / bareResult.requestsPerSecond
    if (r.errors > 0) console.error(`${r.name}: ${r.errors} requests did not answer 200`)
  }
  return out
}

/**
 * Live fan-out: `--subscribers` (500) `data/listen` streams from a separate process over 10 HTTP/2
 * sessions, filtered as a Studio document list filters (by type, without results), then ten
 * publishes of one page, each timed from just before the commit until the last subscriber has its
 * event (one wall clock, read in both processes).
 */
async function benchFanOut(
  lake: CareersLake,
  dataDir: string,
  token: string,
): Promise<Record<string, number>> {
  const subscribers = Number(values.subscribers)
  const filter = '*[_type == "page" && !(_id in path("_.**"))]'
  const latencies = await runFanOut(
    {
      origin: lake.url,
      ca: readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8'),
      headers: {authorization: `Bearer ${token}`},
      path:
        `/v2025-02-19/data/listen/production?query=${encodeURIComponent(filter)}` +
        '&includeResult=false&visibility=query&events=welcome,mutation,reconnect',
      subscribers,
      sessions: 10,
    },
    10,
    async (n) => {
      await lake.store.mutate([{patch: {id: 'page-1', set: {benchPublish: n}}}], admin)
    },
  )
  return {
    fanOutSubscribers: subscribers,
    fanOutPublishes: latencies.length,
    fanOutP50Ms: percentile(latencies, 0.5),
    fanOutP99Ms: percentile(latencies, 0.99),
  }
}

const f = (n: number | undefined) => (n === undefined ? '' : n < 1 ? n.toFixed(3) : n.toFixed(1))

/** Per size: the restart of a lake on a once-loaded dataset, in a fresh process (`restart.ts`). */
const restarts: Record<number, RestartResult> = {}

async function main(): Promise<void> {
  const results: Row[] = []
  const extras: Record<number, Record<string, number>> = {}
  for (const size of sizes) {
    if (!values['skip-restart']) {
      // First, while this process holds nothing: the restart runs in a child of its own.
      step(`${size}: restart (bench/restart.ts)`)
      const restart = await benchRestart(size)
      restarts[size] = restart
      console.log(
        `${size}: restart ${Math.round(restart.restartMs)} ms, rss ${Math.round(restart.rssBytesAfterStart / 2 ** 20)} MB, ` +
          `heap ${restart.heapBytesPerDocument} B/document, load ${restart.loadAverage.map((l) => l.toFixed(1)).join(' ')}`,
      )
    }
    const {rows, extra} = await benchSize(size)
    results.push(...rows)
    extras[size] = extra
    const restart = restarts[size]
    if (restart) {
      extra['restartMs'] = restart.restartMs
      extra['restartRssBytes'] = restart.rssBytesAfterStart
      extra['restartHeapBytesPerDocument'] = restart.heapBytesPerDocument
      const bySlug = restart.queries.find((q) => q.name === 'page by slug with ->')
      if (bySlug && 'p99Ms' in bySlug) extra['restartBySlugHttpP99Ms'] = bySlug.p99Ms
      const cached = restart.queries.find((q) => q.name === 'page by slug with -> (cached answer)')
      if (cached && 'p99Ms' in cached) extra['restartBySlugCachedAnswerHttpP99Ms'] = cached.p99Ms
    }
  }
  console.log(
    '\nsize     query                           lake p50/p95 ms   http p50/p95 ms   groq-js p50 ms   ratio     equal',
  )
  for (const r of results) {
    console.log(
      `${String(r.size).padEnd(8)} ${r.name.padEnd(31)} ${`${f(r.lakeP50Ms)}/${f(r.lakeP95Ms)}`.padEnd(17)} ${`${f(r.httpP50Ms)}/${f(r.httpP95Ms)}`.padEnd(17)} ${f(r.groqJsP50Ms).padEnd(16)} ${`${Math.round(r.ratio ?? 0)}x`.padEnd(9)} ${r.checkedEqual ? 'yes' : 'NO'}`,
    )
  }
  for (const [size, extra] of Object.entries(extras))
    console.log(`${size}: ${JSON.stringify(extra)}`)
  for (const [size, o] of Object.entries(outside)) {
    for (const [what, profile] of [
      ['by slug (evaluated)', o.bySlugProfile],
      ['by slug (cached answer)', o.cachedAnswerProfile],
    ] as const) {
      console.log(`\n${size}: ${what} under load, share of the lake thread's busy time (profile):`)
      console.log(`  stages: ${JSON.stringify(profile.stages)}`)
      console.log(`  top functions: ${JSON.stringify(profile.top)}`)
    }
  }
  console.log('\nfrom outside (a separate process, HTTP/2 + TLS, 32 sessions):')
  console.log(
    'size     target                   req/s    p50/p99 ms      single p50/p99 ms   share of bare',
  )
  for (const [size, o] of Object.entries(outside)) {
    for (const r of [...o.lake, o.bare]) {
      console.log(
        `${size.padEnd(8)} ${r.name.padEnd(24)} ${String(r.requestsPerSecond).padEnd(8)} ${`${f(r.p50Ms)}/${f(r.p99Ms)}`.padEnd(15)} ${`${f(r.singleClientP50Ms)}/${f(r.singleClientP99Ms)}`.padEnd(19)} ${Math.round((100 * r.requestsPerSecond) / o.bare.requestsPerSecond)}%`,
      )
    }
  }

  const largest = Math.max(...sizes)
  const at = (name: string) => results.find((r) => r.size === largest && r.name === name)
  const intake = extras[largest] ?? {}
  const targets = {
    bySlugRatioAtLeast1000x: (at('page by slug with ->')?.ratio ?? 0) >= 1000,
    bySlugHttpUnder2ms: (at('page by slug with ->')?.httpP50Ms ?? Infinity) < 2,
    countsRatioAtLeast50x: (at('feedback count by state')?.ratio ?? 0) >= 50,
    intakeAtLeast1000PerSecond: (intake['intakeSubmissionsPerSecond'] ?? 0) >= 1000,
    intakeNothingLost: intake['intakeLost'] === 0,
    bySlugWhileWorstQueryP99Under50ms: (intake['bySlugWhileWorstQueryP99Ms'] ?? Infinity) < 50,
    studioListUnder10ms: (at('Studio list with text::query')?.lakeP50Ms ?? Infinity) < 10,
    studioListRatioOver200x: (at('Studio list with text::query')?.ratio ?? 0) > 200,
    studioGlobalUnder10ms: (at('Studio global search')?.lakeP50Ms ?? Infinity) < 10,
    bySlugCachedAnswerFromOutsideAtLeast75PercentOfBare:
      (intake['outside_bySlugCachedAnswer_shareOfBare'] ?? 0) >= 0.75,
    bySlugEvaluatedFromOutsideAtLeast75PercentOfBare:
      (intake['outside_bySlug_shareOfBare'] ?? 0) >= 0.75,
    fanOutP99Under100ms: (intake['fanOutP99Ms'] ?? Infinity) < 100,
    restartUnder5s: (intake['restartMs'] ?? Infinity) < 5000,
    restartRssUnder1GB: (intake['restartRssBytes'] ?? Infinity) < 2 ** 30,
    restartBySlugHttpP99Under5ms: (intake['restartBySlugHttpP99Ms'] ?? Infinity) < 5,
  }
  console.log(`targets at ${largest} documents: ${JSON.stringify(targets)}`)
  console.log(
    `load average (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )

  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {encoding: 'utf8'}).trim()
  const report = {
    commit,
    date: new Date().toISOString(),
    node: process.version,
    loadAverage: loadavg(),
    /** How each figure was taken (the README's "What the benchmark shows" has the detail). */
    methods: {
      results:
        'lake: store.query in-process (300 runs; Studio searches 200); http: @sanity/client in the same process over HTTP/2 loopback with Cache-Control: no-cache, so evaluated each time (100; 50); groq-js: plain evaluate over the same documents, answers checked equal first',
      textIndexFirstSearchMs:
        'the first Studio list search of a size (the text index is kept by every write of the load; per-view caches are filled by this search)',
      heapBytesPerDocument: 'heap growth over the load after gc, before any text search',
      heapBytesPerDocumentWithTextIndex: 'the same after the Studio searches (text index built)',
      outside: 'see outside[size].method',
      restarts: 'see restarts[size].method (bench/restart.ts); load figures in restarts[size].load',
      fanOut:
        'a separate load process holds the subscribers (10 HTTP/2 sessions), 10 publishes of one page, each from just before store.mutate until the last subscriber had its mutation event',
    },
    results,
    extras,
    outside,
    restarts,
    targets,
  }
  mkdirSync('bench/results', {recursive: true})
  writeFileSync('bench/results/latest.json', JSON.stringify(report, null, 2) + '\n')
  writeFileSync(
    `bench/results/${report.date.slice(0, 10)}-${commit}.json`,
    JSON.stringify(report, null, 2) + '\n',
  )
  if (values.compare) {
    const before = JSON.parse(readFileSync(values.compare, 'utf8')) as typeof report
    // Ratios above 1 mean this run is faster than the earlier one.
    const speedup = (old: number | undefined, now: number | undefined) =>
      old === undefined || now === undefined ? '' : `${(old / now).toFixed(2)}x`
    console.log(`\ncompared with ${values.compare} (commit ${before.commit}, ${before.date}):`)
    for (const r of results) {
      const old = before.results.find((o) => o.size === r.size && o.name === r.name)
      if (!old) continue
      console.log(
        `${String(r.size).padEnd(8)} ${r.name.padEnd(31)} lake p50 ${f(old.lakeP50Ms)} → ${f(r.lakeP50Ms)} ms (${speedup(old.lakeP50Ms, r.lakeP50Ms)})` +
          (r.httpP50Ms === undefined
            ? ''
            : `, http p50 ${f(old.httpP50Ms)} → ${f(r.httpP50Ms)} ms (${speedup(old.httpP50Ms, r.httpP50Ms)})`),
      )
    }
    for (const [size, extra] of Object.entries(extras)) {
      const old = before.extras[Number(size)]
      for (const key of [
        'intakeSubmissionsPerSecond',
        'heapBytesPerDocument',
        'heapBytesPerDocumentWithTextIndex',
        'bySlugWhileWorstQueryP99Ms',
        'outside_bySlug_rps',
        'outside_bySlug_shareOfBare',
        'outside_bySlug_cpuMicrosPerRequest',
        'outside_bySlugCachedAnswer_rps',
        'outside_bySlugCachedAnswer_shareOfBare',
        'outside_bySlugCachedAnswer_cpuMicrosPerRequest',
        'bareHttp2CpuMicrosPerRequest',
        'outside_pagedList_rps',
        'outside_studioSearch_rps',
        'bareHttp2RequestsPerSecond',
        'fanOutP50Ms',
        'fanOutP99Ms',
        'restartMs',
        'restartRssBytes',
        'restartHeapBytesPerDocument',
        'restartBySlugHttpP99Ms',
        'restartBySlugCachedAnswerHttpP99Ms',
      ]) {
        if (old?.[key] !== undefined && extra[key] !== undefined)
          console.log(`${size.padEnd(8)} ${key}: ${old[key]} → ${extra[key]}`)
      }
    }
  }
}

await main()
