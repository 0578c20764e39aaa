import {randomFillSync} from 'node:crypto'

import {uuid} from '@sanity/uuid'

/**
 * Sanity's rule for document ids (https://www.sanity.io/docs/ids): characters `a-zA-Z0-9._-`,
 * at most 128 of them, and no path segment may start with `-` (so no id starts with `-`).
 * Empty segments (`a..b`, a trailing `.`) are rejected too, as @sanity/client's validator does.
 */
const ID_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9_-]*(?:\.[a-zA-Z0-9_][a-zA-Z0-9_-]*)*$/

export const MAX_ID_LENGTH = 128

export function isValidDocumentId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= MAX_ID_LENGTH && ID_PATTERN.test(id)
}

export const DRAFTS_PREFIX = 'drafts.'
export const VERSIONS_PREFIX = 'versions.'

export function isDraftId(id: string): boolean {
  return id.startsWith(DRAFTS_PREFIX)
}

export function isVersionId(id: string): boolean {
  return id.startsWith(VERSIONS_PREFIX)
}

/** Published ids are everything that is neither a draft nor a release version. */
export function isPublishedId(id: string): boolean {
  return !isDraftId(id) && !isVersionId(id)
}

/**
 * Why an id that passes `isValidDocumentId` still cannot name a document, or undefined when it
 * can. One prefix says what a document is (`drafts.x` is the draft of `x`, `versions.r.x` its
 * version in release `r`); a second one (`drafts.drafts.x`, `drafts.versions.r.x`,
 * `versions.r.drafts.x`) names nothing every perspective agrees on: the drafts view would show
 * `drafts.drafts.x` as `drafts.x`, a published-looking id no `_id ==` lookup reaches.
 */
export function idShapeProblem(id: string): string | undefined {
  let publishedId = id
  if (isDraftId(id)) publishedId = id.slice(DRAFTS_PREFIX.length)
  else if (isVersionId(id)) {
    const rest = id.slice(VERSIONS_PREFIX.length)
    const dot = rest.indexOf('.')
    if (dot === -1) return 'a version id is versions.<release>.<document id>'
    publishedId = rest.slice(dot + 1)
  }
  if (isDraftId(publishedId) || isVersionId(publishedId)) {
    return 'an id may carry one drafts. or versions.<release>. prefix, not two'
  }
  return undefined
}

export function getPublishedId(id: string): string {
  if (isDraftId(id)) return id.slice(DRAFTS_PREFIX.length)
  if (isVersionId(id)) {
    const rest = id.slice(VERSIONS_PREFIX.length)
    const dot = rest.indexOf('.')
    return dot === -1 ? rest : rest.slice(dot + 1)
  }
  return id
}

export function getDraftId(id: string): string {
  return DRAFTS_PREFIX + getPublishedId(id)
}

/**
 * An id for a new document: a UUID as the Studio makes them. An `_id` ending in `.` asks for a
 * generated id under that path (`feedback.` → `feedback.<uuid>`).
 */
export function generateDocumentId(requested?: string): string {
  if (requested && requested.endsWith('.')) return requested + uuid()
  return uuid()
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Random bytes drawn a page at a time: one `randomFillSync` per 186 ids, not one per id. */
const pool = Buffer.alloc(4096)
let poolOffset = pool.length

/** A transaction id shaped like Content Lake's (22 base62 characters, ~131 bits). */
export function generateTransactionId(): string {
  if (poolOffset + 22 > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  let out = ''
  for (let i = poolOffset; i < poolOffset + 22; i++) out += BASE62[(pool[i] as number) % 62]
  poolOffset += 22
  return out
}
