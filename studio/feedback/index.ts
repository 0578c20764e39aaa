/**
 * The Studio side of "report a problem with this page". `sanity.config.ts` wires:
 *
 *   structureTool({structure: (S, ctx) => S.list().items([..., feedbackStructure(S, ctx)]),
 *     defaultDocumentNode: (S, {schemaType}) => schemaType === 'page'
 *       ? S.document().views([S.view.form(), pageFeedbackView(S)]) : undefined})
 *   tools: (prev) => [...prev, feedbackOverviewTool]
 *   document: {actions: feedbackDocumentActions, badges: feedbackDocumentBadges}
 */
import type {
  DocumentActionComponent,
  DocumentActionsContext,
  DocumentBadgeComponent,
  DocumentBadgesContext,
} from 'sanity'

import {FEEDBACK_TYPE} from './queries'
import {useAddInternalNoteAction} from './useAddInternalNoteAction'
import {canEraseReports, canReadFeedback, canWriteFeedback} from './roles'
import {useAssignToMeAction} from './useAssignToMeAction'
import {useReplyToReporterAction} from './useReplyToReporterAction'
import {useEraseReportAction} from './useEraseReportAction'
import {useFeedbackStatusBadge} from './useFeedbackStatusBadge'
import {feedbackTransitionActions, useNextStepAction} from './useFeedbackTransitionActions'
import {usePageFeedbackBadge} from './usePageFeedbackBadge'

export {feedbackOverviewTool} from './FeedbackOverviewTool'
export {canReadFeedback} from './roles'
export {feedbackStructure, pageFeedbackView} from './structure'

/**
 * Feedback gets its workflow actions (the usual next step first), then assign and note, then
 * "Erase report" for administrators. None of the Studio's default actions is kept: the lake
 * refuses every one of them on a report (Delete and Unpublish remove it, Duplicate and Restore
 * would write what the public said anew, Discard has no draft to discard), so offering them would
 * only lead to an error.
 */
export function feedbackDocumentActions(
  prev: DocumentActionComponent[],
  context: DocumentActionsContext,
): DocumentActionComponent[] {
  if (context.schemaType !== FEEDBACK_TYPE) return prev
  if (!canWriteFeedback(context.currentUser)) return []
  return [
    useNextStepAction,
    ...feedbackTransitionActions,
    useAssignToMeAction,
    useAddInternalNoteAction,
    useReplyToReporterAction,
    ...(canEraseReports(context.currentUser) ? [useEraseReportAction] : []),
  ]
}

export function feedbackDocumentBadges(
  prev: DocumentBadgeComponent[],
  context: DocumentBadgesContext,
): DocumentBadgeComponent[] {
  if (context.schemaType === FEEDBACK_TYPE) return [useFeedbackStatusBadge, ...prev]
  if (context.schemaType === 'page') {
    return canReadFeedback(context.currentUser) ? [...prev, usePageFeedbackBadge] : prev
  }
  return prev
}
