/**
 * A real local lake for tests: `startTestLake()` starts one on a free loopback port in a fresh
 * temporary data directory and gives back clients of the real `@sanity/client` that trust its
 * certificate.
 *
 *   const lake = await startTestLake()
 *   afterAll(() => lake.close())            // stops the server and deletes the data directory
 *   const admin = lake.client()              // administrator (the local developer's token)
 *   const anonymous = lake.client({token: null})
 *   const editor = lake.client({token: lake.createToken('editor')})
 *
 * Clients default to the `raw` perspective, so tests see drafts unless they ask otherwise.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {ClientPerspective, SanityClient} from '@sanity/client'

import {createContentClient, LAKE_DEV_TOKEN_FILE, trustLocalLake} from '../../lib/client'
import {type CareersLakeOptions, startCareersLake} from '../../app/lake'
import {AuthStore} from '../../server/auth/tokens'
import {type RunningLake, startLake} from '../../server/lake'
import type {Role} from '../../server/store/types'

export interface TestLake extends RunningLake {
  /** What the lake logged (internal errors, session errors). */
  logs: string[]
  /** The local developer's administrator token, written by the lake on first start. */
  adminToken: string
  /** A client for this lake: the admin token unless `token` says otherwise (`null` = none). */
  client(options?: {token?: string | null; perspective?: ClientPerspective}): SanityClient
  /** Creates a token with a role, as `npm run token -- create` does. */
  createToken(role: Role, name?: string): string
  /** The careers lake's contact retention sweep, run now (by the lake's clock). */
  sweepContacts(): Promise<number>
  /** Revokes a token by its id (see `createTokenWithId`). */
  revokeToken(id: string): boolean
  /** A token with a role, and the id given (else a random one). */
  createTokenWithId(role: Role, name?: string, id?: string): {id: string; token: string}
}

/**
 * Every test lake in a process shares one certificate: Node's fetch keeps the CA set it saw
 * first, so a second lake with its own self-signed cert would be untrusted. The lake reuses a
 * cert it finds in `<dataDir>/tls/`, so seeding that directory is all it takes.
 */
let sharedTls: {cert: string; key: string} | null = null

function seedCertificate(dataDir: string): void {
  const tlsDir = join(dataDir, 'tls')
  if (!sharedTls || existsSync(join(tlsDir, 'cert.pem'))) return
  mkdirSync(tlsDir, {recursive: true, mode: 0o700})
  writeFileSync(join(tlsDir, 'key.pem'), sharedTls.key, {mode: 0o600})
  writeFileSync(join(tlsDir, 'cert.pem'), sharedTls.cert)
}

export interface TestLakeOptions extends Partial<CareersLakeOptions> {
  /**
   * The generic lake with no application (`server/lake.ts` alone) instead of the careers site's
   * (`app/lake.ts`: feedback access grant, workflow policy, the intake at `POST /feedback`).
   */
  generic?: boolean
}

export async function startTestLake(options: TestLakeOptions = {}): Promise<TestLake> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'lake-test-'))
  seedCertificate(dataDir)
  const logs: string[] = []
  const {generic, ...lakeOptions} = options
  const started = {
    port: 0,
    host: '127.0.0.1',
    // Kept rather than printed: a test can assert on them, and a failing one can show them.
    log: (message: string) => logs.push(message),
    ...lakeOptions,
    dataDir,
  }
  const lake: RunningLake & {sweepContacts?: () => Promise<number>} = generic
    ? await startLake(started)
    : await startCareersLake(started)
  sharedTls ??= {
    cert: readFileSync(join(lake.dataDir, 'tls', 'cert.pem'), 'utf8'),
    key: readFileSync(join(lake.dataDir, 'tls', 'key.pem'), 'utf8'),
  }
  trustLocalLake(lake.dataDir)
  const adminToken = readFileSync(join(lake.dataDir, LAKE_DEV_TOKEN_FILE), 'utf8').trim()
  const withAuth = <T>(fn: (auth: AuthStore) => T): T => {
    const auth = new AuthStore(lake.dataDir)
    try {
      return fn(auth)
    } finally {
      auth.close()
    }
  }
  return {
    ...lake,
    logs,
    adminToken,
    sweepContacts: () => {
      if (!lake.sweepContacts) throw new Error('The generic lake has no contact sweep')
      return lake.sweepContacts()
    },
    client({token, perspective} = {}) {
      return createContentClient({
        lakeUrl: lake.url,
        lakeDataDir: lake.dataDir,
        token: token === null ? undefined : (token ?? adminToken),
        perspective: perspective ?? 'raw',
      })
    },
    createTokenWithId: (role, name = `${role} for tests`, id?: string) =>
      withAuth((auth) => auth.createToken(name, role, ...(id ? [id] : []))),
    createToken: (role, name = `${role} for tests`) =>
      withAuth((auth) => auth.createToken(name, role).token),
    revokeToken: (id) => withAuth((auth) => auth.revokeToken(id)),
    async close() {
      await lake.close()
      if (!options.dataDir) rmSync(lake.dataDir, {recursive: true, force: true})
    },
  }
}

/** A raw HTTPS request to the lake (for what @sanity/client cannot send: bad bodies, headers). */
export async function lakeFetch(
  lake: {url: string},
  path: string,
  init: RequestInit & {token?: string} = {},
): Promise<{status: number; headers: Headers; text: string; json: () => unknown}> {
  const headers = new Headers(init.headers)
  if (init.token) headers.set('authorization', `Bearer ${init.token}`)
  const response = await fetch(`${lake.url}${path}`, {...init, headers})
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as unknown,
  }
}
