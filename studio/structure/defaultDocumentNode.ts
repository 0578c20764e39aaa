import type {DefaultDocumentNodeResolver} from 'sanity/structure'

import {pageFeedbackView} from '../feedback'

/** Pages show the feedback readers sent about them beside the form. */
export const defaultDocumentNode: DefaultDocumentNodeResolver = (S, {schemaType}) =>
  schemaType === 'page' ? S.document().views([S.view.form(), pageFeedbackView(S)]) : undefined
