/**
 * Who may do what with feedback reports, as data the lake's access table takes (a sub-path grant,
 * as Content Lake's custom roles grant by `_id in path("feedback.**")`). Reports may hold personal
 * data, so viewers never read them; reviewers triage them and may write nothing else; only an
 * administrator may remove a published report, and the write policy (`policy.ts`) lets even them
 * only erase one, leaving its erasure record (it is evidence of what the public told us).
 */
import {isRole, type Role} from '../lib/roles'
import {CONTACT_ID_PREFIX} from './contact'
import {USEFUL_ID_PREFIX} from './useful'
import {FEEDBACK_ID_PREFIX} from './workflow'

export interface FeedbackGrant {
  prefix: string
  read: readonly Role[]
  write: readonly Role[]
  deletePublished: readonly Role[]
}

export const feedbackGrant: FeedbackGrant = {
  prefix: FEEDBACK_ID_PREFIX,
  read: ['administrator', 'editor', 'reviewer'],
  write: ['administrator', 'editor', 'reviewer'],
  deletePublished: ['administrator'],
}

/** The role the public intake writes as: the least that may create a report. */
export const INTAKE_ROLE: Role = 'reviewer'

/**
 * Whether someone with these roles may read reports (the Studio hides feedback lists, panels and
 * tools from those who may not). Roles this project does not define (a hosted project's custom
 * roles) are left to the lake to decide, so they count as "may".
 */
export function mayReadFeedback(roles: readonly string[]): boolean {
  return roles.some((role) => !isRole(role) || feedbackGrant.read.includes(role))
}

/** Whether someone with these roles may write to reports at all (move, assign, note). */
export function mayWriteFeedback(roles: readonly string[]): boolean {
  return roles.some((role) => !isRole(role) || feedbackGrant.write.includes(role))
}

/** Only administrators erase a report (`integrity.ts` `erasureOf`). */
export const ERASER_ROLES: readonly Role[] = ['administrator']

export function mayEraseReports(roles: readonly string[]): boolean {
  return roles.some((role) => isRole(role) && ERASER_ROLES.includes(role))
}

/**
 * Reporters' email addresses (`contact.ts`): read by those who reply to them (reviewers) and
 * administrators only; editors and viewers never, the public never. Reviewers' write access is the
 * intake's (it writes as a reviewer); the policy lets only the intake create one, nobody change
 * one, and only the retention sweep or an administrator erase one.
 */
export const contactGrant: FeedbackGrant = {
  prefix: CONTACT_ID_PREFIX,
  read: ['administrator', 'reviewer'],
  write: ['administrator', 'reviewer'],
  deletePublished: [],
}

/**
 * "Is this page useful?" counts: nothing personal, so editors (who act on them) read them too;
 * the intake writes them as a reviewer, and the policy lets nobody else.
 */
export const usefulGrant: FeedbackGrant = {
  prefix: USEFUL_ID_PREFIX,
  read: ['administrator', 'editor', 'reviewer'],
  write: ['administrator', 'reviewer'],
  deletePublished: [],
}

/** Whether someone with these roles may read reporters' addresses. */
export function mayReadContacts(roles: readonly string[]): boolean {
  return roles.some((role) => !isRole(role) || contactGrant.read.includes(role))
}
