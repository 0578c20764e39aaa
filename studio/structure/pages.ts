import {CalendarIcon} from '@sanity/icons/Calendar'
import {DocumentTextIcon} from '@sanity/icons/DocumentText'
import {TagIcon} from '@sanity/icons/Tag'
import type {StructureBuilder} from 'sanity/structure'

import {apiVersion} from '../../lib/env'
import {isoDate} from '../review/reviewDates'

/** GROQ for pages whose review has come (or that have no review date). */
export const reviewDueFilter =
  '_type == "page" && (!defined(nextReviewDue) || nextReviewDue <= $today)'

/** GROQ for the pages of one specialism (`$specialismId`). */
export const pagesInSpecialismFilter = '_type == "page" && partOf._ref == $specialismId'

/** Pages: all of them, by specialism (new pages there start in that specialism), and review due. */
export function pagesItem(S: StructureBuilder) {
  return S.listItem()
    .title('Pages')
    .id('pages')
    .icon(DocumentTextIcon)
    .child(
      S.list()
        .title('Pages')
        .items([
          S.listItem()
            .title('All pages')
            .id('all-pages')
            .icon(DocumentTextIcon)
            .child(S.documentTypeList('page').title('All pages')),
          S.listItem()
            .title('By specialism')
            .id('pages-by-specialism')
            .icon(TagIcon)
            .child(
              S.documentTypeList('specialism')
                .title('Pages by specialism')
                .child((specialismId) =>
                  S.documentList()
                    .title('Pages')
                    .schemaType('page')
                    .apiVersion(apiVersion)
                    .filter(pagesInSpecialismFilter)
                    .params({specialismId})
                    .initialValueTemplates([
                      S.initialValueTemplateItem('page-in-specialism', {specialismId}),
                    ]),
                ),
            ),
          S.listItem()
            .title('Review due')
            .id('pages-review-due')
            .icon(CalendarIcon)
            .child(() =>
              S.documentList()
                .title('Review due')
                .schemaType('page')
                .apiVersion(apiVersion)
                .filter(reviewDueFilter)
                // Evaluated when the pane opens, so the list is as of today.
                .params({today: isoDate(new Date())})
                .defaultOrdering([{field: 'nextReviewDue', direction: 'asc'}]),
            ),
        ]),
    )
}
