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
import {startLake} from '../server/lake'
import type {CommitOptions, StoredDocument} from '../server/store/types'
import {type BenchDocument, generateDataset} from './generate'
import {runIntakeLoad} from './intakeLoad'
import {
  plainGroq,
  plainStudioList,
  queries,
  sameAnswer,
  studioListParams,
  studioListQuery,
  withText,
} from './queries'

const {values} = parseArgs({
  options: {
    sizes: {type: 'string', default: '1000,10000,100000'},
    compare: {type: 'string'},
    'intake-requests': {type: 'string', default: '5000'},
  },
})
const sizes = values.sizes.split(',').map(Number)
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
  for (let i = 0; i < iterations; i++) {
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

async function benchSize(size: number): Promise<{rows: Row[]; extra: Record<string, number>}> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${size}-`))
  cpSync(sharedTls, join(dataDir, 'tls'), {recursive: true})
  process.env['FEEDBACK_RATE_LIMIT'] = '100000000/1'
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const lake = await startLake({dataDir, port: 0, host: '127.0.0.1', log: () => undefined})
  cpSync(join(dataDir, 'tls'), sharedTls, {recursive: true})
  const rows: Row[] = []
  const extra: Record<string, number> = {}
  try {
    const documents = generateDataset(size)
    const loadStarted = performance.now()
    for (let i = 0; i < documents.length; i += 1000) {
      const batch = documents.slice(i, i + 1000) as (BenchDocument & {_id: string})[]
      await lake.store.mutate(
        batch.map((d) => ({createOrReplace: d})),
        admin,
      )
    }
    extra['loadDocsPerSecond'] = Math.round(size / ((performance.now() - loadStarted) / 1000))
    globalThis.gc?.()
    extra['heapBytesPerDocument'] = Math.round((process.memoryUsage().heapUsed - heapBefore) / size)
    const dataset: StoredDocument[] = [...lake.store.allDocuments()]
    const token = readFileSync(join(dataDir, LAKE_DEV_TOKEN_FILE), 'utf8').trim()
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
      const httpSamples = await time(100, () => client.fetch(query, params))
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
    const studioPlain = () => plainStudioList(textDataset)
    const studioExpected = await studioPlain()
    const studioFromLake = lakeQuery(studioListQuery, studioListParams)
    const studioFromHttp = await client.fetch(studioListQuery, studioListParams)
    const studioEqual =
      sameAnswer(studioFromLake, studioExpected) && sameAnswer(studioFromHttp, studioExpected)
    if (!studioEqual) {
      console.error(
        `WRONG ANSWER: "Studio list with text::query" at ${size} differs from plain groq-js ` +
          `(${JSON.stringify(studioFromLake).slice(0, 200)} vs ${JSON.stringify(studioExpected).slice(0, 200)})`,
      )
      process.exitCode = 1
    }
    const studioSamples = await time(50, () => lakeQuery(studioListQuery, studioListParams))
    const studioHttp = await time(30, () => client.fetch(studioListQuery, studioListParams))
    const studioPlainSamples = await time(Math.min(baselineIterations, 10), studioPlain)
    rows.push({
      size,
      name: 'Studio list with text::query',
      lakeP50Ms: percentile(studioSamples, 0.5),
      lakeP95Ms: percentile(studioSamples, 0.95),
      httpP50Ms: percentile(studioHttp, 0.5),
      httpP95Ms: percentile(studioHttp, 0.95),
      groqJsP50Ms: percentile(studioPlainSamples, 0.5),
      ratio: percentile(studioPlainSamples, 0.5) / percentile(studioSamples, 0.5),
      checkedEqual: studioEqual,
    })

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
 * steps, which no budget lets finish). It runs cooperatively, yielding the event loop between
 * slices, until its time budget or its client stops it.
 */
const WORST_QUERY = 'count(*[count(*[count(*[true]) > 0]) > 0])'

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
  lake: Awaited<ReturnType<typeof startLake>>,
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
  lake: Awaited<ReturnType<typeof startLake>>,
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

const f = (n: number | undefined) => (n === undefined ? '' : n < 1 ? n.toFixed(3) : n.toFixed(1))

async function main(): Promise<void> {
  const results: Row[] = []
  const extras: Record<number, Record<string, number>> = {}
  for (const size of sizes) {
    const {rows, extra} = await benchSize(size)
    results.push(...rows)
    extras[size] = extra
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
    results,
    extras,
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
        'bySlugWhileWorstQueryP99Ms',
      ]) {
        if (old?.[key] !== undefined && extra[key] !== undefined)
          console.log(`${size.padEnd(8)} ${key}: ${old[key]} → ${extra[key]}`)
      }
    }
  }
}

await main()
