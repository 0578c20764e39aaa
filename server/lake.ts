/**
 * Starts a local content lake: the store, the auth database, one HTTP/2-over-TLS server (with
 * HTTP/1.1 fallback and WebSocket upgrades) on one port. `server/main.ts` runs it for
 * `npm run lake`; tests start their own on free ports (see `tests/helpers/lake.ts`).
 */
import {mkdirSync} from 'node:fs'
import {createSecureServer, type Http2SecureServer} from 'node:http2'
import type {AddressInfo} from 'node:net'
import {resolve} from 'node:path'
import type {Duplex} from 'node:stream'

import {AuthStore} from './auth/tokens'
import {type AppContext, createRequestHandler, createUpgradeHandler} from './http/app'
import {asResponse} from './http/common'
import {ListenHub} from './http/listen'
import {PresenceHub} from './http/presence'
import {ensureCertificate} from './http/tls'
import type {FeedbackRequestHandler} from './intake'
import {intakeLakeFromStore} from './intake/lake'
import {createFeedbackIntakeFromEnv} from './intake/mount'
import {INTAKE_INDEXED_FIELDS} from './intake/queries'
import {openLakeStore} from './store'
import type {FieldPath} from './store/mirror'
import type {LakeStore} from './store/types'

export const DATASET = 'production'
/** The token id of the per-process reviewer token earlier versions gave the intake. */
const LEGACY_INTAKE_TOKEN_ID = 'feedback-intake'

export interface StartLakeOptions {
  /** Where `lake.sqlite`, `auth.sqlite`, `tls/` and `admin-token` live (created when missing). */
  dataDir: string
  /** 0 picks a free port (tests). */
  port?: number
  /** `localhost` (the default) listens on loopback only. */
  host?: string
  /** Accepted as an administrator token (`LAKE_ADMIN_TOKEN`). */
  adminToken?: string | undefined
  /** Offers "continue as local developer" on the login page to loopback requests. */
  dev?: boolean
  /** The built Studio; defaults to `studio-dist/` in the working directory. */
  studioDir?: string
  log?: (message: string) => void
  /**
   * Fields the application filters on (e.g. a workflow `status`), indexed from the start and
   * never evicted; the lake's own intake adds the ones it reads. Other fields earn an index by
   * measured use (`server/store/indexPolicy.ts`).
   */
  indexedFields?: readonly FieldPath[]
}

export interface RunningLake {
  /** `https://localhost:<port>` */
  url: string
  port: number
  dataDir: string
  store: LakeStore
  /** Written on first start only: the local developer's token file. */
  developerTokenFile: string | null
  /** The public intake this lake mounts at `POST /feedback`; a frontend can mount the same one. */
  feedback: FeedbackRequestHandler
  /** Open listen streams and presence sockets (tests check they are cleaned up). */
  connections(): {listeners: number; presence: number}
  close(): Promise<void>
}

export async function startLake(options: StartLakeOptions): Promise<RunningLake> {
  const dataDir = resolve(options.dataDir)
  const host = options.host ?? 'localhost'
  const log = options.log ?? ((message: string) => console.error(message))
  mkdirSync(dataDir, {recursive: true})

  const tls = await ensureCertificate(dataDir)
  const store = openLakeStore({
    dataDir,
    indexedFields: [...INTAKE_INDEXED_FIELDS, ...(options.indexedFields ?? [])],
  })
  const auth = new AuthStore(dataDir, {adminToken: options.adminToken})
  const developerTokenFile = auth.ensureDeveloperToken(dataDir)
  const ctx: AppContext = {
    store,
    auth,
    listen: new ListenHub(store),
    presence: new PresenceHub(auth),
    dataset: DATASET,
    dev: options.dev ?? false,
    studioDir: resolve(options.studioDir ?? 'studio-dist'),
    log,
  }

  // HTTP/2 is what keeps the Studio's many SSE listeners from exhausting the browser's six
  // HTTP/1.1 connections per host; HTTP/1.1 stays for Node clients and WebSocket upgrades.
  const server: Http2SecureServer = createSecureServer({
    cert: tls.cert,
    key: tls.key,
    allowHTTP1: true,
  })
  const handler = createRequestHandler(ctx)
  server.on('request', (req, res) => handler(req, asResponse(res)))
  server.on('upgrade', createUpgradeHandler(ctx))
  const sockets = new Set<Duplex>()
  server.on('secureConnection', (socket: Duplex) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  // A peer that resets mid-stream must not crash the lake; there is nothing to do but log it.
  server.on('sessionError', (error) => log(`HTTP/2 session error: ${error.message}`))

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 4545, host, () => {
      server.off('error', reject)
      resolvePromise()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host

  const url = `https://${urlHost}:${port}`
  // The public intake writes straight to the store as a reviewer (feedback writes only), under
  // the same write rules as `POST /data/mutate`. Earlier versions gave it a per-process token:
  // one left in an old auth database is revoked.
  auth.revokeToken(LEGACY_INTAKE_TOKEN_ID)
  const feedback = createFeedbackIntakeFromEnv({
    lake: intakeLakeFromStore(store),
    onError: (error) => log(`feedback intake: ${error instanceof Error ? error.message : error}`),
  })
  ctx.feedback = feedback

  let closing: Promise<void> | null = null
  return {
    url,
    port,
    dataDir,
    store,
    developerTokenFile,
    feedback,
    connections: () => ({listeners: ctx.listen.size, presence: ctx.presence.size}),
    close() {
      closing ??= (async () => {
        ctx.listen.close()
        ctx.presence.close()
        const closed = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()))
        // Open keep-alive and SSE connections would hold close() forever.
        for (const socket of sockets) socket.destroy()
        await closed
        store.close()
        auth.close()
      })()
      return closing
    },
  }
}
