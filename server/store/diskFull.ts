/**
 * A full disk (or a database at its size cap) is an outage the author of a write can wait out,
 * not a fault in their request: it is answered 503 with `Retry-After`, as the feedback intake
 * answers any write it could not store, and nothing of the write is kept.
 */
import {RetryLaterError} from './types'

/**
 * Space comes back when someone frees it or SQLite checkpoints its write-ahead log: minutes, not
 * milliseconds. A minute keeps well-behaved clients from hammering a full disk.
 */
export const STORE_FULL_RETRY_AFTER_SECONDS = 60

/** SQLite's primary result code for "database or disk is full" (extended codes share its low byte). */
const SQLITE_FULL = 13

/** SQLITE_FULL from `node:sqlite`, or ENOSPC / EDQUOT from the file system. */
export function isDiskFull(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const {errcode, code} = error as {errcode?: unknown; code?: unknown}
  if (typeof errcode === 'number' && (errcode & 0xff) === SQLITE_FULL) return true
  return code === 'ENOSPC' || code === 'EDQUOT'
}

export class StoreFullError extends RetryLaterError {
  constructor() {
    super(
      503,
      'storeFullError',
      'The lake has no room to store this write (its disk or database is full); nothing was stored. Try again later.',
      STORE_FULL_RETRY_AFTER_SECONDS,
    )
  }
}
