import {DocumentTextIcon} from '@sanity/icons/DocumentText'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {uniqueSlugField} from '../fields'
import {optionTitle, pageSections} from '../options'
import {documentField, reviewDatesInOrder} from '../validation'

interface LabelledLink {
  _key?: string
  label?: string
}

/** In a link list the link text is all readers see, so every item needs one. */
export function linksHaveLabels(links: unknown): true | string {
  if (!Array.isArray(links)) return true
  const unlabelled = (links as LabelledLink[]).findIndex((l) => !l.label?.trim())
  return unlabelled === -1
    ? true
    : `Link ${unlabelled + 1} has no link text; readers would see an empty link.`
}

/** A specialism's page: overview, roles, training and so on. Siblings share a specialism. */
export const page = defineType({
  name: 'page',
  title: 'Page',
  type: 'document',
  icon: DocumentTextIcon,
  groups: [
    {name: 'content', title: 'Content', default: true},
    {name: 'related', title: 'Related'},
    {name: 'governance', title: 'Ownership and review'},
    {name: 'seo', title: 'SEO'},
  ],
  fields: [
    defineField({
      name: 'title',
      title: 'Title',
      type: 'string',
      group: 'content',
      validation: (rule) => [
        rule.required().error('Every page needs a title: it is the heading and the browser tab.'),
        rule.max(100).warning('Long titles wrap badly on phones; aim for under 100 characters.'),
      ],
    }),
    uniqueSlugField({
      source: 'title',
      maxLength: 96,
      group: 'content',
      description: 'The last part of the page address. Changing it breaks existing links.',
      whenMissing: {level: 'error', message: 'The page needs an address (slug).'},
    }),
    defineField({
      name: 'summary',
      title: 'Summary',
      type: 'text',
      rows: 3,
      group: 'content',
      description: 'The opening sentence under the title; also used in lists and search results.',
      validation: (rule) => [
        rule.required().error('The summary is shown under the title and in search results.'),
        rule.max(300).warning('Keep the summary to a sentence or two (under 300 characters).'),
      ],
    }),
    defineField({
      name: 'specialism',
      title: 'Specialism',
      type: 'reference',
      group: 'content',
      to: [{type: 'specialism'}],
      validation: (rule) =>
        rule.required().error('Choose the specialism: navigation groups sibling pages by it.'),
    }),
    defineField({
      name: 'section',
      title: 'Section',
      type: 'string',
      group: 'content',
      options: {list: [...pageSections]},
      validation: (rule) =>
        rule.required().error('Choose the section so the page appears in the right place.'),
    }),
    defineField({
      name: 'body',
      title: 'Body',
      type: 'portableText',
      group: 'content',
      validation: (rule) => rule.required().error('A page without a body has nothing to read.'),
    }),
    defineField({
      name: 'findOutMore',
      title: 'Find out more',
      type: 'array',
      group: 'related',
      description: 'Links listed after the body.',
      of: [defineArrayMember({type: 'link'})],
      validation: (rule) => rule.custom(linksHaveLabels),
    }),
    defineField({
      name: 'relatedProgrammes',
      title: 'Related programmes',
      type: 'array',
      group: 'related',
      of: [defineArrayMember({type: 'reference', to: [{type: 'programme'}]})],
      validation: (rule) => rule.unique().error('Each programme only needs listing once.'),
    }),
    defineField({
      name: 'relatedRoles',
      title: 'Related roles',
      type: 'array',
      group: 'related',
      of: [defineArrayMember({type: 'reference', to: [{type: 'careerRole'}]})],
      validation: (rule) => rule.unique().error('Each role only needs listing once.'),
    }),
    defineField({
      name: 'owner',
      title: 'Owner (team)',
      type: 'string',
      group: 'governance',
      description: 'The team that answers feedback about this page and keeps it up to date.',
      validation: (rule) =>
        rule.required().error('Feedback is routed to the owning team; name one.'),
    }),
    defineField({
      name: 'lastReviewed',
      title: 'Last reviewed',
      type: 'date',
      group: 'governance',
      validation: (rule) => rule.required().warning('Record when the content was last checked.'),
    }),
    defineField({
      name: 'nextReviewDue',
      title: 'Next review due',
      type: 'date',
      group: 'governance',
      validation: (rule) => [
        rule.required().warning('Set a review date so the page does not go stale.'),
        rule.custom((next, context) =>
          reviewDatesInOrder(documentField(context.document, 'lastReviewed'), next),
        ),
      ],
    }),
    defineField({
      name: 'reviewIntervalMonths',
      title: 'Review every (months)',
      type: 'number',
      group: 'governance',
      description: '"Mark reviewed" sets the next review this many months ahead; 12 when empty.',
      validation: (rule) =>
        rule.integer().min(1).max(60).error('Choose a whole number of months between 1 and 60.'),
    }),
    defineField({
      name: 'seo',
      title: 'SEO',
      type: 'seo',
      group: 'seo',
    }),
  ],
  preview: {
    select: {
      title: 'title',
      section: 'section',
      specialism: 'specialism.name',
      nextReviewDue: 'nextReviewDue',
    },
    prepare({title, section, specialism, nextReviewDue}) {
      return {
        title,
        subtitle: [
          specialism,
          optionTitle(pageSections, section),
          nextReviewDue ? `review by ${nextReviewDue}` : 'no review date',
        ]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
