/**
 * The `/data/*` endpoints: query, doc, mutate, actions, history, export and references. Each one
 * hands the request's identity to the store as `canRead`/`canWrite` predicates, so access rules
 * apply inside queries and transactions, not around them.
 */
import type {Access} from '../auth/access'
import type {WriteErrorType, WriteRules} from '../auth/writeRules'
import {limitsFor} from '../query/limits'
import {getPublishedId} from '../store/ids'
import {
  type Action,
  type CommitOptions,
  type Identity,
  type LakeStore,
  type Mutation,
  type Perspective,
  type StoredDocument,
  type TransactionLogEntry,
} from '../store/types'
import {
  flag,
  forbidden,
  httpError,
  isRecord,
  type LakeRequest,
  type LakeResponse,
  readJson,
  refuseDeepJson,
  sendJson,
  sendText,
  unauthorized,
  withoutRev,
} from './common'
import {AnswerCache} from './answers'
import {syncTagsFor} from './live'

export interface DataContext {
  store: LakeStore
  identity: Identity
  /** The lake's access table and write rules, with the application's additions. */
  access: Access
  writeRules: WriteRules
  /** The request's API version without the `v` (`2025-02-19`, `1`, `X`), null when unversioned. */
  apiVersion: string | null
  /** Finished query answers, kept until their reader may see a change (`answers.ts`). */
  answers?: AnswerCache | undefined
}

/** Content Lake changed the default perspective to `published` in API version 2025-02-19. */
export function defaultPerspective(apiVersion: string | null): Perspective {
  if (apiVersion === null || apiVersion === 'X') return 'published'
  if (/^\d{4}-\d{2}-\d{2}$/.test(apiVersion)) {
    return apiVersion >= '2025-02-19' ? 'published' : 'raw'
  }
  return 'raw'
}

/**
 * `perspective` as clients send it: one name, or a comma-separated release stack such as
 * `rABC,drafts` (releases are a cloud feature; the stack is read as its drafts/published base).
 */
export function parsePerspective(value: unknown, apiVersion: string | null): Perspective {
  if (value === undefined || value === null || value === '') return defaultPerspective(apiVersion)
  const names = (Array.isArray(value) ? value : String(value).split(',')).map((name) =>
    String(name).trim(),
  )
  if (names.length === 1) {
    const [name] = names
    if (name === 'raw' || name === 'published' || name === 'drafts') return name
    if (name === 'previewDrafts') return 'drafts'
  } else if (names.every((name) => name !== 'raw')) {
    return names.includes('published') && !names.includes('drafts') ? 'published' : 'drafts'
  }
  throw httpError(
    400,
    'invalidPerspectiveError',
    `Invalid perspective "${names.join(',')}": use raw, published or drafts`,
  )
}

/** `$name=<JSON>` query-string parameters, as @sanity/client encodes them. */
export function queryStringParams(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of params) {
    if (!key.startsWith('$')) continue
    refuseDeepJson(value, `The value of "${key}"`)
    try {
      // Defined, not assigned: `out["__proto__"] = …` would set the object's prototype and the
      // parameter would be lost, where a POST body's JSON keeps it as an own property.
      Object.defineProperty(out, key.slice(1), {
        value: JSON.parse(value) as unknown,
        enumerable: true,
        writable: true,
        configurable: true,
      })
    } catch {
      throw httpError(
        400,
        'queryParseError',
        `Unable to parse value of "${key}=${value}". Please quote string values.`,
      )
    }
  }
  return out
}

export function requireDataset(datasetName: string | undefined, dataset: string): void {
  if (datasetName !== dataset) {
    throw httpError(404, 'httpNotFound', `Dataset "${datasetName ?? ''}" not found`)
  }
}

export async function handleQuery(
  ctx: DataContext,
  req: LakeRequest,
  res: LakeResponse,
  url: URL,
): Promise<void> {
  let query: unknown
  let params: Record<string, unknown>
  let perspectiveValue: unknown = url.searchParams.get('perspective')
  if (req.method === 'POST') {
    const body = await readJson(req)
    if (!isRecord(body)) throw httpError(400, 'queryParseError', 'Body must be a JSON object')
    query = body['query']
    const bodyParams = body['params'] ?? {}
    if (!isRecord(bodyParams)) throw httpError(400, 'queryParseError', 'params must be an object')
    params = bodyParams
    if (body['perspective'] !== undefined) perspectiveValue = body['perspective']
  } else {
    query = url.searchParams.get('query')
    params = queryStringParams(url.searchParams)
  }
  if (typeof query !== 'string' || query === '') {
    throw httpError(400, 'queryParseError', 'Missing query: pass `query` as a GROQ string')
  }
  const perspective = parsePerspective(perspectiveValue, ctx.apiVersion)
  // Noted before the evaluation: an answer is kept only if nothing its reader may read changed
  // while it ran.
  const keep =
    ctx.answers && req.url && AnswerCache.mayUse(req.method, req.headers)
      ? {cache: ctx.answers, url: req.url, startedAt: ctx.answers.start()}
      : undefined
  // The client going away (stream reset, socket closed) stops the evaluation. 'close' also fires
  // after every normal answer: aborting then would only build an AbortError (a DOMException, with
  // its stack) per request, a twentieth of a by-slug request's time, so it is skipped.
  const cancel = new AbortController()
  let answered = false
  res.once('close', () => {
    if (!answered) cancel.abort()
  })
  let answer: {json: string; ms: number}
  try {
    answer = await ctx.store.queryWithinBudget(query, params, {
      perspective,
      canRead: ctx.access.canRead(ctx.identity),
      identity: ctx.identity.id,
      accessKey: ctx.access.readerKey(ctx.identity),
      limits: limitsFor(ctx.identity),
      signal: cancel.signal,
    })
  } catch (error) {
    // Nobody is left to read an answer.
    if (cancel.signal.aborted) return
    throw error
  } finally {
    answered = true
  }
  const {json, ms} = answer
  // The result is already JSON (written within the result-size limit): the envelope is added
  // around it rather than parsing it back.
  const returnQuery = url.searchParams.get('returnQuery') !== 'false'
  const text =
    `{"result":${json},"ms":${Math.round(ms * 1000) / 1000},` +
    `"syncTags":${JSON.stringify(syncTagsFor(query, params))}` +
    `${returnQuery ? `,"query":${JSON.stringify(query)}` : ''}}`
  if (keep && AnswerCache.mayKeep(query, text)) {
    keep.cache.set(
      keep.url,
      ctx.identity,
      keep.startedAt,
      AnswerCache.answer(text, QUERY_CONTENT_TYPE),
    )
  }
  sendText(res, 200, text, QUERY_CONTENT_TYPE)
}

const QUERY_CONTENT_TYPE = 'application/json; charset=utf-8'

/** System fields only, for `?excludeContent=true` (the Studio's existence checks). */
function systemFields(document: StoredDocument): Record<string, unknown> {
  const {_id, _type, _rev, _createdAt, _updatedAt} = document
  return {_id, _type, _rev, _createdAt, _updatedAt}
}

export function handleDoc(ctx: DataContext, res: LakeResponse, ids: string[], url: URL): void {
  const readable = ctx.access.canRead(ctx.identity)
  const found = ctx.store.getDocuments(ids, readable)
  const excludeContent = flag(url.searchParams, 'excludeContent')
  const documents: unknown[] = []
  const omitted: {id: string; reason: 'existence' | 'permission'}[] = []
  ids.forEach((id, index) => {
    const document = found[index]
    if (document) documents.push(excludeContent ? systemFields(document) : document)
    else omitted.push({id, reason: readable(id) ? 'existence' : 'permission'})
  })
  sendJson(res, 200, {documents, omitted})
}

function commitOptions(
  ctx: DataContext,
  transactionId: unknown,
  dryRun: boolean,
  errorType: WriteErrorType,
): CommitOptions {
  if (transactionId !== undefined && typeof transactionId !== 'string') {
    throw httpError(400, errorType, 'transactionId must be a string')
  }
  return {
    ...ctx.writeRules(ctx.identity, errorType),
    dryRun,
    ...(transactionId ? {transactionId} : {}),
  }
}

function assertMayWrite(access: Access, identity: Identity): void {
  if (identity.role === 'anonymous') {
    throw unauthorized('Unauthorized - writes need a token (Authorization: Bearer …)')
  }
  if (!access.canWriteAnything(identity)) {
    throw forbidden(`Insufficient permissions: the ${identity.role} role cannot write`)
  }
}

/** What `/data/mutate` and `/data/actions` share: a writer, a JSON body with a list, options. */
async function readWrite(
  ctx: DataContext,
  req: LakeRequest,
  url: URL,
  list: 'mutations' | 'actions',
  errorType: 'mutationError' | 'actionError',
): Promise<{items: unknown[]; options: CommitOptions}> {
  assertMayWrite(ctx.access, ctx.identity)
  const body = await readJson(req)
  if (!isRecord(body) || !Array.isArray(body[list])) {
    throw httpError(400, errorType, `Body must be an object with a \`${list}\` array`)
  }
  const dryRun = flag(url.searchParams, 'dryRun') || body['dryRun'] === true
  const transactionId = body['transactionId'] ?? url.searchParams.get('transactionId') ?? undefined
  return {items: body[list], options: commitOptions(ctx, transactionId, dryRun, errorType)}
}

export async function handleMutate(
  ctx: DataContext,
  req: LakeRequest,
  res: LakeResponse,
  url: URL,
): Promise<void> {
  const {items, options} = await readWrite(ctx, req, url, 'mutations', 'mutationError')
  const transaction = await ctx.store.mutate(items as Mutation[], options)
  const returnDocuments = flag(url.searchParams, 'returnDocuments')
  const documents = new Map(
    transaction.changes.map((change) => [change.documentId, change.result ?? change.previous]),
  )
  const results = transaction.results.map((result) =>
    returnDocuments ? {...result, document: documents.get(result.id) ?? null} : result,
  )
  const response: Record<string, unknown> = {transactionId: transaction.transactionId, results}
  if (flag(url.searchParams, 'returnIds')) {
    response['documentIds'] = transaction.results.map((result) => result.id)
  }
  sendJson(res, 200, response)
}

export async function handleActions(
  ctx: DataContext,
  req: LakeRequest,
  res: LakeResponse,
  url: URL,
): Promise<void> {
  const {items, options} = await readWrite(ctx, req, url, 'actions', 'actionError')
  const transaction = await ctx.store.act(items as Action[], options)
  sendJson(res, 200, {transactionId: transaction.transactionId})
}

function ndjsonHead(res: LakeResponse): void {
  res.statusCode = 200
  res.setHeader('content-type', 'application/x-ndjson; charset=utf-8')
}

/** `GET /data/export/{ds}`: every document as NDJSON, in `_id` order; administrators and editors. */
export async function handleExport(ctx: DataContext, res: LakeResponse, url: URL): Promise<void> {
  if (ctx.identity.role === 'anonymous') throw unauthorized()
  if (!ctx.access.canExport(ctx.identity)) {
    throw forbidden(`Insufficient permissions: the ${ctx.identity.role} role cannot export`)
  }
  const types = url.searchParams.get('types')?.split(',').filter(Boolean)
  const typeSet = types && types.length > 0 ? new Set(types) : null
  const readable = ctx.access.canRead(ctx.identity)
  ndjsonHead(res)
  let batch = ''
  for (const document of ctx.store.allDocuments()) {
    if (typeSet && !typeSet.has(document._type)) continue
    if (!readable(document._id)) continue
    batch += JSON.stringify(document) + '\n'
    if (batch.length >= 64 * 1024) {
      // Respect backpressure so a large export does not buffer the whole dataset in memory.
      if (!res.write(batch)) await new Promise<void>((resolve) => res.once('drain', resolve))
      batch = ''
    }
  }
  res.end(batch)
}

/**
 * `GET /data/references/{ds}/documents/{id}/to`: who references this document. The Studio asks
 * with `excludeInternalReferences=true` for cross-dataset references only, which a single local
 * dataset never has.
 */
export function handleReferences(ctx: DataContext, res: LakeResponse, id: string, url: URL): void {
  if (flag(url.searchParams, 'excludeInternalReferences')) {
    sendJson(res, 200, {totalCount: 0, references: []})
    return
  }
  const {result} = ctx.store.query(
    '*[references($id)]._id',
    {id: getPublishedId(id)},
    {
      perspective: 'raw',
      canRead: ctx.access.canRead(ctx.identity),
      accessKey: ctx.access.readerKey(ctx.identity),
    },
  )
  const ids = Array.isArray(result) ? (result as string[]) : []
  sendJson(res, 200, {totalCount: ids.length, references: ids.map((documentId) => ({documentId}))})
}

function requireHistoryAccess(identity: Identity): void {
  // History shows drafts and past content: Content Lake grants it to members, never to anonymous.
  if (identity.role === 'anonymous') throw unauthorized()
}

/**
 * `GET /data/history/{ds}/transactions/{ids}`: the transaction log as NDJSON, in Sanity's shape
 * `{id, timestamp, author, documentIDs, mutations?, effects?}`; `effects` (with
 * `effectFormat=mendoza`) are whole-document replacements computed from stored revisions, which
 * is what the Studio's history timeline applies.
 */
export function handleTransactions(
  ctx: DataContext,
  res: LakeResponse,
  ids: string[],
  url: URL,
): void {
  requireHistoryAccess(ctx.identity)
  const q = url.searchParams
  const readable = ctx.access.canRead(ctx.identity)
  const requested = ids.filter(readable)
  const mendoza = q.get('effectFormat') === 'mendoza'
  const limit = Number(q.get('limit'))
  const optional = (name: string) => (q.get(name) ? {[name]: q.get(name) ?? ''} : {})
  const entries: TransactionLogEntry[] =
    requested.length === 0
      ? []
      : ctx.store.transactions({
          documentIds: requested,
          ...optional('fromTime'),
          ...optional('toTime'),
          ...optional('fromTransaction'),
          ...optional('toTransaction'),
          reverse: flag(q, 'reverse'),
          ...(Number.isInteger(limit) && limit > 0 ? {limit} : {}),
          includeDocuments: mendoza,
        })

  const identifiedOnly = flag(q, 'includeIdentifiedDocumentsOnly')
  const requestedSet = new Set(requested)
  const withMutations = !flag(q, 'excludeContent') && !flag(q, 'excludeMutations')
  let out = ''
  for (const entry of entries) {
    const documentIDs = entry.documentIDs.filter(
      (id) => readable(id) && (!identifiedOnly || requestedSet.has(id)),
    )
    const line: Record<string, unknown> = {
      id: entry.id,
      timestamp: entry.timestamp,
      author: entry.author,
      documentIDs,
    }
    // A transaction may have written documents this caller may not read: only the mutations of
    // the documents it may read are shown (each logged mutation names exactly one document).
    if (withMutations) {
      line['mutations'] = entry.mutations.filter((mutation) => {
        const id = mutationDocumentId(mutation)
        return id !== undefined && documentIDs.includes(id)
      })
    }
    if (mendoza) {
      // Whole-document replacements (`[0, value]`), which is what the Studio's timeline applies.
      const effects: Record<string, unknown> = {}
      for (const id of documentIDs) {
        const states = entry.documents?.[id]
        effects[id] = {
          apply: [0, withoutRev(states?.result)],
          revert: [0, withoutRev(states?.previous)],
        }
      }
      line['effects'] = effects
    }
    out += JSON.stringify(line) + '\n'
  }
  ndjsonHead(res)
  res.end(out)
}

/** The one document a logged mutation writes (`createOrReplace` of the result, or `delete`). */
function mutationDocumentId(mutation: Mutation): string | undefined {
  if ('createOrReplace' in mutation) return mutation.createOrReplace._id
  if ('create' in mutation) return mutation.create._id
  if ('createIfNotExists' in mutation) return mutation.createIfNotExists._id
  if ('delete' in mutation) return mutation.delete.id
  return mutation.patch.id
}

/**
 * `GET /data/history/{ds}/documents/{ids}?revision=|time=|lastRevision=true`:
 * `{documents: [...]}` with each document as it was, leaving out ones that did not exist then.
 */
export function handleHistoryDocuments(
  ctx: DataContext,
  res: LakeResponse,
  ids: string[],
  url: URL,
): void {
  requireHistoryAccess(ctx.identity)
  const readable = ctx.access.canRead(ctx.identity)
  const revision = url.searchParams.get('revision')
  const time = url.searchParams.get('time')
  const at = revision
    ? {revision}
    : time
      ? {time}
      : flag(url.searchParams, 'lastRevision')
        ? {lastRevision: true}
        : {}
  const documents = ids
    .filter(readable)
    .map((id) => ctx.store.documentAt(id, at))
    .filter((document): document is StoredDocument => document !== null)
  sendJson(res, 200, {documents})
}

/**
 * `GET /data/history/{ds}/events/documents/{id}`: the Studio's event feed. An empty feed is valid:
 * the Studio then builds the document's edit history from the transactions endpoint above.
 */
export function handleHistoryEvents(ctx: DataContext, res: LakeResponse, id: string): void {
  requireHistoryAccess(ctx.identity)
  sendJson(res, 200, {events: {[id]: []}, nextCursor: ''})
}
