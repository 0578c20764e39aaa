import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Session} from 'node:inspector/promises'
import {writeFileSync} from 'node:fs'

import {trustLocalLake} from '../lib/client'
import {startLake} from '../server/lake'
import {generateDataset} from './generate'
import {runIntakeLoad} from './intakeLoad'

const admin = {
  identity: {id: 'bench', name: 'Benchmark', role: 'administrator' as const},
  canWrite: () => true,
  canRead: () => true,
}
process.env['FEEDBACK_RATE_LIMIT'] = '100000000/1'
const size = Number(process.argv[2] ?? 10000)
const dataDir = mkdtempSync(join(tmpdir(), 'prof-'))
const lake = await startLake({dataDir, port: 0, host: '127.0.0.1', log: () => undefined})
trustLocalLake(dataDir)
const docs = generateDataset(size)
for (let i = 0; i < docs.length; i += 1000)
  await lake.store.mutate(
    docs.slice(i, i + 1000).map((d) => ({createOrReplace: d as never})),
    admin,
  )
const session = new Session()
session.connect()
await session.post('Profiler.enable')
if (!process.env['NOPROF']) await session.post('Profiler.start')
const t = performance.now()
const cpu0 = process.cpuUsage()
const r = await runIntakeLoad({
  url: lake.url,
  dataDir,
  requests: Number(process.env['N'] ?? 2000),
  concurrency: Number(process.env['C'] ?? 32),
  maxMs: 60000,
})
const cpu = process.cpuUsage(cpu0)
console.log('cpu s', (cpu.user + cpu.system) / 1e6, 'wall s', (performance.now() - t) / 1000)
console.log(
  'per second',
  Math.round(r.acknowledged.length / ((performance.now() - t) / 1000)),
  lake.store.stats(),
  r.refused,
)
if (!process.env['NOPROF']) {
  const {profile} = await session.post('Profiler.stop')
  writeFileSync('/tmp/prof/intake.cpuprofile', JSON.stringify(profile))
}
await lake.close()
