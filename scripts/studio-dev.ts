/**
 * `npm run studio:dev`: the Studio from its sources with hot reload (`sanity dev`), against the
 * local lake that `npm run dev` (or `npm run lake -- --dev`) is running.
 *
 * The lake stays where it is (`LAKE_URL`, else `https://localhost:$LAKE_PORT`); the Studio is
 * served by Vite on `STUDIO_DEV_PORT` (default 3333) and told the lake's address through
 * `SANITY_STUDIO_API_HOST`, which the build inlines. Sign-in is the lake's own login page: it
 * sends the browser back to this loopback origin with a one-time `#sid=` (see
 * `server/http/login.ts`), and the lake's CORS answers loopback origins.
 */
import {isLocalLake, localLakeUrl} from '../lib/env'
import {run} from './lib/studioBuild'

const DEFAULT_STUDIO_DEV_PORT = 3333

const port = Number(process.env['STUDIO_DEV_PORT'] || DEFAULT_STUDIO_DEV_PORT)
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`STUDIO_DEV_PORT must be a port number, got "${process.env['STUDIO_DEV_PORT']}"`)
  process.exit(1)
}

if (isLocalLake) {
  const lake = localLakeUrl()
  process.env.SANITY_STUDIO_API_HOST = lake
  console.log(`Studio with hot reload: http://localhost:${port}/studio/ (lake: ${lake})`)
  console.log(
    `The browser must trust the lake's certificate first: open ${lake}/v1/ping once and accept it.`,
  )
} else {
  console.log('SANITY_STUDIO_PROJECT_ID is set: the Studio talks to Sanity’s hosted Content Lake')
}

try {
  await run('sanity', ['dev', '--port', String(port)])
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
}
