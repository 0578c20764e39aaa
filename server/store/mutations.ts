import {evaluateSync, toJS} from 'groq-js'

import {checkQueryText, checkTree, withSyncLimit} from '../query/budget'
import {parseQuery} from '../query/engine'
import {MEMBER_LIMITS, MUTATION_QUERY_SLICE_MS} from '../query/limits'
import {generateDocumentId} from './ids'
import type {Mutation, PatchOperations} from './types'
import type {WorkingSet} from './working-set'

const MUTATION_KINDS = [
  'create',
  'createOrReplace',
  'createIfNotExists',
  'delete',
  'patch',
] as const

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Ids of the readable documents a query-based patch or delete selects, in the request's state. */
function idsFromQuery(
  set: WorkingSet,
  query: string,
  params: Record<string, unknown> | undefined,
  canRead: (id: string) => boolean,
): string[] {
  // Query-based writes are rare (scripts, migrations): a plain scan of the request's own view of
  // the data is correct (it sees the request's earlier mutations) and simple.
  checkQueryText(query, MEMBER_LIMITS)
  const tree = parseQuery(query)
  checkTree(query, tree, MEMBER_LIMITS)
  const dataset = set.snapshot(canRead)
  const result = toJS(
    withSyncLimit(
      MUTATION_QUERY_SLICE_MS,
      () => evaluateSync(tree, {dataset, params: params ?? {}}),
      () =>
        set.error(
          422,
          'queryTimeoutError',
          `The query took more than ${MUTATION_QUERY_SLICE_MS} ms (the limit for query-based ` +
            'patches and deletes); select the documents by id instead',
        ),
    ),
  ) as unknown
  const items = Array.isArray(result) ? result : result === null ? [] : [result]
  const ids: string[] = []
  for (const item of items) {
    if (isRecord(item) && typeof item['_id'] === 'string') ids.push(item['_id'])
  }
  return ids
}

/** Applies `POST /data/mutate` mutations, in order, to the working set. */
export function applyMutations(
  set: WorkingSet,
  mutations: readonly Mutation[],
  canRead: (id: string) => boolean,
): void {
  mutations.forEach((mutation: unknown, index) => {
    set.index = index
    if (!isRecord(mutation))
      throw set.error(400, 'invalidMutationError', 'A mutation must be an object')
    const kinds = Object.keys(mutation)
    const kind = kinds[0]
    if (kinds.length !== 1 || !MUTATION_KINDS.includes(kind as (typeof MUTATION_KINDS)[number])) {
      throw set.error(400, 'invalidMutationError', `Unknown mutation type "${kinds.join(', ')}"`)
    }
    const body = mutation[kind as string]
    if (!isRecord(body)) throw set.error(400, 'invalidMutationError', `"${kind}" takes an object`)

    switch (kind) {
      case 'create': {
        const id =
          typeof body['_id'] === 'string' && !body['_id'].endsWith('.')
            ? body['_id']
            : generateDocumentId(body['_id'] as string | undefined)
        if (set.get(id)) {
          throw set.error(
            409,
            'documentAlreadyExistsError',
            `Document by ID "${id}" already exists`,
            id,
          )
        }
        set.put(id, body)
        return
      }
      case 'createOrReplace':
      case 'createIfNotExists': {
        const id = body['_id']
        if (typeof id !== 'string')
          throw set.error(400, 'invalidMutationError', `${kind} requires _id`)
        if (kind === 'createIfNotExists' && set.get(id)) return
        set.put(id, body)
        return
      }
      case 'delete': {
        const ids =
          typeof body['query'] === 'string'
            ? idsFromQuery(set, body['query'], body['params'] as Record<string, unknown>, canRead)
            : typeof body['id'] === 'string'
              ? [body['id']]
              : undefined
        if (!ids) throw set.error(400, 'invalidMutationError', 'delete requires id or query')
        // Deleting a document that does not exist is not an error, as in Content Lake.
        for (const id of ids) if (set.get(id)) set.put(id, null)
        return
      }
      case 'patch': {
        const patch = body as PatchOperations
        const ids =
          typeof patch.query === 'string'
            ? idsFromQuery(set, patch.query, patch.params, canRead)
            : typeof patch.id === 'string'
              ? [patch.id]
              : undefined
        if (!ids) throw set.error(400, 'invalidMutationError', 'patch requires id or query')
        for (const id of ids) set.patch(id, patch)
        return
      }
    }
  })
}
