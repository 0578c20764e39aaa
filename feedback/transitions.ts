/**
 * Moving a submission through the workflow, as a pure function of the document: the Studio's
 * actions call `applyTransition` to build their patch, and the lake (or any other writer) can
 * call `checkFeedbackChange` on a stored change to refuse one the workflow does not allow. Both
 * read only `schemas/feedbackWorkflow`, so the rules live in one place.
 */
import {
  type FeedbackStatus,
  feedbackWorkflow,
  initialFeedbackStatus,
  isFeedbackStatus,
  nextStatuses,
  requiresResolutionNote,
  roleMayEnter,
  triageRoles,
  workflowState,
} from './workflow'
import type {Role} from '../lib/roles'
import {type AuditEntry, auditEntry} from './integrity'

export interface TriageDocument {
  _id: string
  _rev?: string
  status?: unknown
  resolutionNote?: unknown
  spamReason?: unknown
  duplicateOf?: {_ref?: string} | null
}

export interface TransitionOptions {
  role?: Role | 'anonymous'
  /** The resolution note (resolved, won't fix), or why it is spam. */
  note?: string
  /** For `duplicate`: the id of the report this one repeats. */
  duplicateOf?: string
  /** Who moves it and when: the move's entry in the audit trail (the lake refuses a move without). */
  by?: {id: string; name?: string | undefined}
  at?: string
}

export interface TransitionSet {
  status: FeedbackStatus
  resolutionNote?: string
  spamReason?: string
  duplicateOf?: {_type: 'reference'; _ref: string; _weak: true}
}

export interface TransitionPatch {
  id: string
  /** Optimistic lock: the patch fails (409) if someone changed the report meanwhile. */
  ifRevisionID?: string
  set: TransitionSet
  /** Appended to `auditTrail` in the same patch (given `by` and `at`). */
  audit?: AuditEntry
}

export type TransitionResult = {ok: true; patch: TransitionPatch} | {ok: false; reason: string}

function titleOf(status: unknown): string {
  return workflowState(status)?.title ?? String(status)
}

function present(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

function listTitles(states: readonly {title: string}[]): string {
  const titles = states.map((s) => `"${s.title}"`)
  if (titles.length <= 1) return titles.join('')
  return `${titles.slice(0, -1).join(', ')} or ${titles.at(-1)}`
}

function roleNames(roles: readonly Role[]): string {
  const names = roles.map((r) => `${r}s`)
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/**
 * Why a role may not move a report from its status to `to`, or `undefined` when it may (the
 * note and duplicate requirements are checked separately, since a dialog can still supply them).
 */
export function transitionBlocker(
  from: unknown,
  to: FeedbackStatus,
  role?: Role | 'anonymous',
): string | undefined {
  const source = workflowState(from ?? initialFeedbackStatus)
  const target = workflowState(to)
  if (!source || !target) return `"${String(to)}" is not a workflow state.`
  if (source.id === target.id) return `The report is already "${target.title}".`
  if (!source.transitions.includes(target.id)) {
    const next = nextStatuses(source.id)
    return `A "${source.title}" report cannot move to "${target.title}"; it can move to ${listTitles(next)}.`
  }
  if (!roleMayEnter(target, role)) {
    return `Only ${roleNames(target.roles ?? triageRoles)} can mark reports "${target.title}".`
  }
  return undefined
}

/** The patch that moves `doc` to `to`, or why it may not move. */
export function applyTransition(
  doc: TriageDocument,
  to: FeedbackStatus,
  options: TransitionOptions = {},
): TransitionResult {
  const blocker = transitionBlocker(doc.status, to, options.role)
  if (blocker) return {ok: false, reason: blocker}
  const note = options.note?.trim()
  const set: TransitionSet = {status: to}

  if (requiresResolutionNote(to)) {
    if (!present(note)) {
      return {
        ok: false,
        reason: `Say what was changed before marking this "${titleOf(to)}": the note is the record that it was handled.`,
      }
    }
    set.resolutionNote = note
  } else if (workflowState(to)?.resolutionNote === 'recommended' && present(note)) {
    set.resolutionNote = note
  }

  if (to === 'spam') {
    if (!present(note))
      return {ok: false, reason: 'Say why this is spam, in case it was a real report.'}
    set.spamReason = note
  }

  if (to === 'duplicate') {
    const ref = options.duplicateOf ?? doc.duplicateOf?._ref
    if (!present(ref)) {
      return {ok: false, reason: 'Choose the report this one duplicates.'}
    }
    if (ref.replace(/^drafts\./, '') === doc._id.replace(/^drafts\./, '')) {
      return {ok: false, reason: 'A report cannot be a duplicate of itself.'}
    }
    set.duplicateOf = {_type: 'reference', _ref: ref, _weak: true}
  }

  const audit =
    options.by && options.at
      ? auditEntry({
          from: doc.status,
          to,
          by: options.by,
          at: options.at,
          note: set.resolutionNote ?? set.spamReason,
        })
      : undefined
  return {
    ok: true,
    patch: {
      id: doc._id,
      ...(doc._rev ? {ifRevisionID: doc._rev} : {}),
      set,
      ...(audit ? {audit} : {}),
    },
  }
}

/**
 * What a report in its state must hold, whether it was just moved there, created there or edited
 * while there: `undefined`, or what is missing.
 */
export function stateBlocker(doc: TriageDocument): string | undefined {
  if (!isFeedbackStatus(doc.status)) {
    return `"${String(doc.status)}" is not a workflow state; use one of ${feedbackWorkflow.map((s) => s.id).join(', ')}.`
  }
  if (requiresResolutionNote(doc.status) && !present(doc.resolutionNote)) {
    return `A "${titleOf(doc.status)}" report needs a resolution note: it is the record that it was handled.`
  }
  if (doc.status === 'spam' && !present(doc.spamReason)) return 'A spam report needs a reason.'
  if (doc.status === 'duplicate') {
    const ref = doc.duplicateOf?._ref
    if (!present(ref)) return 'A duplicate must say which report it duplicates.'
    if (ref.replace(/^drafts\./, '') === doc._id.replace(/^drafts\./, '')) {
      return 'A report cannot be a duplicate of itself.'
    }
  }
  return undefined
}

/** Statuses the public intake may create a report in. */
export const intakeStatuses: readonly FeedbackStatus[] = [
  'new',
  'spam',
  'duplicate',
  'not-a-page-problem',
]

/**
 * Is this change of a report's state allowed by the workflow for this role? `true`, or the reason
 * to refuse it. Creation is judged by `checkFeedbackCreation`; the public's fields, the audit trail
 * and erasure by the policy (`policy.ts`).
 */
export function checkFeedbackChange(
  previous: TriageDocument | null,
  next: TriageDocument | null,
  role?: Role | 'anonymous',
): true | string {
  if (next === null) return true
  if (previous === null) return checkFeedbackCreation(next)
  if (!isFeedbackStatus(next.status)) return stateBlocker(next) ?? true
  const from = isFeedbackStatus(previous.status) ? previous.status : initialFeedbackStatus
  if (from !== next.status) {
    const blocker = transitionBlocker(from, next.status, role)
    if (blocker) return blocker
  }
  return stateBlocker(next) ?? true
}

/** A report as the intake files it: in a state the intake may choose, with what that state needs. */
export function checkFeedbackCreation(next: TriageDocument): true | string {
  if (isFeedbackStatus(next.status) && !intakeStatuses.includes(next.status)) {
    return `New reports start as ${listTitles(feedbackWorkflow.filter((s) => intakeStatuses.includes(s.id)))}.`
  }
  return stateBlocker(next) ?? true
}

/**
 * A person may hold several roles: the move is allowed when any of them allows it. Roles the
 * workflow does not know (hosted projects' custom roles) leave the decision to the workflow and
 * to the lake's own permissions.
 */
export function blockerForRoles(
  from: unknown,
  to: FeedbackStatus,
  roles: readonly string[],
): string | undefined {
  const known = roles.filter(
    (r): r is Role => (triageRoles as readonly string[]).includes(r) || r === 'viewer',
  )
  if (known.length === 0) return transitionBlocker(from, to)
  const blockers = known.map((role) => transitionBlocker(from, to, role))
  return blockers.includes(undefined) ? undefined : blockers[0]
}

/** The role to judge a move with: the first of a person's roles that allows it. */
export function effectiveRole(
  from: unknown,
  to: FeedbackStatus,
  roles: readonly string[],
): Role | undefined {
  const known = roles.filter(
    (r): r is Role => (triageRoles as readonly string[]).includes(r) || r === 'viewer',
  )
  return known.find((role) => transitionBlocker(from, to, role) === undefined) ?? known[0]
}

/** The usual next step from a status: the first transition the workflow lists for it. */
export function naturalNextStatus(from: unknown): FeedbackStatus | undefined {
  return workflowState(from ?? initialFeedbackStatus)?.transitions[0]
}
