/**
 * Who may read and write which document ids. Every rule is a named function of the identity that
 * returns a predicate on document ids, so the store can apply it inside queries and transactions.
 *
 * - anonymous: only published documents on the root path (no `drafts.*`, no `versions.*`, no id
 *   containing `.`), exactly as Content Lake treats a request without a token; never writes.
 * - viewer: reads everything except feedback (`feedback.*` and its drafts/versions); writes nothing.
 * - reviewer: reads everything; writes only feedback documents and their drafts.
 * - editor: reads and writes everything, except that it may not delete a published feedback
 *   document (feedback is evidence; only an administrator removes it). See `canDelete`.
 * - administrator: everything.
 */
import {getPublishedId} from '../store/ids'
import type {Identity, Role} from '../store/types'

export type IdPredicate = (documentId: string) => boolean

export const ANONYMOUS: Identity = {id: 'anonymous', name: 'Anonymous', role: 'anonymous'}

export const ROLE_TITLES: Record<Role, string> = {
  administrator: 'Administrator',
  editor: 'Editor',
  reviewer: 'Reviewer',
  viewer: 'Viewer',
}

export const ROLES = Object.keys(ROLE_TITLES) as Role[]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(ROLE_TITLES, value)
}

/** Feedback documents live on the `feedback.` sub-path; drafts and versions of them count too. */
export function isFeedbackId(documentId: string): boolean {
  return getPublishedId(documentId).startsWith('feedback.')
}

/** Root-path, published ids: what Content Lake serves without a token. */
export function isPublicId(documentId: string): boolean {
  return !documentId.includes('.')
}

// One function instance per rule: the store caches each reader's visible dataset keyed by it.
const always: IdPredicate = () => true
const never: IdPredicate = () => false
const notFeedback: IdPredicate = (id) => !isFeedbackId(id)
const notPublishedFeedback: IdPredicate = (id) => !(isFeedbackId(id) && id === getPublishedId(id))

export function canRead(identity: Identity): IdPredicate {
  switch (identity.role) {
    case 'administrator':
    case 'editor':
    case 'reviewer':
      return always
    case 'viewer':
      return notFeedback
    default:
      return isPublicId
  }
}

export function canWrite(identity: Identity): IdPredicate {
  switch (identity.role) {
    case 'administrator':
    case 'editor':
      return always
    case 'reviewer':
      return isFeedbackId
    default:
      return never
  }
}

/**
 * Deleting is writing, with one exception: an editor may not delete a published feedback document
 * (deleting its draft, which publishing does, is fine).
 */
export function canDelete(identity: Identity): IdPredicate {
  if (identity.role === 'editor') return notPublishedFeedback
  return canWrite(identity)
}

/** Exporting the whole dataset is for people who may see and restore all of it. */
export function canExport(identity: Identity): boolean {
  return identity.role === 'administrator' || identity.role === 'editor'
}

/** May this identity write at all? Anonymous requests are told to authenticate (401) instead. */
export function canWriteAnything(identity: Identity): boolean {
  return identity.role !== 'anonymous' && identity.role !== 'viewer'
}

export interface Grant {
  filter: string
  permissions: string[]
}

/**
 * `GET /projects/{pid}/datasets/{ds}/acl`: the grants the Studio evaluates (with GROQ, on each
 * document) to enable or disable editing. They mirror the predicates above.
 */
export function datasetAcl(identity: Identity): Grant[] {
  const all = '_id in path("**")'
  const feedback = '(_id in path("feedback.**") || _id in path("drafts.feedback.**"))'
  switch (identity.role) {
    case 'administrator':
      return [{filter: all, permissions: ['read', 'create', 'update', 'history', 'editHistory']}]
    case 'editor':
      return [{filter: all, permissions: ['read', 'create', 'update', 'history']}]
    case 'reviewer':
      return [
        {filter: all, permissions: ['read', 'history']},
        {filter: feedback, permissions: ['read', 'create', 'update', 'history']},
      ]
    case 'viewer':
      return [{filter: `!${feedback}`, permissions: ['read', 'history']}]
    default:
      return [{filter: '_id in path("*")', permissions: ['read']}]
  }
}
