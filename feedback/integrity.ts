/**
 * What keeps a report a true record: the fields the public's words live in (frozen at intake),
 * the audit trail of moves (append-only, one entry per move, written by whoever moves it), and
 * erasure (the one way a report leaves: an administrator replaces it with a record that says who
 * erased it, when and why, and holds no personal data). Pure data and functions: the Studio's
 * actions build their writes with them and the write policy (`policy.ts`) checks every write
 * against them.
 */
import type {Role} from '../lib/roles'
import type {FeedbackStatus} from './workflow'

/**
 * What the intake stored from the public, or worked out from it at intake: no role changes these
 * afterwards. `_type` is here so a report cannot be turned into another kind of document (erasure
 * is checked separately).
 */
export const publicReportFields = [
  '_type',
  'url',
  'path',
  'page',
  'pageRevision',
  'whatDoing',
  'whatWentWrong',
  'category',
  'contactConsent',
  'submittedAt',
  'idempotencyKey',
  'fingerprint',
  'userAgent',
  'referrer',
  'piiMasked',
] as const

export type PublicReportField = (typeof publicReportFields)[number]

/** Who writes: the lake's identity (`p-…` for token holders, the intake's own id for the intake). */
export interface FeedbackWriter {
  id: string
  name?: string
  role: Role | 'anonymous'
}

/** The intake's identity id in the careers lake; no token holder's id can take this form. */
export const INTAKE_WRITER_ID = 'feedback-intake'

export const AUDIT_ENTRY_TYPE = 'feedbackMove'

/** One move in a report's audit trail. */
export interface AuditEntry {
  _key: string
  _type: typeof AUDIT_ENTRY_TYPE
  /** The state it left (absent only if the report had no state, which the workflow refuses). */
  from?: string
  to: string
  /** The mover's user id, as the lake knows them. */
  by: string
  /** Their name, for the Studio's preview (user ids are unreadable). */
  byName?: string
  at: string
  /** The note the move needed: the resolution note, or why it is spam. */
  note?: string
}

/**
 * How far an audit entry's time may be from the lake's clock: enough for a slow network and a
 * skewed laptop clock, too little to backdate a move by a day.
 */
export const AUDIT_CLOCK_SKEW_MS = 5 * 60 * 1000

/** A random `_key`, as the Studio makes them for array items. */
export function newKey(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 12)
}

export function auditEntry(move: {
  from: unknown
  to: FeedbackStatus
  by: {id: string; name?: string | undefined}
  at: string
  note?: string | undefined
  key?: string
}): AuditEntry {
  return {
    _key: move.key ?? newKey(),
    _type: AUDIT_ENTRY_TYPE,
    ...(typeof move.from === 'string' ? {from: move.from} : {}),
    to: move.to,
    by: move.by.id,
    ...(move.by.name ? {byName: move.by.name} : {}),
    at: move.at,
    ...(move.note ? {note: move.note} : {}),
  }
}

/** The document type an erased report becomes. */
export const ERASURE_TYPE = 'feedbackErasure'

/**
 * What an erased report keeps: nothing the public wrote or sent (no text, address, path, browser,
 * fingerprint), only what counts and audits need.
 */
export interface FeedbackErasure {
  _id: string
  _type: typeof ERASURE_TYPE
  status?: string
  category?: string
  page?: {_type: 'reference'; _ref: string; _weak: true}
  submittedAt?: string
  erasedAt: string
  erasedBy: string
  erasedByName?: string
  reason: string
}

interface ReportLike {
  _id: string
  status?: unknown
  category?: unknown
  page?: unknown
  submittedAt?: unknown
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function weakPageRef(page: unknown): FeedbackErasure['page'] {
  const ref = (page as {_ref?: unknown} | null | undefined)?._ref
  return typeof ref === 'string' ? {_type: 'reference', _ref: ref, _weak: true} : undefined
}

/**
 * The erasure record that replaces `report`: what an administrator writes (with
 * `createOrReplace`, under the report's own id) to erase it. The policy accepts exactly this.
 */
export function erasureOf(
  report: ReportLike,
  erasure: {by: {id: string; name?: string | undefined}; at: string; reason: string},
): FeedbackErasure {
  const page = weakPageRef(report.page)
  const status = str(report.status)
  const category = str(report.category)
  const submittedAt = str(report.submittedAt)
  return {
    _id: report._id,
    _type: ERASURE_TYPE,
    ...(status ? {status} : {}),
    ...(category ? {category} : {}),
    ...(page ? {page} : {}),
    ...(submittedAt ? {submittedAt} : {}),
    erasedAt: erasure.at,
    erasedBy: erasure.by.id,
    ...(erasure.by.name ? {erasedByName: erasure.by.name} : {}),
    reason: erasure.reason.trim(),
  }
}

export function isErasure(document: object | null | undefined): boolean {
  return (document as {_type?: unknown} | null | undefined)?._type === ERASURE_TYPE
}

/** Structural equality of two JSON values, walked with an explicit stack. */
export function sameValue(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]]
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [unknown, unknown]
    if (x === y) continue
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false
    if (Array.isArray(x) !== Array.isArray(y)) return false
    const xo = x as Record<string, unknown>
    const yo = y as Record<string, unknown>
    const keys = Object.keys(xo).filter((k) => xo[k] !== undefined)
    const otherKeys = Object.keys(yo).filter((k) => yo[k] !== undefined)
    if (keys.length !== otherKeys.length) return false
    for (const key of keys) {
      if (!Object.hasOwn(yo, key)) return false
      stack.push([xo[key], yo[key]])
    }
  }
  return true
}

/** The first of the public's fields that differs between two versions of a report. */
export function changedPublicField(
  previous: Record<string, unknown>,
  next: Record<string, unknown>,
): PublicReportField | undefined {
  return publicReportFields.find((field) => !sameValue(previous[field], next[field]))
}

/** A time the lake can take as "now" for an audit entry or an erasure. */
export function isNearNow(at: unknown, now: number): boolean {
  if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(at)) return false
  const time = Date.parse(at)
  return Number.isFinite(time) && Math.abs(time - now) <= AUDIT_CLOCK_SKEW_MS
}
