/**
 * The contract between the lake's store (`server/store`, `server/query`) and its HTTP layer
 * (`server/http`, `server/auth`). Shapes follow Sanity's HTTP API so they can be sent as they are.
 */
import type {Role} from '../../lib/roles'

export type {Role}

import type {QueryLimits} from '../query/limits'

export type Perspective = 'raw' | 'drafts' | 'published'

export interface Identity {
  /** Sanity-style user id, e.g. `p-localdev`; `anonymous` without a token. */
  id: string
  name: string
  role: Role | 'anonymous'
}

/**
 * A stored document: always has the system fields the lake maintains. Documents the store hands
 * out are shared with its in-memory mirror: treat them as read-only.
 */
export interface StoredDocument {
  _id: string
  _type: string
  _rev: string
  _createdAt: string
  _updatedAt: string
  [field: string]: unknown
}

/** A document as a client sends it (system fields optional; `_id` may be missing on create). */
export interface DocumentInput {
  _id?: string
  _type: string
  [field: string]: unknown
}

/** A patch as Sanity's mutate API and `sanity.action.document.edit` take it. */
export interface PatchOperations {
  id?: string
  query?: string
  params?: Record<string, unknown>
  ifRevisionID?: string
  set?: Record<string, unknown>
  setIfMissing?: Record<string, unknown>
  unset?: string[]
  inc?: Record<string, number>
  dec?: Record<string, number>
  insert?: Record<string, unknown>
  diffMatchPatch?: Record<string, string>
}

export type Mutation =
  | {create: DocumentInput}
  | {createOrReplace: DocumentInput & {_id: string}}
  | {createIfNotExists: DocumentInput & {_id: string}}
  | {delete: {id?: string; query?: string; params?: Record<string, unknown>}}
  | {patch: PatchOperations}

/** One `sanity.action.*` item of `POST /data/actions` (see the lake contract notes). */
export interface Action {
  actionType: string
  [field: string]: unknown
}

/** What one committed transaction did to one document, in the order it happened. */
export interface DocumentChange {
  documentId: string
  previous: StoredDocument | null
  result: StoredDocument | null
  /** Mutations that turn `previous` into `result`, as listeners receive them. */
  mutations: Mutation[]
}

export interface CommittedTransaction {
  /** The client's `transactionId` when it sent one, else generated; every `_rev` it wrote. */
  transactionId: string
  timestamp: string
  /** The user id of the identity that wrote it. */
  author: string
  changes: DocumentChange[]
  /** One per document touched, as `POST /data/mutate` returns them. */
  results: {id: string; operation: 'create' | 'update' | 'delete'}[]
}

export interface CommitOptions {
  identity: Identity
  transactionId?: string
  /** Run every check and compute the result, then write nothing. */
  dryRun?: boolean
  /** Decides whether the identity may write this document id; a `false` fails the whole request (403). */
  canWrite: (documentId: string) => boolean
  /** Decides which documents query-based patches and deletes can see. */
  canRead: (documentId: string) => boolean
  /**
   * The last word on a computed transaction before anything is written: rules that depend on the
   * change itself (who may delete what, workflow moves). Throw a `LakeError` to refuse it all.
   */
  checkChanges?: (changes: readonly DocumentChange[]) => void
}

export interface QueryOptions {
  /** `previewDrafts` is the legacy name of `drafts` and is accepted as such. */
  perspective: Perspective | 'previewDrafts'
  /** Documents the caller may not read are invisible to the query, dereferences included. */
  canRead: (documentId: string) => boolean
  identity?: string
  /**
   * Names the reader's access class (e.g. the role) so its visible datasets are cached across
   * queries until the next commit. Without it, caches are keyed by the `canRead` function itself:
   * pass one function instance per role, not a new closure per request.
   */
  accessKey?: string | undefined
  /** Answers `sanity::projectId()` and `sanity::dataset()` (null without it). */
  sanity?: {projectId: string; dataset: string}
  /** What `now()` answers; the time of the request without it (tests compare answers with it). */
  timestamp?: Date
}

/** Selects log entries; every bound is inclusive. Studio's history panel sends the `*Transaction` ones. */
export interface TransactionFilter {
  /** Only transactions that touched one of these documents. */
  documentIds?: string[]
  fromTime?: string
  toTime?: string
  /** Start at this transaction (inclusive). */
  fromTransaction?: string
  /** End at this transaction (inclusive). */
  toTransaction?: string
  /** Newest first (the Studio sends `reverse=true`); `limit` then keeps the newest. */
  reverse?: boolean
  limit?: number
  /** Add each entry's `documents` (previous and result per document), for mendoza `effects`. */
  includeDocuments?: boolean
}

export interface TransactionLogEntry {
  id: string
  timestamp: string
  author: string
  documentIDs: string[]
  /** The mutations that turn each document's previous state into its result (as `DocumentChange`). */
  mutations: Mutation[]
  /** Per document: its `_rev` before and after (`null` = did not exist / deleted). */
  changes: {documentId: string; previousRev: string | null; resultRev: string | null}[]
  /** With `includeDocuments`: each touched document before and after this transaction. */
  documents?: Record<string, {previous: StoredDocument | null; result: StoredDocument | null}>
}

/** An error with Sanity's error shape: `{error: {type, description, ...details}}` and a status. */
export class LakeError extends Error {
  readonly statusCode: number
  readonly type: string
  readonly details: Record<string, unknown>

  constructor(
    statusCode: number,
    type: string,
    description: string,
    details: Record<string, unknown> = {},
  ) {
    super(description)
    this.statusCode = statusCode
    this.type = type
    this.details = details
  }

  toJSON(): {error: Record<string, unknown>; statusCode: number} {
    return {
      error: {type: this.type, description: this.message, ...this.details},
      statusCode: this.statusCode,
    }
  }
}

/** What the query engine did since the store opened. */
export interface QueryStats {
  /** Hoisted subqueries evaluated: once per query each, however many rows read them. */
  subqueryEvaluations: number
  /** Filters answered from a field index, by the path's JSON (`["status"]`): the planner's explain. */
  indexedLookups: Record<string, number>
  /**
   * Whether the text index covers every document (until then `match` and `text::query()` are
   * answered by groq-js reading the documents), and how many it covers so far.
   */
  textIndex: {ready: boolean; documents: number}
}

export interface LakeStore {
  /**
   * `POST /data/mutate`: all-or-nothing. Resolves once the transaction is durable (fsynced with
   * the others of its commit group) and visible to readers and listeners; rejects with a
   * `LakeError` having changed nothing.
   */
  mutate(mutations: Mutation[], options: CommitOptions): Promise<CommittedTransaction>
  /** `POST /data/actions`: the Studio's writes, same guarantees as `mutate`. */
  act(actions: Action[], options: CommitOptions): Promise<CommittedTransaction>
  /** `GET /data/doc`: raw documents by id, `null` where missing or not readable. */
  getDocuments(ids: string[], canRead: (documentId: string) => boolean): (StoredDocument | null)[]
  /** `GET|POST /data/query` through groq-js and the planner; throws LakeError on parse errors. */
  query(
    query: string,
    params: Record<string, unknown>,
    options: QueryOptions,
  ): {result: unknown; ms: number}
  /**
   * `query`, falling back to groq-js's asynchronous evaluator for the functions it implements
   * only there (`diff::changedAny`, `diff::changedOnly`, `delta::*`); `query` answers those 400.
   */
  queryAsync(
    query: string,
    params: Record<string, unknown>,
    options: QueryOptions,
  ): Promise<{result: unknown; ms: number}>
  /**
   * `query` for requests from outside: within `limits` (parse work, time, result size), yielding
   * the event loop to other requests while it runs and stopping when `signal` aborts (the client
   * went away). Resolves with the result as JSON text; rejects with a `LakeError` naming the limit.
   */
  queryWithinBudget(
    query: string,
    params: Record<string, unknown>,
    options: QueryOptions & {limits: QueryLimits; signal?: AbortSignal},
  ): Promise<{json: string; ms: number}>
  /**
   * A predicate for `GET /data/listen`: does this document match the listener's query? Throws a
   * `LakeError` for a filter over the listen limits, and (from the predicate) for one that runs
   * past its time limit on a document.
   */
  listenFilter(
    query: string,
    params: Record<string, unknown>,
  ): (document: StoredDocument) => boolean
  /** Called after every committed (non-dry-run) transaction, in commit order. */
  subscribe(listener: (transaction: CommittedTransaction) => void): () => void
  /** The transaction log, oldest first, for history and listen resume. */
  transactions(filter: TransactionFilter): TransactionLogEntry[]
  /**
   * A document as it was right after transaction `revision` committed (whether or not that
   * transaction touched it), or at `time`, or its last existing version (`lastRevision`, to restore
   * a deleted document). `null` where it did not exist then. With none of them: as it is now.
   */
  documentAt(
    documentId: string,
    at: {revision?: string; time?: string; lastRevision?: boolean},
  ): StoredDocument | null
  /** Every stored document, ordered by `_id` (export). */
  allDocuments(): Iterable<StoredDocument>
  /** Since the store opened: transactions made durable, and the WAL fsyncs that took. */
  stats(): {transactions: number; fsyncs: number}
  /**
   * A number that changes whenever what a query could read changes (every applied commit): an
   * answer computed at one generation is the answer for as long as the generation stays.
   */
  readGeneration(): number
  /** Since the store opened: what the query planner did (hoisted subqueries evaluated...). */
  queryStats(): QueryStats
  close(): void
}

/** A refusal the same request may get past later (a full disk, too many attempts): `Retry-After`. */
export class RetryLaterError extends LakeError {
  readonly retryAfterSeconds: number

  constructor(statusCode: number, type: string, description: string, retryAfterSeconds: number) {
    super(statusCode, type, description)
    this.retryAfterSeconds = retryAfterSeconds
  }
}
