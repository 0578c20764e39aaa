import type {StructureResolver} from 'sanity/structure'

import {canReadFeedback, feedbackStructure} from '../feedback'
import {pagesItem} from './pages'
import {programmesItem} from './programmes'
import {settingsItem} from './settings'

/** Types listed as they are (plural titles); pages, programmes, settings, feedback have families. */
export const plainTypes = [
  {type: 'qualification', title: 'Qualifications'},
  {type: 'organisation', title: 'Organisations'},
  {type: 'careerRole', title: 'Career roles'},
  {type: 'registration', title: 'Registration'},
  {type: 'specialism', title: 'Specialisms'},
] as const

export const structure: StructureResolver = (S, context) =>
  S.list()
    .title('Content')
    .items([
      pagesItem(S),
      programmesItem(S),
      ...plainTypes.map(({type, title}) => S.documentTypeListItem(type).title(title)),
      // Viewers may not read feedback: its lists would only ever say "No documents".
      ...(canReadFeedback(context.currentUser) ? [S.divider(), feedbackStructure(S, context)] : []),
      S.divider(),
      settingsItem(S),
    ])

export {defaultDocumentNode} from './defaultDocumentNode'
