import type {StructureResolver} from 'sanity/structure'

import {canReadFeedback, feedbackStructure} from '../feedback'
import {careersByAreaItem} from './hierarchy'
import {pagesItem} from './pages'
import {programmesItem} from './programmes'
import {settingsItem} from './settings'

/**
 * Types listed as they are (plural titles); the hierarchy, pages, programmes, settings and
 * feedback have families of lists.
 */
export const plainTypes = [
  {type: 'qualification', title: 'Qualifications'},
  {type: 'organisation', title: 'Organisations'},
  {type: 'careerRole', title: 'Career roles'},
  {type: 'registration', title: 'Registration'},
  {type: 'careerArea', title: 'Career areas'},
  {type: 'theme', title: 'Divisions and themes'},
  {type: 'specialism', title: 'Specialisms'},
] as const

export const structure: StructureResolver = (S, context) =>
  S.list()
    .title('Content')
    .items([
      careersByAreaItem(S),
      pagesItem(S),
      programmesItem(S),
      ...plainTypes.map(({type, title}) => S.documentTypeListItem(type).title(title)),
      // Viewers may not read feedback: its lists would only ever say "No documents".
      ...(canReadFeedback(context.currentUser) ? [S.divider(), feedbackStructure(S, context)] : []),
      S.divider(),
      settingsItem(S),
    ])

export {defaultDocumentNode} from './defaultDocumentNode'
