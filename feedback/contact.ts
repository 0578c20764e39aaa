/**
 * Reaching a reporter who asked to be contacted: their email address, kept apart from the report
 * in a `feedbackContact.<uuid>` document (the report's uuid) with its own sub-path grant, so only
 * reviewers and administrators can read it (`access.ts` `contactGrant`). It is never masked (a
 * masked address cannot be replied to) and is erased a set time after the report is closed
 * (`contactsDueForErasure`, run by the careers lake's sweep), leaving a record of the erasure.
 */
import {erasureOf, type FeedbackErasure, type FeedbackWriter} from './integrity'
import {isOpenStatus} from './workflow'

export const CONTACT_ID_PREFIX = 'feedbackContact.'
export const CONTACT_TYPE = 'feedbackContact'
export const CONTACT_ERASURE_TYPE = 'feedbackContactErasure'
/** How long after a report is closed its reporter's address is kept (GOV.UK keeps it briefly). */
export const DEFAULT_CONTACT_RETENTION_DAYS = 90
/** RFC 5321's limit on a forward path: no real address is longer. */
export const EMAIL_MAX = 254
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * One "@", something before it, a dotted domain after it, no spaces: the check GOV.UK's forms
 * make. Anything stricter refuses real addresses; the reply itself is the real test.
 */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/

export function isEmailAddress(value: string): boolean {
  return value.length <= EMAIL_MAX && EMAIL.test(value)
}

/** `feedback.<uuid>` → `feedbackContact.<uuid>`: the report and its contact share the uuid. */
export function contactIdFor(reportId: string): string {
  return `${CONTACT_ID_PREFIX}${reportId.slice(reportId.indexOf('.') + 1)}`
}

export function isContactDocumentId(id: string): boolean {
  return id.startsWith(CONTACT_ID_PREFIX) || id.includes(`.${CONTACT_ID_PREFIX}`)
}

export interface FeedbackContact {
  _id: string
  _type: typeof CONTACT_TYPE
  report: {_type: 'reference'; _ref: string; _weak: true}
  email: string
}

export function contactOf(reportId: string, email: string): FeedbackContact {
  return {
    _id: contactIdFor(reportId),
    _type: CONTACT_TYPE,
    report: {_type: 'reference', _ref: reportId, _weak: true},
    email,
  }
}

export interface ContactErasure {
  _id: string
  _type: typeof CONTACT_ERASURE_TYPE
  report: {_type: 'reference'; _ref: string; _weak: true}
  erasedAt: string
  erasedBy: string
  reason: string
}

/** What replaces a contact when it is erased: which report, when, by whom, why; no address. */
export function contactErasureOf(
  contact: {_id: string; report: {_ref: string}},
  erasure: {by: string; at: string; reason: string},
): ContactErasure {
  return {
    _id: contact._id,
    _type: CONTACT_ERASURE_TYPE,
    report: {_type: 'reference', _ref: contact.report._ref, _weak: true},
    erasedAt: erasure.at,
    erasedBy: erasure.by,
    reason: erasure.reason,
  }
}

/**
 * Everything erasing a report writes, in one transaction: the report's erasure record and, when
 * its reporter left an address (`contact`, as read by the eraser: null or an already erased one
 * count as none), the address's erasure record too. Written together, the address leaves the
 * transaction log in the same commit as the report's text, rather than at the next sweep.
 */
export function reportErasures(
  report: Parameters<typeof erasureOf>[0],
  contact: {_id: string; _type?: unknown; report?: {_ref: string}} | null | undefined,
  erasure: {by: {id: string; name?: string | undefined}; at: string; reason: string},
): [FeedbackErasure, ...ContactErasure[]] {
  const record = erasureOf(report, erasure)
  if (contact?._type !== CONTACT_TYPE || contact.report?._ref !== report._id) return [record]
  return [
    record,
    contactErasureOf(
      {_id: contact._id, report: contact.report},
      {by: erasure.by.id, at: erasure.at, reason: record.reason},
    ),
  ]
}

/** The identity the careers lake's retention sweep erases contacts as (no token holder's id). */
export const CONTACT_SWEEP_WRITER_ID = 'feedback-retention'

/** Only the sweep, or an administrator, erases a reporter's address. */
export function mayEraseContacts(writer: FeedbackWriter): boolean {
  return writer.id === CONTACT_SWEEP_WRITER_ID || writer.role === 'administrator'
}

interface ClosableReport {
  _id: string
  status?: unknown
  submittedAt?: unknown
  auditTrail?: unknown
}

/**
 * When the report was closed: the time of the move into its present (closed) state, or when it
 * was filed for reports the intake files closed (spam, duplicate, not a page problem).
 * `undefined` while it is open.
 */
export function closedAt(report: ClosableReport): number | undefined {
  if (isOpenStatus(report.status)) return undefined
  const trail = Array.isArray(report.auditTrail) ? (report.auditTrail as unknown[]) : []
  for (let i = trail.length - 1; i >= 0; i--) {
    const entry = trail[i] as {to?: unknown; at?: unknown} | null
    if (entry && entry.to === report.status && typeof entry.at === 'string') {
      return Date.parse(entry.at)
    }
  }
  return typeof report.submittedAt === 'string' ? Date.parse(report.submittedAt) : undefined
}

/**
 * The contacts to erase now: those whose report has been closed for `retentionDays` or more, and
 * those whose report is gone (erased: nothing remains to reply about).
 */
export function contactsDueForErasure(
  contacts: readonly {_id: string; report: {_ref: string}}[],
  reports: ReadonlyMap<string, ClosableReport | {_type: string}>,
  now: number,
  retentionDays: number = DEFAULT_CONTACT_RETENTION_DAYS,
): {_id: string; report: {_ref: string}; reason: string}[] {
  const due: {_id: string; report: {_ref: string}; reason: string}[] = []
  for (const contact of contacts) {
    const report = reports.get(contact.report._ref) as ClosableReport | undefined
    if (!report || (report as {_type?: unknown})._type !== 'feedbackSubmission') {
      due.push({...contact, reason: 'The report was erased.'})
      continue
    }
    const closed = closedAt(report)
    if (closed !== undefined && now - closed >= retentionDays * DAY_MS) {
      due.push({
        ...contact,
        reason: `Kept ${retentionDays} days after the report was closed.`,
      })
    }
  }
  return due
}

/** `FEEDBACK_CONTACT_RETENTION_DAYS`: a whole number of days, or the default. */
export function contactRetentionDays(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_CONTACT_RETENTION_DAYS
  if (!/^\d+$/.test(value.trim())) {
    throw new Error(
      `FEEDBACK_CONTACT_RETENTION_DAYS must be a whole number of days, not "${value}".`,
    )
  }
  return Number(value.trim())
}
