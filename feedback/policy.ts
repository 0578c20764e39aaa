/**
 * The feedback rules as a write policy: every change to a report, from any writer (the Studio's
 * actions, a raw patch or `createOrReplace` with a token, the intake), is checked here inside the
 * lake's commit. Pure: the careers lake (`app/lake.ts`) turns a refusal into the lake's 409 (403
 * when the writer's role may never do it).
 *
 * - Only the intake files a report (`mayFileReports`), in a state the intake may choose, with what
 *   that state needs and no audit trail.
 * - The public's fields (`integrity.ts` `publicReportFields`) never change after intake.
 * - Reports are edited live: a draft or version of one may not be written (it would be a second
 *   copy of what the public wrote, out of reach of erasure); a stray one may be deleted.
 * - Every state a report is in obeys the workflow (`transitions.ts`), on creation, on a move and
 *   on any other edit (a resolved report keeps its resolution note).
 * - A move appends exactly one audit entry, by the mover, now; entries are never edited or
 *   removed, and no entry is added without a move.
 * - A report is never deleted: an administrator erases it by replacing it with its erasure record
 *   (`erasureOf`), which is never changed or deleted afterwards.
 */
import {
  type AuditEntry,
  AUDIT_ENTRY_TYPE,
  changedPublicField,
  ERASURE_TYPE,
  erasureOf,
  type FeedbackWriter,
  isErasure,
  isNearNow,
  sameValue,
} from './integrity'
import {
  CONTACT_ERASURE_TYPE,
  CONTACT_TYPE,
  contactErasureOf,
  isContactDocumentId,
  isEmailAddress,
  mayEraseContacts,
} from './contact'
import {isUsefulDocumentId, USEFUL_TYPE, usefulAnswers} from './useful'
import {checkFeedbackChange, checkFeedbackCreation, type TriageDocument} from './transitions'
import {
  isFeedbackDocumentId,
  isFeedbackStatus,
  requiresResolutionNote,
  workflowState,
} from './workflow'

type Doc = TriageDocument & Record<string, unknown>

export interface FeedbackChange {
  documentId: string
  previous: TriageDocument | null
  result: TriageDocument | null
}

export interface FeedbackRefusal {
  /** 403: the writer's role may never do this; 409: the write breaks a rule of the record. */
  status: 403 | 409
  description: string
}

const isDraftOrVersion = (id: string): boolean =>
  id.startsWith('drafts.') || id.startsWith('versions.')

export interface FeedbackPolicyOptions {
  /** The user ids the intake writes as (its own identity, its token's holder). */
  intakeWriters: readonly string[]
  /** The lake's clock, for the times in audit entries and erasures. */
  now?: number
}

/**
 * `undefined` when every change to a report keeps the record true, else why not (naming the
 * document).
 */
export function feedbackWriteRefusal(
  changes: readonly FeedbackChange[],
  writer: FeedbackWriter,
  options: FeedbackPolicyOptions,
): FeedbackRefusal | undefined {
  const context: Context = {
    writer,
    now: options.now ?? Date.now(),
    isIntake: options.intakeWriters.includes(writer.id),
  }
  for (const change of changes) {
    const other = isContactDocumentId(change.documentId)
      ? checkContactChange(change, context)
      : isUsefulDocumentId(change.documentId)
        ? checkUsefulChange(change, context)
        : undefined
    if (other) {
      return {status: other.status, description: `${change.documentId}: ${other.description}`}
    }
    if (!isFeedbackDocumentId(change.documentId)) continue
    const refusal = checkChange(change, context)
    if (refusal) {
      return {status: refusal.status, description: `${change.documentId}: ${refusal.description}`}
    }
  }
  return undefined
}

interface Context {
  writer: FeedbackWriter
  now: number
  isIntake: boolean
}

/**
 * The intake files reports: the careers lake's own intake and a frontend's intake with the token
 * made for it (`intakeWriters`), or an administrator (a restore, a migration: administrators hold
 * the lake's data directory anyway). The rule keeps editors and reviewers, who triage reports,
 * from making them up. Either way a report is filed only as the intake files one.
 */
export function mayFileReports(isIntake: boolean, writer: FeedbackWriter): boolean {
  return isIntake || writer.role === 'administrator'
}

const conflict = (description: string): FeedbackRefusal => ({status: 409, description})
const forbidden = (description: string): FeedbackRefusal => ({status: 403, description})

function checkChange(
  {documentId, previous, result}: FeedbackChange,
  {writer, now, isIntake}: Context,
): FeedbackRefusal | undefined {
  const before = previous as Doc | null
  const after = result as Doc | null
  if (isDraftOrVersion(documentId)) {
    if (after === null) return undefined
    return conflict(
      'Reports are edited live: a draft or version of a report may not be written (it would be a copy of what the public wrote that erasure could miss).',
    )
  }
  if (before === null) {
    if (after === null) return undefined
    if (isErasure(after)) return conflict('An erasure record replaces an existing report.')
    if (!mayFileReports(isIntake, writer)) {
      return forbidden(
        'Only the feedback intake files reports: what the public told us is recorded as they sent it.',
      )
    }
    if (Array.isArray(after['auditTrail']) && after['auditTrail'].length > 0) {
      return conflict('A new report has no moves in its audit trail yet.')
    }
    return workflow(checkFeedbackCreation(after))
  }
  if (isErasure(before)) {
    return conflict(
      after === null
        ? 'An erasure record is kept: it is the record that a report was erased, by whom and why.'
        : 'An erasure record cannot be changed.',
    )
  }
  if (after === null) {
    return conflict(
      'Reports are not deleted. An administrator erases one instead, replacing it with its erasure record (who, when and why; see feedback/README.md).',
    )
  }
  if (isErasure(after)) return checkErasure(before, after, writer, now)

  const field = changedPublicField(before, after)
  if (field) {
    return conflict(
      `"${field}" is what the public sent (or the intake worked out from it) and cannot be changed.`,
    )
  }
  const verdict = workflow(checkFeedbackChange(before, after, writer.role))
  if (verdict) return verdict
  const audit = checkAuditTrail(before, after, writer, now)
  return audit ? conflict(audit) : undefined
}

function workflow(verdict: true | string): FeedbackRefusal | undefined {
  return verdict === true ? undefined : conflict(`Feedback workflow: ${verdict}`)
}

function trailOf(doc: Doc): unknown[] | string {
  const trail = doc['auditTrail']
  if (trail === undefined || trail === null) return []
  return Array.isArray(trail) ? trail : 'The audit trail is a list of moves.'
}

/**
 * The notes a move's entry may carry: the one the new state keeps (the spam reason, the resolution
 * note), required where the state requires it; where the note is only recommended (won't fix), the
 * entry may also carry none.
 */
function allowedNotes(after: Doc): {notes: (string | undefined)[]; expected: string} {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  if (after.status === 'spam' || requiresResolutionNote(after.status)) {
    const note = text(after.status === 'spam' ? after.spamReason : after.resolutionNote)
    return {notes: [note], expected: note ? `note "${note}"` : 'no note'}
  }
  if (workflowState(after.status)?.resolutionNote === 'recommended') {
    const note = text(after.resolutionNote)
    return {notes: [undefined, note], expected: note ? `no note or note "${note}"` : 'no note'}
  }
  return {notes: [undefined], expected: 'no note'}
}

function checkAuditTrail(
  before: Doc,
  after: Doc,
  writer: FeedbackWriter,
  now: number,
): string | undefined {
  const previous = trailOf(before)
  const next = trailOf(after)
  if (typeof next === 'string') return next
  if (typeof previous === 'string') return undefined
  const kept = previous.every((entry, i) => sameValue(entry, next[i]))
  if (!kept || next.length < previous.length) {
    return 'Audit trail entries cannot be edited or removed.'
  }
  const added = next.slice(previous.length)
  const moved = before.status !== after.status
  if (!moved) {
    return added.length === 0
      ? undefined
      : 'An audit trail entry records a move; this write does not move the report.'
  }
  if (added.length !== 1) {
    return `Moving a report appends one entry to its audit trail (who moved it to "${String(after.status)}", when, with which note); this write adds ${added.length}.`
  }
  const entry = added[0] as Partial<AuditEntry> & Record<string, unknown>
  const from = isFeedbackStatus(before.status) ? before.status : undefined
  const problems: string[] = []
  if (entry._type !== AUDIT_ENTRY_TYPE) problems.push(`_type "${AUDIT_ENTRY_TYPE}"`)
  if (typeof entry._key !== 'string' || entry._key === '') problems.push('a _key')
  if (entry.to !== after.status) problems.push(`to "${String(after.status)}"`)
  if (entry.from !== from) problems.push(`from "${String(from)}"`)
  if (entry.by !== writer.id) problems.push(`by "${writer.id}" (the mover)`)
  if (entry.byName !== undefined && entry.byName !== writer.name) {
    problems.push(`byName "${writer.name ?? ''}" or none`)
  }
  if (!isNearNow(entry.at, now)) problems.push('at: the time of the move (ISO 8601, now)')
  const {notes, expected} = allowedNotes(after)
  if (!notes.includes(typeof entry.note === 'string' ? entry.note : undefined)) {
    problems.push(expected)
  }
  return problems.length
    ? `The move's audit trail entry must have ${problems.join(', ')}.`
    : undefined
}

function checkErasure(
  before: Doc,
  after: Doc,
  writer: FeedbackWriter,
  now: number,
): FeedbackRefusal | undefined {
  if (writer.role !== 'administrator') {
    return forbidden('Only an administrator erases a report.')
  }
  const reason = after['reason']
  if (typeof reason !== 'string' || reason.trim() === '') {
    return conflict('Say why the report is erased: the erasure record keeps the reason.')
  }
  if (!isNearNow(after['erasedAt'], now)) {
    return conflict('"erasedAt" must be the time of the erasure (ISO 8601, now).')
  }
  const expected = erasureOf(before, {
    by: {id: writer.id, ...(typeof after['erasedByName'] === 'string' ? {name: writer.name} : {})},
    at: after['erasedAt'] as string,
    reason,
  })
  // The lake's own fields are not the writer's to match.
  const stored: Record<string, unknown> = {...after, reason: reason.trim()}
  for (const system of ['_rev', '_createdAt', '_updatedAt']) delete stored[system]
  if (!sameValue(stored, expected)) {
    return conflict(
      `An erasure record holds exactly: _id, _type "${ERASURE_TYPE}", the report's status, category, page and submittedAt, erasedAt, erasedBy (you: "${writer.id}"), erasedByName (optional) and reason. Build it with erasureOf() from feedback/integrity.ts.`,
    )
  }
  return undefined
}

/**
 * A reporter's address follows the report's rules: only the intake files one (with its report,
 * holding exactly the report reference and a valid address); nobody changes it; nobody deletes
 * it; only the retention sweep or an administrator erases it, replacing it with its erasure
 * record (`contactErasureOf`), which is then kept unchanged.
 */
function checkContactChange(
  {documentId, previous, result}: FeedbackChange,
  {writer, now, isIntake}: Context,
): FeedbackRefusal | undefined {
  const before = previous as Doc | null
  const after = result as Doc | null
  if (isDraftOrVersion(documentId)) {
    return after === null
      ? undefined
      : conflict("A reporter's address has no drafts: it is written once, by the intake.")
  }
  if (before === null) {
    if (after === null) return undefined
    if (!isIntake) return forbidden("Only the feedback intake records a reporter's address.")
    const keys = Object.keys(after).filter((k) => !['_rev', '_createdAt', '_updatedAt'].includes(k))
    const report = after['report'] as {_ref?: unknown} | undefined
    if (
      after['_type'] !== CONTACT_TYPE ||
      typeof after['email'] !== 'string' ||
      !isEmailAddress(after['email']) ||
      typeof report?._ref !== 'string' ||
      keys.some((k) => !['_id', '_type', 'report', 'email'].includes(k))
    ) {
      return conflict(
        `A reporter's address holds exactly _id, _type "${CONTACT_TYPE}", report (a reference) and email (a valid address).`,
      )
    }
    return undefined
  }
  if (before['_type'] === CONTACT_ERASURE_TYPE) {
    return conflict("The record that a reporter's address was erased is kept unchanged.")
  }
  if (after === null) {
    return conflict(
      "A reporter's address is not deleted: it is erased, leaving a record (see feedback/README.md).",
    )
  }
  if (after['_type'] !== CONTACT_ERASURE_TYPE) {
    return conflict("A reporter's address cannot be changed; it can only be erased.")
  }
  if (!mayEraseContacts(writer)) {
    return forbidden("Only the retention sweep or an administrator erases a reporter's address.")
  }
  const reason = after['reason']
  if (typeof reason !== 'string' || reason.trim() === '') {
    return conflict('Say why the address is erased: the erasure record keeps the reason.')
  }
  if (!isNearNow(after['erasedAt'], now)) {
    return conflict('"erasedAt" must be the time of the erasure (ISO 8601, now).')
  }
  const expected = contactErasureOf(before as unknown as {_id: string; report: {_ref: string}}, {
    by: writer.id,
    at: after['erasedAt'] as string,
    reason,
  })
  const stored: Record<string, unknown> = {...after}
  for (const system of ['_rev', '_createdAt', '_updatedAt']) delete stored[system]
  return sameValue(stored, expected)
    ? undefined
    : conflict(
        `An address's erasure record holds exactly: _id, _type "${CONTACT_ERASURE_TYPE}", report, erasedAt, erasedBy (you: "${writer.id}") and reason. Build it with contactErasureOf() from feedback/contact.ts.`,
      )
}

/**
 * "Is this page useful?" counters: only the intake creates one (at zero) and only the intake
 * changes one, and then only by adding to its counts; nobody deletes one.
 */
function checkUsefulChange(
  {documentId, previous, result}: FeedbackChange,
  {isIntake}: Context,
): FeedbackRefusal | undefined {
  const before = previous as Doc | null
  const after = result as Doc | null
  if (isDraftOrVersion(documentId)) {
    return after === null ? undefined : conflict('Usefulness counts have no drafts.')
  }
  if (!isIntake) {
    return forbidden('Only the feedback intake counts answers to "Is this page useful?".')
  }
  if (after === null) {
    return before === null ? undefined : conflict('Usefulness counts are not deleted.')
  }
  if (after['_type'] !== USEFUL_TYPE)
    return conflict(`A usefulness count is of _type "${USEFUL_TYPE}".`)
  for (const answer of usefulAnswers) {
    const next = after[answer]
    const was = before === null ? 0 : before[answer]
    if (
      typeof next !== 'number' ||
      !Number.isInteger(next) ||
      typeof was !== 'number' ||
      next < was
    ) {
      return conflict(`"${answer}" is a count that only goes up.`)
    }
  }
  if (before !== null) {
    for (const field of ['page', 'path', 'day']) {
      if (!sameValue(before[field], after[field])) {
        return conflict(`"${field}" of a usefulness count cannot be changed.`)
      }
    }
  }
  return undefined
}
