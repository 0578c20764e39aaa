/**
 * Starts a local content lake: the store, the auth database, one HTTP/2-over-TLS server (with
 * HTTP/1.1 fallback and WebSocket upgrades) on one port. It knows no application: what an
 * application adds (access grants, write policies, routes) comes in as `options.application`
 * (`server/application.ts`). `app/lake.ts` starts the careers site's lake for `npm run lake`;
 * tests start their own on free ports (see `tests/helpers/lake.ts`).
 */
import {createSecureServer, type Http2SecureServer} from 'node:http2'
import type {AddressInfo} from 'node:net'
import {resolve} from 'node:path'
import type {Duplex} from 'node:stream'

import {LOCAL_PROJECT_ID} from '../lib/env'
import {http1TimeoutOptions, TRANSPORT_TIMEOUTS, type TransportTimeouts} from '../lib/transport'
import type {LakeApplication, LakeHost, LakeSession} from './application'
import {withAssetAccess} from './assets/access'
import {type AssetLimits, DEFAULT_ASSET_LIMITS} from './assets/limits'
import {AssetStorage} from './assets/storage'
import {type Access, createAccess} from './auth/access'
import {DeveloperCode} from './auth/developerCode'
import {createTokenGuard} from './auth/guard'
import {AuthStore, checkAdminToken} from './auth/tokens'
import {createWriteRules, type WriteRules} from './auth/writeRules'
import {AnswerCache} from './http/answers'
import {type AppContext, createRequestHandler, createUpgradeHandler} from './http/app'
import {asResponse} from './http/common'
import {ListenHub} from './http/listen'
import {LiveHub} from './http/live'
import {PresenceHub} from './http/presence'
import {applyHttp2Timeouts} from './http/timeouts'
import {ensureCertificate} from './http/tls'
import {openLakeStore} from './store'
import type {FieldPath} from './store/mirror'
import {ensurePrivateDir, restrictTree} from './permissions'
import type {Identity, LakeStore, Perspective} from './store/types'

export const DATASET = 'production'

export interface StartLakeOptions {
  /** Where `lake.sqlite`, `auth.sqlite`, `tls/` and `admin-token` live (created when missing). */
  dataDir: string
  /** 0 picks a free port (tests). */
  port?: number
  /** `localhost` (the default) listens on loopback only. */
  host?: string
  /** Accepted as an administrator token (`LAKE_ADMIN_TOKEN`); at least 32 characters. */
  adminToken?: string | undefined
  /** Offers "continue as local developer" on the login page to loopback requests. */
  dev?: boolean
  /** A cap on the store's database size (see `OpenLakeStoreOptions`); tests fill it on purpose. */
  maxDatabaseBytes?: number
  /** How long clients may take to send requests (tests shorten them). */
  timeouts?: Partial<TransportTimeouts>
  /** The built Studio; defaults to `studio-dist/` in the working directory. */
  studioDir?: string
  log?: (message: string) => void
  /** What an application adds to the lake; without one, the lake is Content Lake's alone. */
  application?: LakeApplication
  /** Overrides of the asset limits (`server/assets/limits.ts`), for tests. */
  assetLimits?: Partial<AssetLimits>
  /**
   * Fields the application filters on (e.g. a workflow `status`), indexed from the start and
   * never evicted. Other fields earn an index by measured use (`server/store/indexPolicy.ts`).
   */
  indexedFields?: readonly FieldPath[]
  /**
   * Fields large lists are ordered by (e.g. `publishedAt`): their value is kept per document so a
   * page of an ordered list reads only its own documents (`server/store/README.md`).
   */
  orderedFields?: readonly FieldPath[]
  /**
   * Finished `GET /data/query` answers kept until a commit changes what their reader may read
   * (`server/http/answers.ts`; default `MAX_ANSWERS`); 0 keeps none.
   */
  answerCacheSize?: number
}

export interface RunningLake {
  /** `https://localhost:<port>` */
  url: string
  port: number
  dataDir: string
  store: LakeStore
  /** Written on first start only: the local developer's token file. */
  developerTokenFile: string | null
  /** Dev mode: the file holding the current one-time code for "Continue as local developer". */
  developerCodeFile: string | null
  /** The lake as one identity sees it (what application routes get through `LakeHost`). */
  session(identity: Identity): LakeSession
  /** Open listen and live-event streams and presence sockets (tests check they are cleaned up). */
  connections(): {listeners: number; presence: number; live: number}
  /** The query answer cache (`server/http/answers.ts`): answers kept, and lookups since start. */
  answerCache(): {kept: number; hits: number; misses: number}
  close(): Promise<void>
}

export async function startLake(options: StartLakeOptions): Promise<RunningLake> {
  const dataDir = resolve(options.dataDir)
  const host = options.host ?? 'localhost'
  const log = options.log ?? ((message: string) => console.error(message))
  // Refused before anything is created or listened on: a weak token must never be live.
  if (options.adminToken !== undefined) checkAdminToken(options.adminToken)
  ensurePrivateDir(dataDir)

  const tls = await ensureCertificate(dataDir)
  const store = openLakeStore({
    dataDir,
    log,
    maxDatabaseBytes: options.maxDatabaseBytes,
    indexedFields: options.indexedFields ?? [],
    orderedFields: options.orderedFields ?? [],
    redactsHistory: options.application?.redactsHistory,
  })
  const auth = new AuthStore(dataDir, {adminToken: options.adminToken})
  const developerTokenFile = auth.ensureDeveloperToken(dataDir)
  // Everything is open and created now: whatever an earlier version left 0644 is closed up too.
  restrictTree(dataDir)
  // Printed (logged) and written to the data directory: the proof a developer sign-in needs.
  const developerCode = options.dev ? new DeveloperCode(dataDir, log) : null
  const application = options.application ?? {}
  // Before anything else subscribes to the store: asset readability must be current when the
  // listen hubs filter a commit's events (see `server/assets/access.ts`).
  const access = withAssetAccess(createAccess(application.access), store)
  const writeRules = createWriteRules(access, application.writePolicies)
  const lakeHost: LakeHost = {
    session: (identity) => lakeSession(store, access, writeRules, identity),
    log,
  }
  // After the asset access above: its listener must have moved the public's predicate on before
  // the answer cache asks it which of a commit's documents the public may read.
  const answers = new AnswerCache(
    store,
    (identity) => access.canRead(identity),
    options.answerCacheSize,
  )
  // One count of failed token checks per address, whichever door they come through.
  const tokenGuard = createTokenGuard()
  const ctx: AppContext = {
    store,
    auth,
    listen: new ListenHub(store),
    live: new LiveHub(store),
    presence: new PresenceHub(auth, access.canRead, log, tokenGuard),
    dataset: DATASET,
    dev: options.dev ?? false,
    developerCode,
    studioDir: resolve(options.studioDir ?? 'studio-dist'),
    log,
    access,
    writeRules,
    routes: application.routes?.(lakeHost) ?? [],
    assets: {
      store,
      access,
      writeRules,
      storage: new AssetStorage(dataDir),
      limits: {...DEFAULT_ASSET_LIMITS, ...options.assetLimits},
      dataset: DATASET,
      projectId: LOCAL_PROJECT_ID,
      origin: () => url,
    },
    tokenGuard,
    answers,
  }

  // Known once listening (port 0 picks one); asset documents' `url` points here.
  let url = ''
  // HTTP/2 is what keeps the Studio's many SSE listeners from exhausting the browser's six
  // HTTP/1.1 connections per host; HTTP/1.1 stays for Node clients and WebSocket upgrades.
  const timeouts = {...TRANSPORT_TIMEOUTS, ...options.timeouts}
  const server: Http2SecureServer = createSecureServer({
    cert: tls.cert,
    key: tls.key,
    allowHTTP1: true,
    // Honoured by the HTTP/1.1 fallback; HTTP/2 gets its own deadlines below.
    ...http1TimeoutOptions(timeouts),
  })
  applyHttp2Timeouts(server, timeouts)
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

  url = `https://${urlHost}:${port}`

  let closing: Promise<void> | null = null
  return {
    url,
    port,
    dataDir,
    store,
    developerTokenFile,
    developerCodeFile: developerCode?.file ?? null,
    session: lakeHost.session,
    connections: () => ({
      listeners: ctx.listen.size,
      presence: ctx.presence.size,
      live: ctx.live.size,
    }),
    answerCache: () => ({kept: answers.size, hits: answers.hits, misses: answers.misses}),
    close() {
      closing ??= (async () => {
        ctx.listen.close()
        ctx.live.close()
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

/** Reads filtered and writes checked exactly as `/data/query` and `/data/mutate` do for `identity`. */
function lakeSession(
  store: LakeStore,
  access: Access,
  writeRules: WriteRules,
  identity: Identity,
): LakeSession {
  const canRead = access.canRead(identity)
  const rules = writeRules(identity, 'mutationError')
  return {
    query<R>(
      query: string,
      params: Record<string, unknown> = {},
      perspective: Perspective = 'published',
    ) {
      // Asked per query: anonymous reading is a predicate that is replaced as assets become public.
      return store.query(query, params, {
        perspective,
        canRead: access.canRead(identity),
        accessKey: access.readerKey(identity),
      }).result as R
    },
    getDocuments: (ids) => store.getDocuments(ids, canRead),
    mutate: (mutations) => store.mutate(mutations, rules),
  }
}
