/**
 * The "Feedback" branch of the Studio's structure: the inbox per workflow state, what is assigned
 * to me, feedback by page, and spam kept apart (never in an inbox, but rescuable).
 */
import {CommentIcon} from '@sanity/icons/Comment'
import {DocumentTextIcon} from '@sanity/icons/DocumentText'
import {UserIcon} from '@sanity/icons/User'
import {TrashIcon} from '@sanity/icons/Trash'
import type {ListItemBuilder, StructureBuilder, StructureResolverContext} from 'sanity/structure'

import {apiVersion} from '../../lib/env'
import {feedbackWorkflow} from '../../feedback/workflow'
import {PageFeedbackPanel} from './PageFeedbackView'
import {FEEDBACK_TYPE, feedbackFilters, openStatusParams} from './queries'

const newestFirst = [{field: 'submittedAt', direction: 'desc' as const}]

function feedbackList(
  S: StructureBuilder,
  title: string,
  filter: string,
  params: Record<string, unknown>,
) {
  return S.documentList()
    .title(title)
    .schemaType(FEEDBACK_TYPE)
    .apiVersion(apiVersion)
    .filter(filter)
    .params(params)
    .defaultOrdering(newestFirst)
}

export function feedbackStructure(
  S: StructureBuilder,
  // Kept for the documented signature; "assigned to me" asks the lake who is asking instead.
  _context?: StructureResolverContext,
): ListItemBuilder {
  const states = feedbackWorkflow.filter((s) => s.id !== 'spam')
  return S.listItem()
    .id('feedback')
    .title('Feedback')
    .icon(CommentIcon)
    .child(
      S.list()
        .id('feedback')
        .title('Feedback')
        .items([
          S.listItem()
            .id('feedback-open')
            .title('Open')
            .icon(CommentIcon)
            .child(feedbackList(S, 'Open feedback', feedbackFilters.open, openStatusParams)),
          S.listItem()
            .id('feedback-assigned-to-me')
            .title('Assigned to me')
            .icon(UserIcon)
            .child(feedbackList(S, 'Assigned to me', feedbackFilters.assignedToMe, {})),
          S.listItem()
            .id('feedback-by-page')
            .title('About this page (by page)')
            .icon(DocumentTextIcon)
            .child(
              S.documentTypeList('page')
                .title('Feedback by page')
                .child((pageId) =>
                  feedbackList(S, 'Feedback about this page', feedbackFilters.aboutPage, {pageId}),
                ),
            ),
          S.divider(),
          ...states.map((state) =>
            S.listItem()
              .id(`feedback-${state.id}`)
              .title(state.title)
              .child(feedbackList(S, state.title, feedbackFilters.byStatus, {status: state.id})),
          ),
          S.divider(),
          S.listItem()
            .id('feedback-spam')
            .title('Spam (not in the inbox)')
            .icon(TrashIcon)
            .child(feedbackList(S, 'Spam', feedbackFilters.byStatus, {status: 'spam'})),
        ]),
    )
}

/** The page document's "Feedback" view, beside its form. */
export function pageFeedbackView(S: StructureBuilder) {
  return S.view.component(PageFeedbackPanel).id('feedback').title('Feedback')
}
