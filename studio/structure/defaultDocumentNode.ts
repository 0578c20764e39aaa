import type {DefaultDocumentNodeResolver} from 'sanity/structure'

import {pageFeedbackView} from '../feedback'
import {sharedTypes, usedByView} from './UsedByView'

/**
 * Pages show the feedback readers sent about them beside the form; shared documents show what
 * uses them, so nobody edits a programme without seeing every specialism it changes.
 */
export const defaultDocumentNode: DefaultDocumentNodeResolver = (S, {schemaType}) => {
  if (schemaType === 'page') return S.document().views([S.view.form(), pageFeedbackView(S)])
  if (sharedTypes.has(schemaType)) return S.document().views([S.view.form(), usedByView(S)])
  return undefined
}
