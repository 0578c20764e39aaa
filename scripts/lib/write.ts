/** Writes documents through a Sanity client in ordered transactions (see `batches.ts`). */
import type {SanityClient} from '@sanity/client'

import {type BatchLimits, defaultBatchLimits, planBatches} from './batches'
import type {DatasetDocument} from './ndjson'

/** `replace`: `createOrReplace` (an import's default); `missing`: `createIfNotExists`. */
export type WriteMode = 'replace' | 'missing'

export interface BatchProgress {
  batch: number
  batches: number
  documents: number
}

export interface WriteOptions {
  mode?: WriteMode
  limits?: BatchLimits
  onBatch?: (progress: BatchProgress) => void
}

export interface WriteResult {
  documents: number
  transactions: number
}

/** The lake assigns `_rev`; a stale one in a file must not look like a revision check. */
export function forWrite(document: DatasetDocument): DatasetDocument {
  const copy: Record<string, unknown> = {...document}
  delete copy['_rev']
  return copy as DatasetDocument
}

/** Commits already planned batches, one transaction each, in order. */
export async function commitBatches(
  client: SanityClient,
  batches: readonly (readonly DatasetDocument[])[],
  {mode = 'replace', onBatch}: Omit<WriteOptions, 'limits'> = {},
): Promise<WriteResult> {
  let documents = 0
  for (const [index, batch] of batches.entries()) {
    const transaction = client.transaction()
    for (const document of batch) {
      if (mode === 'missing') transaction.createIfNotExists(forWrite(document))
      else transaction.createOrReplace(forWrite(document))
    }
    await transaction.commit({visibility: 'sync', returnDocuments: false})
    documents += batch.length
    onBatch?.({batch: index + 1, batches: batches.length, documents: batch.length})
  }
  return {documents, transactions: batches.length}
}

export function writeDocuments(
  client: SanityClient,
  documents: readonly DatasetDocument[],
  {limits = defaultBatchLimits, ...options}: WriteOptions = {},
): Promise<WriteResult> {
  return commitBatches(client, planBatches(documents, limits), options)
}
