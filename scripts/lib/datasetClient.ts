/**
 * A read-only query client over an in-memory dataset, evaluated by groq-js (Sanity's reference
 * GROQ implementation). Offline validation hands it to custom validators (e.g. slug uniqueness),
 * which then see exactly the dataset being validated rather than whatever a server holds.
 */
import type {ValidationClient} from '@sanity/validation'
import {evaluate, parse} from 'groq-js'

import type {DatasetDocument} from './ndjson'

export interface DatasetQueryClient {
  fetch<R = unknown>(query: string, params?: Record<string, unknown>): Promise<R>
}

export function createDatasetQueryClient(
  documents: readonly DatasetDocument[],
): DatasetQueryClient {
  return {
    async fetch<R>(query: string, params: Record<string, unknown> = {}): Promise<R> {
      const tree = parse(query, {params})
      const value = await evaluate(tree, {dataset: documents, params})
      return (await value.get()) as R
    },
  }
}

function unavailable(what: string): never {
  throw new Error(`${what} is not available when validating a file offline`)
}

/**
 * The query client in the shape `@sanity/validation` expects. Only `fetch` and `withConfig` are
 * used once `getDocumentExists` is supplied; the HTTP-only methods fail loudly if that changes.
 */
export function createDatasetValidationClient(
  documents: readonly DatasetDocument[],
): ValidationClient {
  const queries = createDatasetQueryClient(documents)
  const client = {
    fetch: (query: string, params?: Record<string, unknown>) => queries.fetch(query, params),
    getDataUrl: () => unavailable('The HTTP API'),
    observable: {
      fetch: () => unavailable('The observable client'),
      request: () => unavailable('The HTTP API'),
    },
    withConfig: () => client,
  }
  // The structural type carries @sanity/client's overloaded method signatures, which a plain
  // object cannot spell out; the methods above are the ones validation calls.
  return client as unknown as ValidationClient
}
