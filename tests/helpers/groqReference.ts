/**
 * The reference side of planner-versus-groq-js tests: each perspective's visible dataset built
 * straight from stored documents (no code shared with the store), evaluated by plain groq-js's
 * async `evaluate` with no dereference hook, so every filter is a full scan.
 */
import {evaluate, parse} from 'groq-js'

import type {Perspective, StoredDocument} from '../../server/store/types'

export function referenceDataset(
  docs: readonly StoredDocument[],
  perspective: Perspective,
  canRead: (id: string) => boolean = () => true,
): Record<string, unknown>[] {
  const readable = docs.filter((doc) => canRead(doc._id))
  const byId = (a: {_id: string}, b: {_id: string}) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)
  if (perspective === 'raw') return [...readable].sort(byId)
  const published = readable.filter(
    (doc) => !doc._id.startsWith('drafts.') && !doc._id.startsWith('versions.'),
  )
  if (perspective === 'published') return published.sort(byId)
  const overlaid = new Map<string, Record<string, unknown> & {_id: string}>()
  for (const doc of published) overlaid.set(doc._id, {...doc, _originalId: doc._id})
  for (const doc of readable) {
    if (!doc._id.startsWith('drafts.')) continue
    const id = doc._id.slice('drafts.'.length)
    overlaid.set(id, {...doc, _id: id, _originalId: doc._id})
  }
  return [...overlaid.values()].sort(byId)
}

export async function plainGroq(
  query: string,
  params: Record<string, unknown>,
  dataset: readonly unknown[],
  identity = 'p-admin',
): Promise<unknown> {
  const value = await evaluate(parse(query, {params}), {dataset: [...dataset], params, identity})
  return value.get()
}
