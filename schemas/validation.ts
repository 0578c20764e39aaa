/**
 * Named validators shared by several schema types. Each returns `true` or the message an editor
 * sees, so the schema wires them into `rule.custom(...)` and the tests call them directly.
 */
import type {UrlRule, ValidationContext} from 'sanity'

/** Acronyms as the NHS writes them: 2–8 capitals or digits, starting with a letter (PTP, HSST). */
export const ACRONYM_PATTERN = /^[A-Z][A-Z0-9]{1,7}$/

export function acronymFormat(value: unknown): true | string {
  if (value === undefined || value === null || value === '') return true
  if (typeof value !== 'string' || !ACRONYM_PATTERN.test(value)) {
    return 'Write the acronym in capitals without spaces or full stops, e.g. "PTP" or "HSST" (2–8 characters).'
  }
  return true
}

/** What an editor sees for a non-web address (javascript:, mailto:, ftp:, relative paths…). */
export const HTTP_URL_MESSAGE =
  'Enter a full web address starting with https:// (or http://); other kinds of address cannot be linked.'

/**
 * Absolute http(s) URLs only, with an editor-facing message, on Sanity's own `uri` rule.
 *
 * Every rule derived from a `url` field's base rule carries the uri check, so a url field must
 * have exactly ONE rule chain, or a bad address is reported once per chain. Further checks go on
 * the same chain as `.custom()`s returning `{message}` (a plain string would be replaced by the
 * chain's message).
 */
export function httpUrlRule(rule: UrlRule): UrlRule {
  return rule.uri({scheme: ['http', 'https'], allowRelative: false}).error(HTTP_URL_MESSAGE)
}

/** A required check for a url chain (see `httpUrlRule`), with its own message. */
export function urlRequired(message: string): (value: unknown) => true | {message: string} {
  return (value) => (typeof value === 'string' && value.trim() !== '' ? true : {message})
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

/** The API version custom validators query with (the project's pinned version). */
const VALIDATION_API_VERSION = '2025-02-19'

/**
 * Slug uniqueness within a document type, ignoring the document's own draft and versions, as an
 * ERROR: two pages with one address cannot both be served. Sanity's built-in check only warns, so
 * slug fields switch it off (`isUnique: uniquenessCheckedByRule`) and use this rule instead. It
 * needs nothing beyond `*[filter]._id`, so it runs against the local lake and offline datasets.
 */
export async function slugIsUniqueInType(
  slug: unknown,
  context: ValidationContext,
): Promise<true | string> {
  const current = (slug as {current?: unknown} | undefined)?.current
  const {document} = context
  if (typeof current !== 'string' || current.trim() === '' || !document) return true
  const ids = await context
    .getClient({apiVersion: VALIDATION_API_VERSION})
    .fetch<string[]>('*[_type == $type && slug.current == $slug]._id', {
      type: document._type,
      slug: current,
    })
  const self = publishedIdOf(document._id)
  const other = ids.find((id) => publishedIdOf(id) !== self)
  return other === undefined
    ? true
    : `"${current}" is already used by another document (${publishedIdOf(other)}): choose a different slug so each has its own address.`
}

/** A rule refusing slugs the site keeps for its own paths (`RESERVED_ROOT_SEGMENTS` for pages). */
export function slugIsNotReserved(reserved: readonly string[]) {
  return (slug: unknown): true | string => {
    const current = (slug as {current?: unknown} | undefined)?.current
    if (typeof current !== 'string' || !reserved.includes(current.trim().toLowerCase())) return true
    return `"${current}" is an address the site keeps for itself (${reserved.map((segment) => `/${segment}`).join(', ')}): choose another slug, or the page could never be reached.`
  }
}

/** Turns off the built-in (warning-level) uniqueness check; `slugIsUniqueInType` replaces it. */
export function uniquenessCheckedByRule(): boolean {
  return true
}

/** Reads a field of the document being validated, without trusting its type. */
export function documentField(document: unknown, field: string): unknown {
  if (typeof document !== 'object' || document === null) return undefined
  return (document as Record<string, unknown>)[field]
}

/** The document types a page, role or route can sit under, widest first. */
export const placementTypes = ['careerArea', 'theme', 'specialism'] as const

/** Names compare as editors read them: case and spacing do not make a different thing. */
export function comparableName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase()
}

interface NamedDocument {
  _id: string
  name?: string
}

/**
 * "No silent duplicates": a shared document (role, qualification, programme, organisation) whose
 * name matches another of its type is almost always a copy someone made without finding the
 * original, so the editor is told which document already exists. A warning, not an error: two
 * organisations can genuinely share a name.
 */
export async function nameIsNotDuplicated(
  name: unknown,
  context: ValidationContext,
): Promise<true | string> {
  const {document} = context
  if (typeof name !== 'string' || name.trim() === '' || !document) return true
  const candidates = await context
    .getClient({apiVersion: VALIDATION_API_VERSION})
    .fetch<NamedDocument[]>('*[_type == $type && lower(name) == $name]{_id, name}', {
      type: document._type,
      name: comparableName(name).toLowerCase(),
    })
  const self = publishedIdOf(document._id)
  const other = candidates.find(
    (candidate) =>
      publishedIdOf(candidate._id) !== self &&
      typeof candidate.name === 'string' &&
      comparableName(candidate.name) === comparableName(name),
  )
  return other === undefined
    ? true
    : `"${other.name}" already exists (${publishedIdOf(other._id)}): use that document instead of a copy, or give this one a name that tells them apart.`
}
