import {BookIcon} from '@sanity/icons/Book'
import {SplitHorizontalIcon} from '@sanity/icons/SplitHorizontal'
import {StackIcon} from '@sanity/icons/Stack'
import {UsersIcon} from '@sanity/icons/Users'
import type {StructureBuilder} from 'sanity/structure'

import {apiVersion} from '../../lib/env'
import {careerLevels} from '../../schemas/options'

/** GROQ for the programmes at one career level (`$careerLevel`). */
export const programmesAtLevelFilter = '_type == "programme" && careerLevel == $careerLevel'
/** GROQ for every specialism's route through one programme (`$programmeId`). */
export const routesOfProgrammeFilter = '_type == "trainingRoute" && programme._ref == $programmeId'

/** A programme opened from a list: the shared document, then each specialism's route. */
function programmeWithRoutes(S: StructureBuilder, programmeId: string) {
  return S.list()
    .title('Programme and routes')
    .items([
      S.listItem()
        .title('National programme')
        .id('programme')
        .icon(BookIcon)
        .child(S.document().schemaType('programme').documentId(programmeId)),
      S.listItem()
        .title('Routes by specialism')
        .id('routes')
        .icon(SplitHorizontalIcon)
        .child(
          S.documentList()
            .title('Routes by specialism')
            .schemaType('trainingRoute')
            .apiVersion(apiVersion)
            .filter(routesOfProgrammeFilter)
            .params({programmeId})
            .initialValueTemplates([
              S.initialValueTemplateItem('route-of-programme', {programmeId}),
            ]),
        ),
    ])
}

/** Programmes: all (each with its routes), grouped by career level, and every route. */
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
            .title('Programmes with their routes')
            .id('all-programmes')
            .icon(BookIcon)
            .child(
              S.documentTypeList('programme')
                .title('Programmes')
                .child((programmeId) => programmeWithRoutes(S, programmeId)),
            ),
          S.listItem()
            .title('All training routes')
            .id('all-routes')
            .icon(SplitHorizontalIcon)
            .child(S.documentTypeList('trainingRoute').title('All training routes')),
          S.listItem()
            .title('Frameworks')
            .id('frameworks')
            .icon(StackIcon)
            .child(S.documentTypeList('framework').title('Frameworks')),
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
