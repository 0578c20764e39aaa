/**
 * Named validators shared by several schema types. Each returns `true` or the message an editor
 * sees, so the schema wires them into `rule.custom(...)` and the tests call them directly.
 */
import type {SlugValidationContext} from 'sanity'

/** Acronyms as the NHS writes them: 2–8 capitals or digits, starting with a letter (PTP, HSST). */
export const ACRONYM_PATTERN = /^[A-Z][A-Z0-9]{1,7}$/

export function acronymFormat(value: unknown): true | string {
  if (value === undefined || value === null || value === '') return true
  if (typeof value !== 'string' || !ACRONYM_PATTERN.test(value)) {
    return 'Write the acronym in capitals without spaces or full stops, e.g. "PTP" or "HSST" (2–8 characters).'
  }
  return true
}

/** Absolute http(s) URLs only: other schemes (javascript:, mailto:, ftp:) are not links we show. */
export function httpUrl(value: unknown): true | string {
  if (value === undefined || value === null || value === '') return true
  if (typeof value !== 'string') return 'Enter the address as text, e.g. https://www.example.org/.'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'Enter a full web address that starts with https:// (or http://).'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `Only web addresses starting with https:// or http:// can be linked, not "${url.protocol}".`
  }
  return true
}

/** ISO dates (`YYYY-MM-DD`) compare correctly as strings; anything else is left to other rules. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/

/** The next review must come after the last one, or the page is overdue the day it is saved. */
export function reviewDatesInOrder(lastReviewed: unknown, nextReviewDue: unknown): true | string {
  if (typeof lastReviewed !== 'string' || typeof nextReviewDue !== 'string') return true
  if (!ISO_DATE.test(lastReviewed) || !ISO_DATE.test(nextReviewDue)) return true
  if (nextReviewDue.slice(0, 10) <= lastReviewed.slice(0, 10)) {
    return `The next review (${nextReviewDue.slice(0, 10)}) must be after the last review (${lastReviewed.slice(0, 10)}).`
  }
  return true
}

/** Strips the drafts/versions prefix so a draft and its published document count as one. */
export function publishedIdOf(id: string): string {
  if (id.startsWith('drafts.')) return id.slice('drafts.'.length)
  if (id.startsWith('versions.')) return id.split('.').slice(2).join('.')
  return id
}

/**
 * Slug uniqueness within a document type, ignoring the document's own draft and versions.
 * Sanity's default check relies on query functions the local lake and offline validation may not
 * have; this one needs nothing beyond `*[filter]._id`.
 */
export async function isUniqueSlugInType(
  slug: string,
  context: SlugValidationContext,
): Promise<boolean> {
  const {document, getClient} = context
  if (!document) return true
  const ids = await getClient({apiVersion: '2025-02-19'}).fetch<string[]>(
    '*[_type == $type && slug.current == $slug]._id',
    {type: document._type, slug},
  )
  const self = publishedIdOf(document._id)
  return ids.every((id) => publishedIdOf(id) === self)
}

/** Reads a field of the document being validated, without trusting its type. */
export function documentField(document: unknown, field: string): unknown {
  if (typeof document !== 'object' || document === null) return undefined
  return (document as Record<string, unknown>)[field]
}
