/**
 * A lake's command line: `LAKE_PORT` (4545), `LAKE_HOST` (`localhost`: loopback only),
 * `LAKE_DATA_DIR` (`.lake/`), `LAKE_ADMIN_TOKEN` (accepted as an administrator token; under 32
 * characters the lake refuses to start). `--dev` (used by `npm run dev`) lets a browser on this
 * machine sign in as the local developer with a one-time code the lake prints and writes to its
 * data directory, instead of pasting a token. Run directly, it starts the generic lake with no
 * application; `npm run lake`
 * runs the careers site's (`app/lake.ts`) through `runLakeFromEnv`.
 */
import {join} from 'node:path'

import {isMain} from '../lib/cli'
import {DEFAULT_LAKE_PORT, lakeDataDir} from '../lib/env'
import {checkAdminToken} from './auth/tokens'
import {LAKE_CERT_FILE} from './files'
import {type RunningLake, startLake, type StartLakeOptions} from './lake'

export async function runLakeFromEnv(
  start: (options: StartLakeOptions) => Promise<RunningLake> = startLake,
): Promise<void> {
  const dev = process.argv.includes('--dev')
  const port = process.env.LAKE_PORT ? Number(process.env.LAKE_PORT) : DEFAULT_LAKE_PORT
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`LAKE_PORT must be a port number, got "${process.env.LAKE_PORT}"`)
    process.exit(1)
  }

  const adminToken = process.env.LAKE_ADMIN_TOKEN || undefined
  try {
    if (adminToken !== undefined) checkAdminToken(adminToken)
  } catch (error) {
    // The message says what to do; a stack trace would bury it.
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }

  const lake = await start({
    dataDir: lakeDataDir(),
    port,
    host: process.env.LAKE_HOST || 'localhost',
    adminToken,
    dev,
    log: (message) => console.error(message),
  })

  console.log(`Local content lake listening on ${lake.url}`)
  console.log(`Data directory: ${lake.dataDir}`)
  console.log(`Studio: ${lake.url}/studio/ (certificate: ${join(lake.dataDir, LAKE_CERT_FILE)})`)
  if (lake.developerTokenFile) {
    // The token itself never goes to the log, only where to find it.
    console.log(`Created the local developer's administrator token in ${lake.developerTokenFile}`)
  }
  if (dev)
    console.log(
      'Dev mode: the login page offers "Continue as local developer" on this machine, with the ' +
        `one-time code printed above (the current one is in ${lake.developerCodeFile ?? ''})`,
    )

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
  keepServingThroughFaults()
}

/**
 * The last line of defence, for a fault that escaped every boundary (requests, listen streams,
 * presence sockets and commit callbacks each catch their own). Node's default would end the
 * process, taking every editor's session with it, and no supervisor restarts `npm run lake`.
 * Every acknowledged write is already on disk and nothing unacknowledged was shown to a reader,
 * so the lake logs the fault with its stack and keeps serving.
 */
function keepServingThroughFaults(): void {
  process.on('uncaughtException', (error) => {
    console.error(`Uncaught exception (the lake keeps serving): ${error.stack ?? String(error)}`)
  })
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)
    console.error(`Unhandled rejection (the lake keeps serving): ${text}`)
  })
}

if (isMain(import.meta.url)) await runLakeFromEnv()
