import type {
  DocumentActionsResolver,
  DocumentBadgesResolver,
  NewDocumentOptionsResolver,
} from 'sanity'

import {singletonTypes} from '../schemas'
import {feedbackDocumentActions, feedbackDocumentBadges} from './feedback'
import {useMarkReviewedAction} from './review/useMarkReviewedAction'
import {useReviewDueBadge} from './review/useReviewDueBadge'

/** A singleton is edited in place: it is never unpublished, deleted or copied. */
const SINGLETON_ACTIONS_OFF = new Set(['unpublish', 'delete', 'duplicate'])

export const resolveDocumentActions: DocumentActionsResolver = (prev, context) => {
  if (singletonTypes.has(context.schemaType)) {
    return prev.filter((action) => !SINGLETON_ACTIONS_OFF.has(action.action ?? ''))
  }
  // Feedback's resolver runs for every type (it decides what it touches), then ours adds to pages.
  const actions = feedbackDocumentActions(prev, context)
  return context.schemaType === 'page' ? [...actions, useMarkReviewedAction] : actions
}

export const resolveDocumentBadges: DocumentBadgesResolver = (prev, context) =>
  feedbackDocumentBadges(
    context.schemaType === 'page' ? [...prev, useReviewDueBadge] : prev,
    context,
  )

/** Singletons never appear in "Create new document" menus. */
export const resolveNewDocumentOptions: NewDocumentOptionsResolver = (prev, {creationContext}) =>
  creationContext.type === 'global'
    ? prev.filter((item) => !singletonTypes.has(item.templateId))
    : prev
