/**
 * The feedback workflow as a write policy: every change to a report, from any writer (the Studio's
 * actions, a raw patch with a token, the intake), moves it only as `workflow.ts` allows. Pure: the
 * careers lake (`app/lake.ts`) turns a refusal into the lake's 409.
 */
import type {Role} from '../lib/roles'
import {checkFeedbackTransaction, type TriageDocument} from './transitions'
import {isFeedbackDocumentId} from './workflow'

export interface FeedbackChange {
  documentId: string
  previous: TriageDocument | null
  result: TriageDocument | null
}

/** `undefined` when every change obeys the workflow, else why not (naming the document). */
export function feedbackWorkflowRefusal(
  changes: readonly FeedbackChange[],
  role: Role | 'anonymous',
): string | undefined {
  const verdict = checkFeedbackTransaction(changes, role, isFeedbackDocumentId)
  return verdict === true ? undefined : `Feedback workflow: ${verdict}`
}
