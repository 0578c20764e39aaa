/**
 * The data directory's permissions: it holds feedback text, token hashes and the TLS key, so it is
 * the owner's alone. Modes are set explicitly (never left to the umask): on creation, and again
 * whenever an existing directory is opened, so a directory made by an older version (0755, files
 * 0644) is closed up on the next start.
 */
import {chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'

/** The data directory and every directory in it: owner only. */
export const DATA_DIR_MODE = 0o700
/** Every file in it, databases, their WAL and shared memory, keys and tokens: owner read/write. */
export const DATA_FILE_MODE = 0o600

/** Creates the directory (and missing parents) or closes up an existing one. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, {recursive: true, mode: DATA_DIR_MODE})
  chmodSync(dir, DATA_DIR_MODE)
}

/** SQLite's companions of a database file, which it creates with the database file's own mode. */
const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal']

/**
 * Opens a SQLite database whose file, WAL and shared memory are 0600. SQLite would create the file
 * 0644 (less the umask); created empty beforehand with 0600, it is a new database all the same,
 * and SQLite gives the `-wal` and `-shm` files it creates later the database file's mode. Files
 * left by an earlier run are chmodded before SQLite reads them.
 */
export function openPrivateDatabase(path: string): DatabaseSync {
  closeSync(openSync(path, 'a', DATA_FILE_MODE))
  for (const file of [path, ...SQLITE_COMPANIONS.map((suffix) => path + suffix)]) {
    if (existsSync(file)) chmodSync(file, DATA_FILE_MODE)
  }
  return new DatabaseSync(path)
}

/**
 * Sets every directory under `root` (itself included) to 0700 and every file to 0600: what a
 * start does to a directory it finds, so nothing written by an older version stays readable.
 */
export function restrictTree(root: string): void {
  const stack = [root]
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    chmodSync(dir, DATA_DIR_MODE)
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) stack.push(path)
      else if (entry.isFile()) chmodSync(path, DATA_FILE_MODE)
    }
  }
}
