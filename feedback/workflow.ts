/**
 * The feedback workflow as data: the one source the schema's `status` options, the Studio's
 * actions and badges, the triage queries and the public intake all read.
 *
 * This module is deliberately free of `sanity` imports so the intake server and GROQ query modules
 * can load it without pulling in the Studio.
 */
import type {Role} from '../lib/roles'

/** Document ids of public reports live under this sub-path, so only token holders can read them. */
export const FEEDBACK_ID_PREFIX = 'feedback.'

/** The `_id` of the feedback document for a given UUID (`feedback.<uuid>`). */
export function feedbackDocumentId(uuid: string): string {
  return `${FEEDBACK_ID_PREFIX}${uuid}`
}

/** True for ids under the feedback sub-path (with or without a drafts/version prefix). */
export function isFeedbackDocumentId(id: string): boolean {
  return id.startsWith(FEEDBACK_ID_PREFIX) || id.includes(`.${FEEDBACK_ID_PREFIX}`)
}

export const feedbackStatusIds = [
  'new',
  'triaged',
  'in-progress',
  'resolved',
  'wont-fix',
  'duplicate',
  'spam',
  'not-a-page-problem',
] as const

export type FeedbackStatus = (typeof feedbackStatusIds)[number]

/** Tones match `@sanity/ui` card/badge tones; `color` matches document badge colours. */
export type WorkflowTone = 'default' | 'primary' | 'positive' | 'caution' | 'critical'
export type WorkflowBadgeColor = 'primary' | 'success' | 'warning' | 'danger'

export interface FeedbackWorkflowState {
  id: FeedbackStatus
  title: string
  /** One line for editors: what the state means and what happens next. */
  description: string
  tone: WorkflowTone
  color: WorkflowBadgeColor
  /** States a submission may move to from this one. */
  transitions: readonly FeedbackStatus[]
  /** Roles allowed to move a submission INTO this state; every triage role when absent. */
  roles?: readonly Role[]
  /** Open submissions still count against their page and show in the triage queues. */
  open: boolean
  /** Whether the `resolutionNote` must (`required`) or should (`recommended`) be filled in. */
  resolutionNote?: 'required' | 'recommended'
}

/** Everyone who may triage feedback; viewers only read it. */
export const triageRoles: readonly Role[] = ['administrator', 'editor', 'reviewer']

export const feedbackWorkflow: readonly FeedbackWorkflowState[] = [
  {
    id: 'new',
    title: 'New',
    description: 'Just submitted; nobody has looked at it yet.',
    tone: 'primary',
    color: 'primary',
    transitions: ['triaged', 'duplicate', 'spam', 'not-a-page-problem'],
    open: true,
  },
  {
    id: 'triaged',
    title: 'Triaged',
    description: 'Read and accepted as a real problem with the page; waiting for someone to act.',
    tone: 'caution',
    color: 'warning',
    transitions: ['in-progress', 'wont-fix', 'duplicate', 'spam', 'not-a-page-problem'],
    open: true,
  },
  {
    id: 'in-progress',
    title: 'In progress',
    description: 'Someone is changing the page.',
    tone: 'caution',
    color: 'warning',
    transitions: ['resolved', 'wont-fix', 'duplicate', 'triaged'],
    open: true,
  },
  {
    id: 'resolved',
    title: 'Resolved',
    description: 'The page was fixed; the resolution note says what changed.',
    tone: 'positive',
    color: 'success',
    transitions: ['in-progress'],
    open: false,
    resolutionNote: 'required',
  },
  {
    id: 'wont-fix',
    title: "Won't fix",
    description: 'Considered and declined; the note says why.',
    tone: 'default',
    color: 'primary',
    transitions: ['triaged'],
    open: false,
    resolutionNote: 'recommended',
  },
  {
    id: 'duplicate',
    title: 'Duplicate',
    description: 'Another submission already reports this; see "Duplicate of".',
    tone: 'default',
    color: 'primary',
    transitions: ['triaged'],
    open: false,
  },
  {
    id: 'spam',
    title: 'Spam',
    description: 'Not a genuine report; kept out of counts and exports.',
    tone: 'critical',
    color: 'danger',
    transitions: ['new'],
    roles: ['administrator', 'reviewer'],
    open: false,
  },
  {
    id: 'not-a-page-problem',
    title: 'Not a page problem',
    description: 'Genuine, but not about the page (e.g. a career question for the contact team).',
    tone: 'default',
    color: 'primary',
    transitions: ['triaged'],
    open: false,
  },
]

export const initialFeedbackStatus: FeedbackStatus = 'new'

const byId = new Map<string, FeedbackWorkflowState>(feedbackWorkflow.map((s) => [s.id, s]))

export function isFeedbackStatus(value: unknown): value is FeedbackStatus {
  return typeof value === 'string' && byId.has(value)
}

/** The state for an id, or `undefined` for anything that is not a workflow state. */
export function workflowState(id: unknown): FeedbackWorkflowState | undefined {
  return typeof id === 'string' ? byId.get(id) : undefined
}

/** Whether a role may move a submission into `state` (no role: the workflow alone decides). */
export function roleMayEnter(state: FeedbackWorkflowState, role?: Role | 'anonymous'): boolean {
  if (role === undefined) return true
  if (role === 'anonymous') return false
  return (state.roles ?? triageRoles).includes(role)
}

/** Whether the workflow allows `from → to`, and, given a role, whether that role may do it. */
export function canTransition(from: unknown, to: unknown, role?: Role | 'anonymous'): boolean {
  const source = workflowState(from)
  const target = workflowState(to)
  if (!source || !target) return false
  return source.transitions.includes(target.id) && roleMayEnter(target, role)
}

/** The states reachable from `from` in one step (for a role, when given), in workflow order. */
export function nextStatuses(from: unknown, role?: Role | 'anonymous'): FeedbackWorkflowState[] {
  return feedbackWorkflow.filter((state) => canTransition(from, state.id, role))
}

/** Statuses that still need attention: the triage queues and per-page counts use these. */
export const openFeedbackStatuses: readonly FeedbackStatus[] = feedbackWorkflow
  .filter((s) => s.open)
  .map((s) => s.id)

export const closedFeedbackStatuses: readonly FeedbackStatus[] = feedbackWorkflow
  .filter((s) => !s.open)
  .map((s) => s.id)

export function isOpenStatus(status: unknown): boolean {
  return workflowState(status)?.open ?? false
}

/** Whether moving to `status` needs a resolution note (an error when missing). */
export function requiresResolutionNote(status: unknown): boolean {
  return workflowState(status)?.resolutionNote === 'required'
}

export const feedbackCategoryIds = [
  'wrong-or-out-of-date',
  'broken-link',
  'could-be-improved',
  'career-question',
] as const

export type FeedbackCategory = (typeof feedbackCategoryIds)[number]

export interface FeedbackCategoryDefinition {
  id: FeedbackCategory
  title: string
  /** Career questions are not page problems: the form points people to the contact page. */
  routeToContactPage: boolean
}

export const feedbackCategories: readonly FeedbackCategoryDefinition[] = [
  {
    id: 'wrong-or-out-of-date',
    title: 'Something is wrong or out of date',
    routeToContactPage: false,
  },
  {id: 'broken-link', title: 'A link is broken', routeToContactPage: false},
  {id: 'could-be-improved', title: 'Something could be improved', routeToContactPage: false},
  {id: 'career-question', title: 'I have a question about my career', routeToContactPage: true},
]

export function isFeedbackCategory(value: unknown): value is FeedbackCategory {
  return typeof value === 'string' && feedbackCategories.some((c) => c.id === value)
}

export function isRoutedToContactPage(category: unknown): boolean {
  return feedbackCategories.some((c) => c.id === category && c.routeToContactPage)
}
