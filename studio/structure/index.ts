import type {StructureResolver} from 'sanity/structure'

import {feedbackStructure} from '../feedback'
import {pagesItem} from './pages'
import {programmesItem} from './programmes'
import {settingsItem} from './settings'

/** Types listed as they are; pages, programmes, settings and feedback have their own families. */
const plainTypes = ['careerRole', 'qualification', 'registration', 'organisation', 'specialism']

export const structure: StructureResolver = (S, context) =>
  S.list()
    .title('Content')
    .items([
      pagesItem(S),
      programmesItem(S),
      ...plainTypes.map((type) => S.documentTypeListItem(type)),
      S.divider(),
      feedbackStructure(S, context),
      S.divider(),
      settingsItem(S),
    ])

export {defaultDocumentNode} from './defaultDocumentNode'
