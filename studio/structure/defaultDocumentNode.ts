import type {DefaultDocumentNodeResolver} from 'sanity/structure'

import {canReadFeedback, pageFeedbackView} from '../feedback'
import {sharedTypes, usedByView} from './UsedByView'

/**
 * Pages show the feedback readers sent about them beside the form, to those who may read it;
 * shared documents show what uses them, so nobody edits a programme without seeing every
 * specialism it changes.
 */
export const defaultDocumentNode: DefaultDocumentNodeResolver = (S, {schemaType, currentUser}) => {
  if (schemaType === 'page') {
    return canReadFeedback(currentUser)
      ? S.document().views([S.view.form(), pageFeedbackView(S)])
      : undefined
  }
  if (sharedTypes.has(schemaType)) return S.document().views([S.view.form(), usedByView(S)])
  return undefined
}
