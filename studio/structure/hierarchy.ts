import {DocumentTextIcon} from '@sanity/icons/DocumentText'
import {EarthGlobeIcon} from '@sanity/icons/EarthGlobe'
import {FolderIcon} from '@sanity/icons/Folder'
import {SplitHorizontalIcon} from '@sanity/icons/SplitHorizontal'
import {TagIcon} from '@sanity/icons/Tag'
import {UserIcon} from '@sanity/icons/User'
import type {StructureBuilder} from 'sanity/structure'

import {apiVersion} from '../../lib/env'

/** GROQ for the documents of one type filed directly under `$placementId`. */
export const placedUnderFilter = '_type == $type && partOf._ref == $placementId'
/** GROQ for the themes of one career area (`$areaId`). */
export const themesInAreaFilter = '_type == "theme" && area._ref == $areaId'
/** GROQ for the specialisms filed under one theme or area (`$parentId`). */
export const specialismsUnderFilter = '_type == "specialism" && theme._ref == $parentId'

/** The kinds of document that sit at a level of the hierarchy, as editors name them. */
const placedTypes = [
  {type: 'page', title: 'Pages', icon: DocumentTextIcon, template: 'page-under'},
  {
    type: 'trainingRoute',
    title: 'Training routes',
    icon: SplitHorizontalIcon,
    template: 'route-under',
  },
  {type: 'careerRole', title: 'Career roles', icon: UserIcon, template: 'role-under'},
] as const

/** What sits at one level: pages, routes and roles filed there, each list creating more there. */
function placedItems(S: StructureBuilder, placementId: string) {
  return placedTypes.map(({type, title, icon, template}) =>
    S.listItem()
      .title(title)
      .id(`${type}-under`)
      .icon(icon)
      .child(
        S.documentList()
          .title(title)
          .schemaType(type)
          .apiVersion(apiVersion)
          .filter(placedUnderFilter)
          .params({type, placementId})
          .initialValueTemplates([S.initialValueTemplateItem(template, {placementId})]),
      ),
  )
}

function specialismsList(S: StructureBuilder, parentId: string) {
  return (
    S.documentList()
      .title('Specialisms')
      .schemaType('specialism')
      .apiVersion(apiVersion)
      .filter(specialismsUnderFilter)
      .params({parentId})
      .child((specialismId) =>
        S.list()
          .title('In this specialism')
          .items([
            S.listItem()
              .title('Specialism')
              .id('specialism')
              .icon(TagIcon)
              .child(S.document().schemaType('specialism').documentId(specialismId)),
            S.divider(),
            ...placedItems(S, specialismId),
          ]),
      )
      // After .child(): the builder's clone for a child resolver drops templates set before it.
      .initialValueTemplates([S.initialValueTemplateItem('specialism-under', {parentId})])
  )
}

/** Browse the site as readers do: career area → theme → specialism, with what sits at each. */
export function careersByAreaItem(S: StructureBuilder) {
  return S.listItem()
    .title('By area, theme and specialism')
    .id('by-area')
    .icon(EarthGlobeIcon)
    .child(
      S.documentTypeList('careerArea')
        .title('Career areas')
        .child((areaId) =>
          S.list()
            .title('In this area')
            .items([
              S.listItem()
                .title('Career area')
                .id('area')
                .icon(EarthGlobeIcon)
                .child(S.document().schemaType('careerArea').documentId(areaId)),
              S.listItem()
                .title('Themes')
                .id('themes')
                .icon(FolderIcon)
                .child(
                  S.documentList()
                    .title('Themes')
                    .schemaType('theme')
                    .apiVersion(apiVersion)
                    .filter(themesInAreaFilter)
                    .params({areaId})
                    .child((themeId) =>
                      S.list()
                        .title('In this theme')
                        .items([
                          S.listItem()
                            .title('Theme')
                            .id('theme')
                            .icon(FolderIcon)
                            .child(S.document().schemaType('theme').documentId(themeId)),
                          S.listItem()
                            .title('Specialisms')
                            .id('specialisms')
                            .icon(TagIcon)
                            .child(specialismsList(S, themeId)),
                          S.divider(),
                          ...placedItems(S, themeId),
                        ]),
                    )
                    .initialValueTemplates([S.initialValueTemplateItem('theme-in-area', {areaId})]),
                ),
              S.listItem()
                .title('Specialisms outside a theme')
                .id('specialisms')
                .icon(TagIcon)
                .child(specialismsList(S, areaId)),
              S.divider(),
              ...placedItems(S, areaId),
            ]),
        ),
    )
}
