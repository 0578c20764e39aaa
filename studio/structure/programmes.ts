import {BookIcon} from '@sanity/icons/Book'
import {UsersIcon} from '@sanity/icons/Users'
import type {StructureBuilder} from 'sanity/structure'

import {apiVersion} from '../../lib/env'
import {careerLevels} from '../../schemas/options'

/** GROQ for the programmes at one career level (`$careerLevel`). */
export const programmesAtLevelFilter = '_type == "programme" && careerLevel == $careerLevel'

/** Programmes: all, and grouped by the career level they train for. */
export function programmesItem(S: StructureBuilder) {
  return S.listItem()
    .title('Programmes')
    .id('programmes')
    .icon(BookIcon)
    .child(
      S.list()
        .title('Programmes')
        .items([
          S.listItem()
            .title('All programmes')
            .id('all-programmes')
            .icon(BookIcon)
            .child(S.documentTypeList('programme').title('All programmes')),
          S.divider(),
          ...careerLevels.map((level) =>
            S.listItem()
              .title(level.title)
              .id(`programmes-${level.value}`)
              .icon(UsersIcon)
              .child(
                S.documentList()
                  .title(level.title)
                  .schemaType('programme')
                  .apiVersion(apiVersion)
                  .filter(programmesAtLevelFilter)
                  .params({careerLevel: level.value})
                  .initialValueTemplates([
                    S.initialValueTemplateItem('programme-at-level', {careerLevel: level.value}),
                  ]),
              ),
          ),
        ]),
    )
}
