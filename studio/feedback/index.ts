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
import {useAssignToMeAction} from './useAssignToMeAction'
import {useFeedbackStatusBadge} from './useFeedbackStatusBadge'
import {feedbackTransitionActions, useNextStepAction} from './useFeedbackTransitionActions'
import {usePageFeedbackBadge} from './usePageFeedbackBadge'

export {feedbackOverviewTool} from './FeedbackOverviewTool'
export {feedbackStructure, pageFeedbackView} from './structure'

/**
 * Feedback gets its workflow actions (the usual next step first, as the primary button), then
 * assign and note. The default "Duplicate" action is dropped: a copy would get a root-path id,
 * readable by the public.
 */
export function feedbackDocumentActions(
  prev: DocumentActionComponent[],
  context: DocumentActionsContext,
): DocumentActionComponent[] {
  if (context.schemaType !== FEEDBACK_TYPE) return prev
  return [
    useNextStepAction,
    ...feedbackTransitionActions,
    useAssignToMeAction,
    useAddInternalNoteAction,
    ...prev.filter((action) => action.action !== 'duplicate'),
  ]
}

export function feedbackDocumentBadges(
  prev: DocumentBadgeComponent[],
  context: DocumentBadgesContext,
): DocumentBadgeComponent[] {
  if (context.schemaType === FEEDBACK_TYPE) return [useFeedbackStatusBadge, ...prev]
  if (context.schemaType === 'page') return [...prev, usePageFeedbackBadge]
  return prev
}
