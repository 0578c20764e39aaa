/** Helpers over dataset documents: references, system fields, comparison, what a lake holds. */
import type {SanityClient} from '@sanity/client'

import type {DatasetDocument} from './ndjson'

/** Fields the Content Lake maintains itself; they never count as content changes. */
export const SYSTEM_FIELDS = ['_rev', '_createdAt', '_updatedAt'] as const

export interface FoundReference {
  ref: string
  weak: boolean
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** Every `{_ref}` in a value, as `sanity documents validate` collects them (arrays included). */
export function findReferences(value: unknown): FoundReference[] {
  const found: FoundReference[] = []
  // An explicit stack, in reverse so references come out in document order: a file's documents
  // are user data, and no nesting may overflow the call stack.
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (!isRecord(node)) continue
    if (typeof node['_ref'] === 'string') {
      found.push({ref: node['_ref'], weak: node['_weak'] === true})
      continue
    }
    const children = Object.values(node)
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
  }
  return found
}

export function withoutSystemFields(document: DatasetDocument): DatasetDocument {
  const copy: Record<string, unknown> = {...document}
  for (const field of SYSTEM_FIELDS) delete copy[field]
  return copy as DatasetDocument
}

/** JSON with object keys sorted, so equal content compares equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, node: unknown) => {
    if (!isRecord(node) || Array.isArray(node)) return node
    return Object.fromEntries(Object.entries(node).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  })
}

/** Same content, ignoring system fields and key order. */
export function sameContent(a: DatasetDocument, b: DatasetDocument): boolean {
  return canonicalJson(withoutSystemFields(a)) === canonicalJson(withoutSystemFields(b))
}

/** Ids per lookup: bounded so a large import never builds one huge query. */
const LOOKUP_CHUNK = 100

/** The documents among `ids` that the dataset holds already (drafts included), by id. */
export async function existingDocuments(
  client: SanityClient,
  ids: readonly string[],
): Promise<Map<string, DatasetDocument>> {
  const found = new Map<string, DatasetDocument>()
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK)
    const documents = await client.fetch<DatasetDocument[]>(
      '*[_id in $ids]',
      {ids: chunk},
      {perspective: 'raw'},
    )
    for (const document of documents) found.set(document._id, document)
  }
  return found
}
