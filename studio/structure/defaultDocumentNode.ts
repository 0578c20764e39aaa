import type {DefaultDocumentNodeResolver} from 'sanity/structure'

import {canReadFeedback, pageFeedbackView} from '../feedback'

/** Pages show the feedback readers sent about them beside the form, to those who may read it. */
export const defaultDocumentNode: DefaultDocumentNodeResolver = (S, {schemaType, currentUser}) =>
  schemaType === 'page' && canReadFeedback(currentUser)
    ? S.document().views([S.view.form(), pageFeedbackView(S)])
    : undefined
