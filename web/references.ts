/**
 * References the reader cannot follow. A reference can point at nothing the public may read: a
 * weak reference to a deleted document, a target that was unpublished (only `drafts.x` is left),
 * a document on a non-public path, or, on Sanity's hosted lake, a strong reference whose target
 * the anonymous frontend is not allowed to see. The views then show the link's text without a
 * link and leave the item out of lists; this module says which ids are missing, so the server
 * can log them for an editor to mend.
 */
import type {SanityClient} from '@sanity/client'

import {readableIdsQuery, storedDocumentQuery} from '../queries/documents'

/** Every `_ref` in a stored document, walked with an explicit stack (no input can overflow it). */
export function referencedIds(document: unknown): string[] {
  const found = new Set<string>()
  const stack: unknown[] = [document]
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) {
      stack.push(...value)
    } else if (value && typeof value === 'object') {
      const ref = (value as {_ref?: unknown})._ref
      if (typeof ref === 'string') found.add(ref)
      stack.push(...Object.values(value))
    }
  }
  return [...found].sort()
}

export interface ReferenceReport {
  /** The ids the document refers to that the reader cannot read, in id order. */
  missing: string[]
  /** The newest `_updatedAt` among the documents it refers to (ISO), if any. */
  newestUpdatedAt: string | null
}

/** What a published document refers to: which targets are missing, and when the rest changed. */
export async function checkReferences(client: SanityClient, id: string): Promise<ReferenceReport> {
  const ids = referencedIds(await client.fetch(storedDocumentQuery, {id}))
  if (ids.length === 0) return {missing: [], newestUpdatedAt: null}
  const readable = await client.fetch(readableIdsQuery, {ids})
  const found = new Set(readable.map((doc) => doc._id))
  const newest =
    readable
      .map((doc) => doc._updatedAt)
      .sort()
      .at(-1) ?? null
  return {missing: ids.filter((ref) => !found.has(ref)), newestUpdatedAt: newest}
}
