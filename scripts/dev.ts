/**
 * `npm run dev`: everything an editor needs, on this machine, with no account.
 *
 * Local mode (no `SANITY_STUDIO_PROJECT_ID`): builds the Studio when its sources changed, starts
 * the local lake in dev mode (it serves the Studio same-origin), seeds it when empty, and prints
 * where to go. Hosted mode: the Studio runs with `sanity dev` against the configured project.
 */
import {startCareersLake} from '../app/lake'
import {createContentClient, writeToken} from '../lib/client'
import {DEFAULT_LAKE_PORT, isLocalLake, lakeDataDir} from '../lib/env'
import {DEFAULT_WEB_PORT, startWeb} from '../web/server'
import {buildStudio, run, STUDIO_DIR} from './lib/studioBuild'
import {seedDataset} from './seed'

function port(value: string | undefined, fallback: number, name: string): number {
  const parsed = value ? Number(value) : fallback
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
    throw new Error(`${name} must be a port number, got "${value}"`)
  }
  return parsed
}

async function startLocal(): Promise<void> {
  // The lake serves the Studio from disk per request, so it can start while the bundle builds.
  const building = buildStudio()
  const lake = await startCareersLake({
    dataDir: lakeDataDir(),
    port: port(process.env.LAKE_PORT, DEFAULT_LAKE_PORT, 'LAKE_PORT'),
    host: process.env.LAKE_HOST || 'localhost',
    adminToken: process.env.LAKE_ADMIN_TOKEN || undefined,
    dev: true,
    studioDir: STUDIO_DIR,
  })
  const web = await startWeb({
    port: port(process.env.WEB_PORT, DEFAULT_WEB_PORT, 'WEB_PORT'),
    lakeUrl: lake.url,
    lakeDataDir: lake.dataDir,
    // An intake writing to the lake's store as the lake's own does (no token involved), served on
    // the form's origin, with this frontend's pages for its 422 answer.
    feedbackIntake: (renderPage) => lake.intake({renderPage}),
  })
  const stop = async (): Promise<void> => {
    await Promise.all([web.close(), lake.close()])
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())

  const empty = lake.store.allDocuments()[Symbol.iterator]().next().done === true
  if (empty) {
    const client = createContentClient({
      token: writeToken(lake.dataDir),
      lakeUrl: lake.url,
      lakeDataDir: lake.dataDir,
    })
    const seeded = await seedDataset(client)
    console.log(`Seeded the empty lake with ${seeded.written.length} documents`)
  }
  await building

  console.log(`Local content lake listening on ${lake.url}`)
  console.log(`Studio: ${lake.url}/studio/`)
  console.log(
    `Sign in: "Continue as local developer" with the one-time code printed above ` +
      `(the current one is always in ${lake.developerCodeFile ?? 'the data directory'}), ` +
      `choosing your role; or paste a token (npm run token -- create --role editor --name "…")`,
  )
  console.log(`Frontend: ${web.url}/`)
  console.log(`Data directory: ${lake.dataDir}`)
  console.log(
    `Certificate (trust it, or accept it once in the browser): ${lake.dataDir}/tls/cert.pem`,
  )
}

async function startHosted(): Promise<void> {
  console.log('SANITY_STUDIO_PROJECT_ID is set: the Studio talks to Sanity’s hosted Content Lake')
  await run('sanity', ['dev'])
}

try {
  await (isLocalLake ? startLocal() : startHosted())
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  console.error(
    code === 'EADDRINUSE'
      ? `Port in use: another lake or dev server is running; stop it or set LAKE_PORT / WEB_PORT.`
      : `npm run dev failed: ${error instanceof Error ? error.message : String(error)}`,
  )
  process.exit(1)
}
