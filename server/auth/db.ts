import {join} from 'node:path'
import type {DatabaseSync} from 'node:sqlite'

import {ensurePrivateDir, openPrivateDatabase} from '../permissions'

/**
 * The lake's own auth database, `<dataDir>/auth.sqlite`, beside the store's `lake.sqlite`.
 *
 * A separate file keeps the store engineer's schema and migrations independent of ours, and lets
 * `npm run token` (another process) create and revoke tokens while the lake runs: SQLite in WAL
 * mode takes concurrent readers and a writer across processes.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS tokens (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('administrator', 'editor', 'reviewer', 'viewer')),
  hash       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  hash       TEXT PRIMARY KEY,
  token_id   TEXT REFERENCES tokens (id) ON DELETE CASCADE,
  kind       TEXT NOT NULL CHECK (kind IN ('token', 'env')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS keyvalue (
  user_id TEXT NOT NULL,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
`

export const AUTH_DB_FILE = 'auth.sqlite'

export function openAuthDatabase(dataDir: string): DatabaseSync {
  ensurePrivateDir(dataDir)
  const db = openPrivateDatabase(join(dataDir, AUTH_DB_FILE))
  db.exec('PRAGMA journal_mode = WAL')
  // A revoked token must stay revoked after a crash: fsync every commit (writes here are rare).
  db.exec('PRAGMA synchronous = FULL')
  db.exec('PRAGMA foreign_keys = ON')
  db.exec('PRAGMA busy_timeout = 5000')
  db.exec(SCHEMA)
  return db
}
