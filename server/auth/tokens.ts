/**
 * API tokens, browser sessions and the per-user key-value store, in `<dataDir>/auth.sqlite`.
 *
 * Tokens and session ids are stored as SHA-256 hashes, never in clear. A fast hash is the right
 * tool here: both are 256-bit random values, so there is nothing to brute-force (slow hashes such
 * as scrypt exist to protect low-entropy passwords), and a deterministic hash lets every request
 * find its token through the unique index in microseconds. Someone who reads the database learns
 * nobody's token.
 */
import {createHash, randomBytes, timingSafeEqual} from 'node:crypto'
import {chmodSync, existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {DatabaseSync, StatementSync} from 'node:sqlite'

import {LAKE_DEV_TOKEN_FILE} from '../files'
import {isRole, type Role, ROLE_TITLES} from '../../lib/roles'
import {DATA_FILE_MODE} from '../permissions'
import type {Identity} from '../store/types'
import {openAuthDatabase} from './db'

export interface TokenInfo {
  id: string
  name: string
  role: Role
  createdAt: string
}

/** The first-start administrator token's id; its user id is `p-localdev`, as in the notes. */
export const DEVELOPER_TOKEN_ID = 'localdev'
export const DEVELOPER_TOKEN_NAME = 'Local developer'
const ENV_ADMIN_IDENTITY: Identity = {
  id: 'p-lakeadmin',
  name: 'Administrator (LAKE_ADMIN_TOKEN)',
  role: 'administrator',
}
/**
 * `LAKE_ADMIN_TOKEN` is the one credential a person chooses, and it opens everything. Tokens the
 * lake makes carry 256 random bits (43 base64url characters); 32 characters is the least that
 * still puts guessing out of reach (even hex gives 128 bits), so anything shorter is refused at
 * start rather than accepted and guessed.
 */
export const ADMIN_TOKEN_MIN_LENGTH = 32

/** Throws, naming the variable and the minimum, when `LAKE_ADMIN_TOKEN` is too weak to use. */
export function checkAdminToken(token: string): void {
  if (token.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new Error(
      `LAKE_ADMIN_TOKEN is too short: ${token.length} characters, at least ${ADMIN_TOKEN_MIN_LENGTH} are needed. ` +
        'Use a long random value, e.g. `openssl rand -base64 32`.',
    )
  }
}

/** More distinct tokens than any lake has in use at once; past it the map starts again. */
const MAX_RESOLVED_TOKENS = 1000
/** How often resolved tokens are checked against other processes' writes (see `#resolved`). */
export const REVOCATION_CHECK_MS = 1

/** Session secrets look different from API tokens (`lake_…`), so either can be told apart. */
const SESSION_PREFIX = 'lakes_'
/** Browser sessions last a working month; signing in again is one click in dev mode. */
const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** 32 random bytes; the prefix makes a leaked lake token recognisable in logs and scanners. */
function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url')
}

interface TokenRow {
  id: string
  name: string
  role: string
  created_at: string
}

function toInfo(row: TokenRow): TokenInfo {
  if (!isRole(row.role)) throw new Error(`Token ${row.id} has an unknown role ${row.role}`)
  return {id: row.id, name: row.name, role: row.role, createdAt: row.created_at}
}

/**
 * The user id a token's holder has: always `p-<token id>`, so an application's own identities
 * (given to `LakeHost.session`, e.g. `feedback-intake`) can never be taken by a token holder.
 */
export function tokenUserId(tokenId: string): string {
  return `p-${tokenId}`
}

function identityOf(info: TokenInfo): Identity {
  return {id: tokenUserId(info.id), name: info.name, role: info.role}
}

export class AuthStore {
  readonly #db: DatabaseSync
  readonly #adminTokenHash: Buffer | null
  /** Every request resolves its identity: these lookups are prepared once. */
  readonly #byHash: StatementSync
  readonly #byId: StatementSync
  readonly #session: StatementSync
  readonly #dataVersion: StatementSync
  /**
   * Bearer tokens already resolved, so a request costs a map lookup instead of a SHA-256 and a
   * SQLite read (a tenth of a by-slug request's time). Emptied whenever the tokens may have
   * changed: at once on this process's own writes, and when SQLite's `data_version` says another
   * connection (`npm run token -- revoke` in another process) committed. That check is itself a
   * read transaction (about 10 µs under load, a fifth of a cached answer's time), so it runs at
   * most once per `REVOCATION_CHECK_MS`: a token revoked from another process stops working within
   * a millisecond of the revocation's commit.
   */
  readonly #resolved = new Map<string, Identity>()
  #seenVersion = -1
  #checkedAt = -Infinity

  constructor(dataDir: string, options: {adminToken?: string | undefined} = {}) {
    if (options.adminToken !== undefined) checkAdminToken(options.adminToken)
    this.#db = openAuthDatabase(dataDir)
    this.#byHash = this.#db.prepare('SELECT id, name, role, created_at FROM tokens WHERE hash = ?')
    this.#byId = this.#db.prepare('SELECT id, name, role, created_at FROM tokens WHERE id = ?')
    this.#session = this.#db.prepare(
      'SELECT token_id, kind, expires_at FROM sessions WHERE hash = ?',
    )
    this.#dataVersion = this.#db.prepare('PRAGMA data_version')
    this.#adminTokenHash = options.adminToken
      ? Buffer.from(sha256(options.adminToken), 'hex')
      : null
  }

  close(): void {
    this.#db.close()
  }

  /** Creates a token; the clear token is returned once and never stored. */
  createToken(
    name: string,
    role: Role,
    id: string = randomBytes(6).toString('hex'),
  ): {id: string; token: string} {
    const token = newSecret('lake_')
    this.#db
      .prepare('INSERT INTO tokens (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, role, sha256(token), new Date().toISOString())
    return {id, token}
  }

  listTokens(): TokenInfo[] {
    const rows = this.#db
      .prepare('SELECT id, name, role, created_at FROM tokens ORDER BY created_at, id')
      .all() as unknown as TokenRow[]
    return rows.map(toInfo)
  }

  /** Deletes the token and, through the foreign key, every browser session opened with it. */
  revokeToken(id: string): boolean {
    this.#resolved.clear()
    return Number(this.#db.prepare('DELETE FROM tokens WHERE id = ?').run(id).changes) > 0
  }

  /**
   * On first start creates the local developer's administrator token and writes it to
   * `<dataDir>/admin-token` (0600) for `npm run seed` and `npm run dev`. "First start" is: no
   * tokens at all (a new or reset auth database, whatever stale file lies around), or no
   * developer token and no file (tokens were created with the CLI before the lake first ran).
   * A developer token someone revoked stays revoked while its file is there.
   * Returns the file's path when it wrote one.
   */
  ensureDeveloperToken(dataDir: string): string | null {
    const file = join(dataDir, LAKE_DEV_TOKEN_FILE)
    const row = this.#db.prepare('SELECT count(*) AS n FROM tokens').get() as {n: number}
    const firstStart =
      row.n === 0 || (this.#tokenById(DEVELOPER_TOKEN_ID) === null && !existsSync(file))
    if (!firstStart) return null
    const {token} = this.createToken(DEVELOPER_TOKEN_NAME, 'administrator', DEVELOPER_TOKEN_ID)
    writeFileSync(file, token + '\n', {mode: DATA_FILE_MODE})
    // writeFileSync's mode applies only when it creates the file; an old file keeps its mode.
    chmodSync(file, DATA_FILE_MODE)
    return file
  }

  /**
   * A token for a service on this machine (an application's own writer), kept in `file` (0600) so
   * the service can read it. Made when neither the token nor its file exists, or when the token
   * exists but its file was lost (the clear token is then unknown: it is replaced). A token
   * someone revoked while its file is there stays revoked. Returns the file's path when written.
   */
  ensureServiceToken(file: string, token: {id: string; name: string; role: Role}): string | null {
    const exists = this.#tokenById(token.id) !== null
    const hasFile = existsSync(file)
    if (hasFile) return null
    if (exists) this.revokeToken(token.id)
    const created = this.createToken(token.name, token.role, token.id)
    writeFileSync(file, created.token + '\n', {mode: 0o600})
    chmodSync(file, 0o600)
    return file
  }

  #tokenById(id: string): TokenInfo | null {
    const row = this.#byId.get(id) as unknown as TokenRow | undefined
    return row ? toInfo(row) : null
  }

  #isAdminToken(token: string): boolean {
    if (!this.#adminTokenHash) return false
    return timingSafeEqual(this.#adminTokenHash, Buffer.from(sha256(token), 'hex'))
  }

  /** The identity a bearer token stands for, or null when it is unknown or revoked. */
  identityForToken(token: string): Identity | null {
    // A browser session handed to a Studio on another origin (`/auth/fetch?sid=`) is sent back
    // as a bearer token: it stands for its token, and dies with it (and with its expiry, which
    // the session lookup checks, so sessions are never cached).
    if (token.startsWith(SESSION_PREFIX)) {
      return this.#isAdminToken(token) ? ENV_ADMIN_IDENTITY : this.identityForSession(token)
    }
    const now = performance.now()
    if (now - this.#checkedAt >= REVOCATION_CHECK_MS) {
      this.#checkedAt = now
      const version = (this.#dataVersion.get() as {data_version: number}).data_version
      if (version !== this.#seenVersion) {
        this.#resolved.clear()
        this.#seenVersion = version
      }
    }
    const known = this.#resolved.get(token)
    if (known) return known
    let identity: Identity | null
    if (this.#isAdminToken(token)) identity = ENV_ADMIN_IDENTITY
    else {
      const row = this.#byHash.get(sha256(token)) as unknown as TokenRow | undefined
      identity = row ? identityOf(toInfo(row)) : null
    }
    // Unknown tokens are not remembered: guesses must not grow the map (and the guard counts them).
    if (identity) {
      if (this.#resolved.size >= MAX_RESOLVED_TOKENS) this.#resolved.clear()
      this.#resolved.set(token, identity)
    }
    return identity
  }

  /**
   * A user the lake knows by id (`GET /users/{ids}`): a token's holder (`p-<token id>`, gone
   * once the token is revoked) or the `LAKE_ADMIN_TOKEN` administrator while that is set.
   */
  userById(userId: string): Identity | null {
    if (userId === ENV_ADMIN_IDENTITY.id) return this.#adminTokenHash ? ENV_ADMIN_IDENTITY : null
    if (!userId.startsWith('p-')) return null
    const info = this.#tokenById(userId.slice(2))
    return info ? identityOf(info) : null
  }

  /**
   * The token a local developer's session with `role` stands for: the first-start administrator
   * token for `administrator`, else `localdev-<role>`, made on first use with a secret nobody
   * keeps (only sessions use it). Null when the administrator token was revoked.
   */
  #developerTokenFor(role: Role): string | null {
    if (role === 'administrator') {
      return this.#tokenById(DEVELOPER_TOKEN_ID) ? DEVELOPER_TOKEN_ID : null
    }
    const id = `${DEVELOPER_TOKEN_ID}-${role}`
    if (!this.#tokenById(id)) {
      this.createToken(`${DEVELOPER_TOKEN_NAME} (${ROLE_TITLES[role]})`, role, id)
    }
    return id
  }

  /**
   * Opens a browser session for a token (pasted on the login page) or for the local developer in
   * the role they chose; returns the cookie value, or null when the token is not valid.
   */
  createSession(source: {token: string} | {developer: Role}): string | null {
    let tokenId: string | null = null
    let kind: 'token' | 'env' = 'token'
    if ('developer' in source) {
      tokenId = this.#developerTokenFor(source.developer)
      if (!tokenId) return null
    } else if (this.#isAdminToken(source.token)) {
      kind = 'env'
    } else {
      const row = this.#byHash.get(sha256(source.token)) as unknown as TokenRow | undefined
      if (!row) return null
      tokenId = row.id
    }
    const sessionId = newSecret(SESSION_PREFIX)
    const now = Date.now()
    this.#db
      .prepare(
        'INSERT INTO sessions (hash, token_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(
        sha256(sessionId),
        tokenId,
        kind,
        new Date(now).toISOString(),
        new Date(now + SESSION_TTL_MS).toISOString(),
      )
    return sessionId
  }

  identityForSession(sessionId: string): Identity | null {
    const row = this.#session.get(sha256(sessionId)) as
      {token_id: string | null; kind: string; expires_at: string} | undefined
    if (!row || Date.parse(row.expires_at) < Date.now()) return null
    if (row.kind === 'env') return this.#adminTokenHash ? ENV_ADMIN_IDENTITY : null
    const info = row.token_id ? this.#tokenById(row.token_id) : null
    return info ? identityOf(info) : null
  }

  deleteSession(sessionId: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE hash = ?').run(sha256(sessionId))
  }

  /** `GET /users/me/keyvalue/{keys}`: one entry per key, `null` where nothing is stored. */
  getKeyValues(userId: string, keys: string[]): {key: string; value: unknown}[] {
    const select = this.#db.prepare('SELECT value FROM keyvalue WHERE user_id = ? AND key = ?')
    return keys.map((key) => {
      const row = select.get(userId, key) as {value: string} | undefined
      return {key, value: row ? (JSON.parse(row.value) as unknown) : null}
    })
  }

  /** `PUT /users/me/keyvalue`: a `null` value deletes the key. */
  setKeyValues(userId: string, pairs: {key: string; value: unknown}[]): void {
    const upsert = this.#db.prepare(
      'INSERT INTO keyvalue (user_id, key, value) VALUES (?, ?, ?) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value',
    )
    const remove = this.#db.prepare('DELETE FROM keyvalue WHERE user_id = ? AND key = ?')
    this.#db.exec('BEGIN')
    try {
      for (const {key, value} of pairs) {
        if (value === null || value === undefined) remove.run(userId, key)
        else upsert.run(userId, key, JSON.stringify(value))
      }
      this.#db.exec('COMMIT')
    } catch (error) {
      this.#db.exec('ROLLBACK')
      throw error
    }
  }
}
