import type {DatabaseSync, StatementSync} from 'node:sqlite'

import {evaluateSync} from 'groq-js'

import {checkQueryText, checkTree, runQueryWithBudget, withSyncLimit} from '../query/budget'
import {parseQuery, runQuery, runQueryAsync} from '../query/engine'
import {LISTEN_FILTER_LIMITS, LISTEN_FILTER_SLICE_MS} from '../query/limits'
import {type DatasetView, ViewRegistry} from '../query/views'
import {applyActions} from './actions'
import {databasePath, openDatabase} from './db'
import {isDiskFull, StoreFullError} from './diskFull'
import {GroupCommit} from './groupCommit'
import {generateTransactionId} from './ids'
import {openMirror} from './load'
import type {FieldPath} from './mirror'
import {writeSnapshot} from './snapshot'
import {PendingOverlay} from './pending'
import {redactHistory} from './redact'
import {applyMutations} from './mutations'
import {
  type Action,
  type CommitOptions,
  type CommittedTransaction,
  type DocumentChange,
  LakeError,
  type LakeStore,
  type Mutation,
  type QueryOptions,
  type QueryStats,
  type StoredDocument,
  type TransactionFilter,
  type TransactionLogEntry,
} from './types'
import {WorkingSet} from './working-set'

export {LakeError} from './types'
export {REDACTED_FIELD, redactedRevision} from './redact'
export type * from './types'

export interface OpenLakeStoreOptions {
  /** Directory for `lake.sqlite` (created when missing). */
  dataDir: string
  /** Where the store reports what it skipped or what failed after a commit (stderr by default). */
  log?: (message: string) => void
  /**
   * A cap on `lake.sqlite`'s size (SQLite's `max_page_count`): past it a write is refused exactly
   * as on a full disk (503, nothing stored). Unset: the disk is the limit.
   */
  maxDatabaseBytes?: number | undefined
  /**
   * Fields the application filters on, indexed from the start and never evicted, besides
   * `_type` and `slug.current`. Other fields earn an index by use (`indexPolicy.ts`).
   */
  indexedFields?: readonly FieldPath[] | undefined
  /**
   * Fields the application orders large lists by (`| order(publishedAt desc)[20...40]`): their
   * value is kept per document (`mirror.ts` `sortKeys`), so such a page reads only its own bodies
   * when the dataset is larger than the document cache.
   */
  orderedFields?: readonly FieldPath[] | undefined
  /**
   * How many parsed documents the store keeps in memory (`documentCache.ts`); the others are read
   * from `lake.sqlite` when a query needs them. Default `DEFAULT_DOCUMENT_CACHE_SIZE`.
   */
  documentCacheSize?: number | undefined
  /**
   * Names committed changes after which the document's earlier history must be redacted (an
   * erasure of personal data). In the same SQLite transaction as that write, every earlier
   * revision of the document (and of its draft and versions) becomes `redactedRevision(...)` and
   * every logged mutation that wrote it keeps only its kind and system fields (see `redact.ts`).
   * Unset: history is never rewritten.
   */
  redactsHistory?: ((change: DocumentChange) => boolean) | undefined
}

/**
 * A snapshot is saved once this many documents (and at least a tenth of the dataset) were written
 * since the last one, when no write is in flight: what a crash leaves to re-read stays bounded.
 */
const SNAPSHOT_AFTER_CHANGES = 20_000

interface TransactionRow {
  seq: number
  id: string
  timestamp: string
  author: string
  document_ids: string
  mutations: string
  changes: string
}

function cacheSizeFromEnv(): number | undefined {
  const value = Number(process.env['LAKE_DOCUMENT_CACHE_SIZE'])
  return Number.isInteger(value) && value > 0 ? value : undefined
}

function defaultLog(message: string): void {
  console.error(message)
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

/** The mutations a listener applies to `previous` to get `result`. */
function mutationsFor(change: Omit<DocumentChange, 'mutations'>): Mutation[] {
  return change.result ? [{createOrReplace: change.result}] : [{delete: {id: change.documentId}}]
}

export function openLakeStore({
  dataDir,
  log = defaultLog,
  maxDatabaseBytes,
  indexedFields,
  orderedFields,
  documentCacheSize,
  redactsHistory,
}: OpenLakeStoreOptions): LakeStore {
  const db: DatabaseSync = openDatabase(dataDir)
  if (maxDatabaseBytes !== undefined) {
    const {page_size: pageSize} = db.prepare('PRAGMA page_size').get() as {page_size: number}
    // A pragma takes no bound parameters; the value is an integer computed here.
    db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(maxDatabaseBytes / pageSize))}`)
  }

  const opened = openMirror(db, log, {
    indexedFields,
    orderedFields,
    // LAKE_DOCUMENT_CACHE_SIZE: e.g. a tiny cache, to run the test suites on bodies read on demand.
    documentCacheSize: documentCacheSize ?? cacheSizeFromEnv(),
  })
  const mirror = opened.mirror
  /** Documents written since the last snapshot (`changed_documents` holds their ids). */
  let changedSinceSnapshot = opened.reread
  const views = new ViewRegistry(mirror)
  const listeners = new Set<(transaction: CommittedTransaction) => void>()

  const statements = {
    upsert: db.prepare(
      'INSERT INTO documents (id, type, rev, json) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET type = excluded.type, rev = excluded.rev, json = excluded.json',
    ),
    remove: db.prepare('DELETE FROM documents WHERE id = ?'),
    /** The next start re-reads this row instead of trusting the snapshot (`snapshot.ts`). */
    markChanged: db.prepare('INSERT INTO changed_documents (id) VALUES (?) ON CONFLICT DO NOTHING'),
    insertTransaction: db.prepare(
      'INSERT INTO transactions (id, timestamp, author, document_ids, mutations, changes) ' +
        'VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertRevision: db.prepare(
      'INSERT INTO revisions (tx_seq, document_id, previous_rev, rev, json) VALUES (?, ?, ?, ?, ?)',
    ),
    savepoint: db.prepare('SAVEPOINT tx'),
    release: db.prepare('RELEASE tx'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO tx'),
    transactionExists: db.prepare('SELECT 1 AS found FROM transactions WHERE id = ?'),
    lastTimestamp: db.prepare('SELECT timestamp FROM transactions ORDER BY seq DESC LIMIT 1'),
    seqOf: db.prepare('SELECT seq FROM transactions WHERE id = ?'),
    /** The document's snapshot as of a transaction: its latest revision at or before it. */
    revisionAt: db.prepare(
      'SELECT json FROM revisions WHERE document_id = ? AND tx_seq <= ? ORDER BY tx_seq DESC LIMIT 1',
    ),
    lastExisting: db.prepare(
      'SELECT json FROM revisions WHERE document_id = ? AND json IS NOT NULL ORDER BY tx_seq DESC LIMIT 1',
    ),
    atTime: db.prepare(
      'SELECT r.json AS json FROM revisions r JOIN transactions t ON t.seq = r.tx_seq ' +
        'WHERE r.document_id = ? AND t.timestamp <= ? ORDER BY r.tx_seq DESC LIMIT 1',
    ),
  } satisfies Record<string, StatementSync>

  let lastTimestamp =
    (statements.lastTimestamp.get() as {timestamp: string} | undefined)?.timestamp ?? ''
  let closed = false

  /** Transaction timestamps never go backwards, so history by time stays ordered. */
  function nextTimestamp(): string {
    let now = new Date().toISOString()
    if (now <= lastTimestamp) now = new Date(Date.parse(lastTimestamp) + 1).toISOString()
    return now
  }

  const queryStats: Omit<QueryStats, 'indexedLookups' | 'textIndex'> = {subqueryEvaluations: 0}

  function runOptions(params: Record<string, unknown>, options: QueryOptions) {
    return {
      params,
      identity: options.identity,
      sanity: options.sanity,
      timestamp: options.timestamp,
      stats: queryStats,
    }
  }

  /** Saves the mirror's snapshot when no write is in flight (else the next chance does). */
  function saveSnapshot(): void {
    if (closed || !pipeline.idle || db.isTransaction || changedSinceSnapshot === 0) return
    try {
      const started = performance.now()
      writeSnapshot(db, mirror.snapshot())
      changedSinceSnapshot = 0
      const ms = performance.now() - started
      // Saving holds the event loop: worth a line when it is long (a million documents).
      if (ms > 500) log(`lake store: saved the mirror snapshot in ${Math.round(ms)} ms`)
    } catch (error) {
      // Only a shortcut for the next start: without it that start reads more rows.
      log(`lake store: could not save the mirror snapshot: ${describe(error)}`)
    }
  }
  let snapshotScheduled = false
  function noteChanges(count: number): void {
    changedSinceSnapshot += count
    if (snapshotScheduled) return
    if (changedSinceSnapshot < Math.max(SNAPSHOT_AFTER_CHANGES, mirror.size / 10)) return
    snapshotScheduled = true
    setImmediate(() => {
      snapshotScheduled = false
      saveSnapshot()
    }).unref()
  }

  const overlay = new PendingOverlay(mirror)
  const pipeline = new GroupCommit({
    db,
    walPath: `${databasePath(dataDir)}-wal`,
    overlay,
    publish(transaction) {
      // Only a durable transaction reaches readers and listeners.
      mirror.apply(transaction.changes.map((change) => [change.documentId, change.result]))
      noteChanges(transaction.changes.length)
      for (const listener of [...listeners]) {
        try {
          listener(transaction)
        } catch (error) {
          // A failing listener must not make a committed write look failed to its author.
          log(`lake listener failed: ${describe(error)}`)
        }
      }
    },
    onPublishError(transaction, error) {
      log(
        `lake store: transaction ${transaction.transactionId} is durable but could not be published: ${describe(error)}`,
      )
    },
  })

  // A start that re-read many rows saves a snapshot as soon as it can.
  noteChanges(0)
  // Without a saved text index, it is built in the background and then saved with a snapshot,
  // so only the first start on a data directory builds it.
  mirror.startTextIndex(() => {
    changedSinceSnapshot++
    setImmediate(saveSnapshot).unref()
  })

  function write(transaction: CommittedTransaction, errorType: string): void {
    const ids = transaction.changes.map((change) => change.documentId)
    // The rows change now, the mirror after the fsync: until then readers get these bodies from
    // memory. (A group SQLite rolls back later leaves its pins: they hold what the mirror serves.)
    mirror.pin(ids)
    statements.savepoint.run()
    try {
      for (const change of transaction.changes) {
        statements.markChanged.run(change.documentId)
        if (change.result) {
          statements.upsert.run(
            change.documentId,
            change.result._type,
            change.result._rev,
            JSON.stringify(change.result),
          )
        } else {
          statements.remove.run(change.documentId)
        }
      }
      const logged = statements.insertTransaction.run(
        transaction.transactionId,
        transaction.timestamp,
        transaction.author,
        JSON.stringify(transaction.changes.map((change) => change.documentId)),
        JSON.stringify(transaction.changes.flatMap((change) => change.mutations)),
        JSON.stringify(
          transaction.changes.map((change) => ({
            documentId: change.documentId,
            previousRev: change.previous?._rev ?? null,
            resultRev: change.result?._rev ?? null,
          })),
        ),
      )
      for (const change of transaction.changes) {
        statements.insertRevision.run(
          logged.lastInsertRowid,
          change.documentId,
          change.previous?._rev ?? null,
          change.result?._rev ?? null,
          change.result ? JSON.stringify(change.result) : null,
        )
      }
      // Inside the savepoint: the write and its redaction are stored together or not at all.
      for (const change of transaction.changes) {
        if (!redactsHistory?.(change)) continue
        redactHistory(db, change.documentId, Number(logged.lastInsertRowid))
      }
      statements.release.run()
    } catch (error) {
      // Some failures (SQLITE_FULL among them) make SQLite roll back the whole transaction, and
      // with it this savepoint: then there is nothing left to undo here (see `GroupCommit.stage`).
      if (db.isTransaction) {
        statements.rollbackToSavepoint.run()
        statements.release.run()
      }
      mirror.release(ids)
      if (isDiskFull(error)) throw new StoreFullError()
      throw new LakeError(500, errorType, `Could not store the transaction: ${String(error)}`)
    }
  }

  async function commit(
    options: CommitOptions,
    errorType: 'mutationError' | 'actionError',
    apply: (set: WorkingSet) => void,
  ): Promise<CommittedTransaction> {
    if (closed) throw new LakeError(503, 'storeClosed', 'The lake store is closed')
    const transactionId = options.transactionId ?? generateTransactionId()
    if (typeof transactionId !== 'string' || transactionId === '') {
      throw new LakeError(400, errorType, 'transactionId must be a non-empty string')
    }
    // The open group's rows are visible here too: this connection wrote them.
    if (statements.transactionExists.get(transactionId)) {
      throw new LakeError(409, errorType, `Transaction ID "${transactionId}" has already been used`)
    }
    const timestamp = nextTimestamp()
    const set = new WorkingSet({
      source: overlay,
      transactionId,
      timestamp,
      canWrite: options.canWrite,
      errorType,
    })
    apply(set)

    const changes: DocumentChange[] = set.changes().map((change) => ({
      ...change,
      mutations: mutationsFor(change),
    }))
    options.checkChanges?.(changes)
    // After the access and application rules: a caller who may not make the change at all
    // learns nothing about who references what.
    set.checkReferences(options.canRead)
    const transaction: CommittedTransaction = {
      transactionId,
      timestamp,
      author: options.identity.id,
      changes,
      results: changes.map((change) => ({
        id: change.documentId,
        operation: !change.result ? 'delete' : change.previous ? 'update' : 'create',
      })),
    }
    // Every check ran and the result is computed; a dry run stops before anything is written.
    if (options.dryRun) return transaction

    const durable = pipeline.stage(transaction, () => write(transaction, errorType))
    lastTimestamp = timestamp
    await durable
    return transaction
  }

  function viewFor(options: QueryOptions): DatasetView {
    const perspective = options.perspective === 'previewDrafts' ? 'drafts' : options.perspective
    if (perspective !== 'raw' && perspective !== 'drafts' && perspective !== 'published') {
      throw new LakeError(400, 'invalidPerspective', `Unknown perspective "${String(perspective)}"`)
    }
    return views.view(perspective, options.canRead, options.accessKey)
  }

  return {
    async mutate(mutations: Mutation[], options: CommitOptions): Promise<CommittedTransaction> {
      if (!Array.isArray(mutations)) {
        throw new LakeError(400, 'mutationError', 'mutations must be an array')
      }
      return commit(options, 'mutationError', (set) =>
        applyMutations(set, mutations, options.canRead),
      )
    },

    async act(actions: Action[], options: CommitOptions): Promise<CommittedTransaction> {
      if (!Array.isArray(actions)) {
        throw new LakeError(400, 'actionError', 'actions must be an array')
      }
      return commit(options, 'actionError', (set) => applyActions(set, actions))
    },

    getDocuments(ids, canRead) {
      return ids.map((id) => {
        const doc = mirror.get(id)
        return doc && canRead(id) ? doc : null
      })
    },

    query(query: string, params: Record<string, unknown>, options: QueryOptions) {
      const started = performance.now()
      const result = runQuery(query, viewFor(options), runOptions(params, options))
      return {result, ms: performance.now() - started}
    },

    async queryAsync(query: string, params: Record<string, unknown>, options: QueryOptions) {
      const started = performance.now()
      const result = await runQueryAsync(query, viewFor(options), runOptions(params, options))
      return {result, ms: performance.now() - started}
    },

    async queryWithinBudget(query, params, options) {
      const started = performance.now()
      const json = await runQueryWithBudget(query, viewFor(options), runOptions(params, options), {
        query,
        limits: options.limits,
        signal: options.signal,
        startedAt: started,
      })
      return {json, ms: performance.now() - started}
    },

    listenFilter(query: string, params: Record<string, unknown>) {
      // Parse errors and limits surface now, so the HTTP layer can refuse the listener with them.
      checkQueryText(query, LISTEN_FILTER_LIMITS)
      const tree = parseQuery(query, params)
      checkTree(query, tree, LISTEN_FILTER_LIMITS)
      const tooSlow = () =>
        new LakeError(
          422,
          'queryTimeoutError',
          `Listener filter took more than ${LISTEN_FILTER_SLICE_MS} ms on one document ` +
            '(the limit per document for listen filters)',
          {query, start: 0, end: query.length},
        )
      const evaluate = (document: StoredDocument) =>
        withSyncLimit(
          LISTEN_FILTER_SLICE_MS,
          () => evaluateSync(tree, {dataset: [document], params}),
          tooSlow,
        )
      /**
       * The slice is wall-clock time: one overrun can be the machine's rather than the filter's
       * (a garbage collection, or the process descheduled on a busy machine), and closing the
       * listener then breaks a Studio pane for nothing. Only a second overrun in a row, on the
       * same document, is taken as the filter's own; a pathological filter still ends within two
       * slices.
       */
      const evaluateTwiceIfSlow = (document: StoredDocument) => {
        try {
          return evaluate(document)
        } catch (error) {
          if (!(error instanceof LakeError)) throw error
          return evaluate(document)
        }
      }
      return (document: StoredDocument) => {
        try {
          const value = evaluateTwiceIfSlow(document)
          const data: unknown = value.data
          return Array.isArray(data) ? data.length > 0 : data === true
        } catch (error) {
          // Over its time limit the filter ends its listener (thrown to the hub).
          if (error instanceof LakeError) throw error
          // A filter that cannot be evaluated on this document (e.g. an unknown function) does
          // not match it; one bad listener must not break delivery to the others.
          return false
        }
      }
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },

    transactions(filter: TransactionFilter) {
      const where: string[] = []
      const args: (string | number)[] = []
      if (filter.fromTime) {
        where.push('timestamp >= ?')
        args.push(filter.fromTime)
      }
      if (filter.toTime) {
        where.push('timestamp <= ?')
        args.push(filter.toTime)
      }
      for (const [bound, op] of [
        [filter.fromTransaction, '>='],
        [filter.toTransaction, '<='],
      ] as const) {
        if (bound === undefined) continue
        // An unknown transaction id bounds nothing in (NULL comparisons are never true).
        where.push(`seq ${op} (SELECT seq FROM transactions WHERE id = ?)`)
        args.push(bound)
      }
      if (filter.documentIds && filter.documentIds.length > 0) {
        where.push(
          `seq IN (SELECT tx_seq FROM revisions WHERE document_id IN (${filter.documentIds.map(() => '?').join(', ')}))`,
        )
        args.push(...filter.documentIds)
      }
      let sql = 'SELECT * FROM transactions'
      if (where.length > 0) sql += ' WHERE ' + where.join(' AND ')
      sql += filter.reverse ? ' ORDER BY seq DESC' : ' ORDER BY seq'
      if (filter.limit !== undefined) {
        sql += ' LIMIT ?'
        args.push(filter.limit)
      }
      return (db.prepare(sql).all(...args) as unknown as TransactionRow[]).map((row) => {
        const entry: TransactionLogEntry = {
          id: row.id,
          timestamp: row.timestamp,
          author: row.author,
          documentIDs: JSON.parse(row.document_ids) as string[],
          mutations: JSON.parse(row.mutations) as Mutation[],
          changes: JSON.parse(row.changes) as TransactionLogEntry['changes'],
        }
        if (filter.includeDocuments) {
          entry.documents = {}
          for (const id of entry.documentIDs) {
            const result = statements.revisionAt.get(id, row.seq) as
              {json: string | null} | undefined
            const previous = statements.revisionAt.get(id, row.seq - 1) as
              {json: string | null} | undefined
            entry.documents[id] = {
              previous: previous?.json ? (JSON.parse(previous.json) as StoredDocument) : null,
              result: result?.json ? (JSON.parse(result.json) as StoredDocument) : null,
            }
          }
        }
        return entry
      })
    },

    documentAt(documentId, at) {
      let row: {json: string | null} | undefined
      if (at.revision !== undefined) {
        const tx = statements.seqOf.get(at.revision) as {seq: number} | undefined
        if (!tx) return null
        row = statements.revisionAt.get(documentId, tx.seq) as typeof row
      } else if (at.time !== undefined) {
        row = statements.atTime.get(documentId, at.time) as typeof row
      } else if (at.lastRevision) {
        row = statements.lastExisting.get(documentId) as typeof row
      } else {
        return mirror.get(documentId) ?? null
      }
      return row?.json ? (JSON.parse(row.json) as StoredDocument) : null
    },

    *allDocuments() {
      // In batches, past the document cache: an export does not evict what readers use.
      yield* mirror.scan()
    },

    stats() {
      return {...pipeline.stats}
    },

    readGeneration() {
      return mirror.generation
    },

    queryStats() {
      return {...queryStats, indexedLookups: mirror.indexUses(), textIndex: mirror.textIndexState}
    },

    close() {
      if (closed) return
      // Writes already staged are committed, and their authors answered, before the file closes.
      pipeline.drain()
      mirror.stopTextIndex()
      // The next start restores this instead of reading every document.
      saveSnapshot()
      closed = true
      listeners.clear()
      db.close()
    },
  }
}
