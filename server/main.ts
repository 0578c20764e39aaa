/**
 * `npm run lake`: the local content lake on `https://localhost:$LAKE_PORT`.
 *
 * Environment: LAKE_PORT (4545), LAKE_HOST (`localhost`: loopback only), LAKE_DATA_DIR (`.lake/`),
 * LAKE_ADMIN_TOKEN (accepted as an administrator token). `--dev` (used by `npm run dev`) lets a
 * browser on this machine sign in as the local developer without pasting a token.
 */
import {join} from 'node:path'

import {DEFAULT_LAKE_PORT, lakeDataDir} from '../lib/env'
import {LAKE_INDEXED_FIELDS} from '../lib/lakeIndexes'
import {startLake} from './lake'

const dev = process.argv.includes('--dev')
const port = process.env.LAKE_PORT ? Number(process.env.LAKE_PORT) : DEFAULT_LAKE_PORT
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`LAKE_PORT must be a port number, got "${process.env.LAKE_PORT}"`)
  process.exit(1)
}

const lake = await startLake({
  dataDir: lakeDataDir(),
  port,
  host: process.env.LAKE_HOST || 'localhost',
  adminToken: process.env.LAKE_ADMIN_TOKEN || undefined,
  dev,
  log: (message) => console.error(message),
  indexedFields: LAKE_INDEXED_FIELDS,
})

console.log(`Local content lake listening on ${lake.url}`)
console.log(`Data directory: ${lake.dataDir}`)
console.log(`Studio: ${lake.url}/studio/ (certificate: ${join(lake.dataDir, 'tls', 'cert.pem')})`)
if (lake.developerTokenFile) {
  // The token itself never goes to the log, only where to find it.
  console.log(`Created the local developer's administrator token in ${lake.developerTokenFile}`)
}
if (dev)
  console.log('Dev mode: the login page offers "Continue as local developer" on this machine')

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  console.log(`${signal}: closing the lake`)
  await lake.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
