import {closeSync, fdatasync, fdatasyncSync, fsyncSync, openSync} from 'node:fs'
import {dirname} from 'node:path'
import type {DatabaseSync} from 'node:sqlite'

import {isDiskFull, StoreFullError} from './diskFull'
import type {PendingOverlay} from './pending'
import {type CommittedTransaction, LakeError} from './types'

/** `fs.fdatasync`'s shape. */
export type SyncFile = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void

interface Staged {
  transaction: CommittedTransaction
  done: (error?: LakeError) => void
}

interface Group {
  /** Orders groups; the overlay forgets a group's writes by it once they are durable. */
  seq: number
  staged: Staged[]
  timer: NodeJS.Immediate | undefined
}

/**
 * Group commit, pipelined. Transactions staged in the same turn of the event loop share one
 * SQLite transaction (each in its own SAVEPOINT, so a failing one leaves the others), which
 * COMMITs to the write-ahead log at the end of that turn. The WAL is then fsynced off the event
 * loop; while one fsync runs, later groups commit behind it and the next fsync carries them all.
 * Only once its fsync has returned is a transaction published (the mirror, listeners) and its
 * author answered: nothing that is not on disk is ever read or acknowledged.
 *
 * SQLite itself runs with `synchronous = NORMAL` (see `db.ts`): its COMMIT writes the WAL
 * without syncing, and this fsync is what makes a write durable. A failed fsync leaves the
 * durability of everything since the last good one unknown, so the store stops taking writes
 * (the PostgreSQL answer to the "fsyncgate" lesson) until it is reopened.
 */
export class GroupCommit {
  private open: Group | null = null
  /** Committed to the WAL, waiting for an fsync. */
  private committed: Group[] = []
  /** The groups the running fsync will make durable. */
  private syncing: Group[] | null = null
  private seq = 0
  private walFd: number | undefined
  private failure: LakeError | undefined
  readonly stats = {transactions: 0, fsyncs: 0}

  private readonly db: DatabaseSync
  private readonly walPath: string
  private readonly overlay: PendingOverlay
  private readonly publish: (transaction: CommittedTransaction) => void
  private readonly onPublishError: (transaction: CommittedTransaction, error: unknown) => void
  private readonly sync: SyncFile

  constructor(options: {
    db: DatabaseSync
    /** The database file's `-wal`. */
    walPath: string
    overlay: PendingOverlay
    /** Shows a durable transaction to readers and listeners, in commit order. */
    publish: (transaction: CommittedTransaction) => void
    /** Told when `publish` throws; the transaction is durable all the same. */
    onPublishError?: (transaction: CommittedTransaction, error: unknown) => void
    /** `fs.fdatasync`; tests pass one that fails, as a dying disk would. */
    sync?: SyncFile
  }) {
    this.sync = options.sync ?? fdatasync
    this.onPublishError =
      options.onPublishError ??
      ((transaction, error) =>
        console.error(`transaction ${transaction.transactionId} not published`, error))
    this.db = options.db
    this.walPath = options.walPath
    this.overlay = options.overlay
    this.publish = options.publish
  }

  /**
   * Runs `write` (the transaction's rows) inside the open group, and resolves once the
   * transaction is durable and published. A throwing `write` must have undone its own rows.
   */
  stage(transaction: CommittedTransaction, write: () => void): Promise<void> {
    if (this.failure) throw this.failure
    if (!this.open) {
      this.db.exec('BEGIN IMMEDIATE')
      const group: Group = {seq: ++this.seq, staged: [], timer: undefined}
      group.timer = setImmediate(() => this.commitOpen())
      this.open = group
    }
    const group = this.open
    try {
      write()
    } catch (error) {
      // SQLite rolled back the whole transaction (a full disk does that): the rows of every
      // request staged in this group are gone, so none of them may be acknowledged.
      if (!this.db.isTransaction) this.abandonOpen(error)
      throw error
    }
    this.overlay.record(transaction.changes, group.seq)
    return new Promise<void>((resolve, reject) => {
      group.staged.push({transaction, done: (error) => (error ? reject(error) : resolve())})
    })
  }

  /**
   * Nothing staged, committing or waiting for its fsync, and no failed fsync: the mirror holds
   * exactly what the table holds (when the store may snapshot it).
   */
  get idle(): boolean {
    return !this.open && this.committed.length === 0 && !this.syncing && !this.failure
  }

  /** Commits and fsyncs everything staged, synchronously: the store is closing. */
  drain(): void {
    this.commitOpen()
    const batch = [...(this.syncing ?? []), ...this.committed.splice(0)]
    // The running fsync's callback finds `syncing` changed and leaves its groups alone.
    this.syncing = null
    if (batch.length > 0) {
      try {
        fdatasyncSync(this.wal())
        this.durable(batch)
      } catch (error) {
        this.fail(batch, error)
      }
    }
    if (this.walFd !== undefined) closeSync(this.walFd)
    this.walFd = undefined
  }

  /** The open group's transaction is gone: its authors are told, nothing of it was stored. */
  private abandonOpen(cause: unknown): void {
    const group = this.open
    if (!group) return
    this.open = null
    clearImmediate(group.timer)
    const failure =
      cause instanceof LakeError
        ? cause
        : new LakeError(500, 'storeError', `Could not store the transaction: ${String(cause)}`)
    for (const {done} of group.staged) done(failure)
    this.overlay.rebuild([...(this.syncing ?? []), ...this.committed].map(overlayEntry))
  }

  private commitOpen(): void {
    const group = this.open
    if (!group) return
    this.open = null
    clearImmediate(group.timer)
    try {
      this.db.exec('COMMIT')
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK')
      // Nothing of the group was acknowledged or shown to a reader, so its authors may retry.
      const failure = isDiskFull(error)
        ? new StoreFullError()
        : new LakeError(500, 'storeError', `Could not store the transaction: ${error}`)
      for (const {done} of group.staged) done(failure)
      this.overlay.rebuild([...(this.syncing ?? []), ...this.committed].map(overlayEntry))
      return
    }
    this.committed.push(group)
    this.syncNext()
  }

  private syncNext(): void {
    if (this.syncing || this.committed.length === 0) return
    const batch = this.committed.splice(0)
    this.syncing = batch
    let fd: number
    try {
      fd = this.wal()
    } catch (error) {
      this.syncing = null
      this.fail(batch, error)
      return
    }
    this.sync(fd, (error) => {
      if (this.syncing !== batch) return
      this.syncing = null
      if (error) {
        this.fail(batch, error)
        return
      }
      this.durable(batch)
      this.syncNext()
    })
  }

  private durable(batch: Group[]): void {
    this.stats.fsyncs++
    const last = batch.at(-1)
    if (last) this.overlay.forget(last.seq)
    for (const group of batch) {
      this.stats.transactions += group.staged.length
      for (const {transaction} of group.staged) {
        // This runs in the fsync's callback: a throw here would end the process, and leave the
        // rest of the batch unpublished and its authors unanswered. The write is on disk, so its
        // author is answered as usual; the failure is reported.
        try {
          this.publish(transaction)
        } catch (error) {
          this.onPublishError(transaction, error)
        }
      }
    }
    for (const group of batch) for (const {done} of group.staged) done()
  }

  private fail(batch: Group[], error: unknown): void {
    this.failure = new LakeError(
      503,
      'storeUnavailable',
      `The lake could not make writes durable (${String(error)}); restart it`,
    )
    const waiting = [...batch, ...(this.syncing ?? []), ...this.committed.splice(0)]
    this.syncing = null
    for (const group of waiting) for (const {done} of group.staged) done(this.failure)
    this.overlay.rebuild([])
  }

  /** The WAL's descriptor, opened on first use (SQLite creates the file on the first write). */
  private wal(): number {
    if (this.walFd === undefined) {
      this.walFd = openSync(this.walPath, 'r')
      // A newly created WAL must survive as a directory entry too.
      const dir = openSync(dirname(this.walPath), 'r')
      try {
        fsyncSync(dir)
      } finally {
        closeSync(dir)
      }
    }
    return this.walFd
  }
}

function overlayEntry(group: Group) {
  return {seq: group.seq, changes: group.staged.flatMap(({transaction}) => transaction.changes)}
}
