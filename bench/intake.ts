/**
 * `node --import tsx --expose-gc bench/intake.ts [--sizes 1000,100000] [--requests 5000]`
 *
 * The intake step of `run.ts` alone: a careers lake loaded with `size` generated documents, then
 * `POST /feedback` from a worker thread (500 warm-up, `--requests` counted, 32 at a time), with
 * the load average beside each figure. For comparing commits quickly without the query steps.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {startCareersLake} from '../app/lake'
import type {CommitOptions} from '../server/store/types'
import {type BenchDocument, generateDataset} from './generate'
import {runIntakeLoad} from './intakeLoad'

const {values} = parseArgs({
  options: {
    sizes: {type: 'string', default: '1000,100000'},
    requests: {type: 'string', default: '5000'},
  },
})

const admin: CommitOptions = {
  identity: {id: 'bench', name: 'Benchmark', role: 'administrator'},
  canWrite: () => true,
  canRead: () => true,
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}

for (const size of values.sizes.split(',').map(Number)) {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-intake-${size}-`))
  process.env['FEEDBACK_RATE_LIMIT'] = '100000000/1'
  const lake = await startCareersLake({dataDir, port: 0, host: '127.0.0.1', log: () => undefined})
  try {
    const documents = generateDataset(size)
    for (let i = 0; i < documents.length; i += 1000) {
      const batch = documents.slice(i, i + 1000) as (BenchDocument & {_id: string})[]
      await lake.store.mutate(
        batch.map((d) => ({createOrReplace: d})),
        admin,
      )
    }
    const before = lake.store.stats()
    const loadBefore = loadavg()[0] ?? 0
    const cpuBefore = process.cpuUsage()
    const {latenciesMs, acknowledged, refused, seconds} = await runIntakeLoad({
      url: lake.url,
      dataDir,
      requests: Number(values.requests),
      warmup: 500,
      concurrency: 32,
      maxMs: 60_000,
    })
    const cpu = process.cpuUsage(cpuBefore)
    const after = lake.store.stats()
    console.log(
      JSON.stringify({
        size,
        perSecond: Math.round(acknowledged.length / seconds),
        p50Ms: +percentile(latenciesMs, 0.5).toFixed(1),
        p99Ms: +percentile(latenciesMs, 0.99).toFixed(1),
        acknowledged: acknowledged.length,
        // The process's CPU (the lake and the load's worker) per report, warm-up included: less
        // at the mercy of other processes than the rate.
        cpuMsPerReport: +((cpu.user + cpu.system) / 1000 / (acknowledged.length + 500)).toFixed(2),
        refused,
        reportsPerFsync: +(
          (after.transactions - before.transactions) /
          Math.max(1, after.fsyncs - before.fsyncs)
        ).toFixed(1),
        load: [loadBefore, ...loadavg()].map((l) => +l.toFixed(2)),
      }),
    )
  } finally {
    await lake.close()
    rmSync(dataDir, {recursive: true, force: true})
  }
}
