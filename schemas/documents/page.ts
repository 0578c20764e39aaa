import {DocumentTextIcon} from '@sanity/icons/DocumentText'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {RESERVED_ROOT_SEGMENTS} from '../../queries/paths'
import {placementField, uniqueSlugField} from '../fields'
import {optionTitle, pageSections} from '../options'
import {documentField, reviewDatesInOrder} from '../validation'

/** Long enough for a real introduction (the framework page's runs to 307 characters). */
export const SUMMARY_MAX_LENGTH = 400

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

/** A page of the site, filed under a career area, a theme or a specialism; siblings share it. */
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
      reserved: RESERVED_ROOT_SEGMENTS,
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
        rule
          .max(SUMMARY_MAX_LENGTH)
          .warning(
            `Keep the summary to a short introduction (under ${SUMMARY_MAX_LENGTH} characters).`,
          ),
      ],
    }),
    placementField({
      group: 'content',
      description:
        'The career area, theme or specialism the page is about; navigation groups sibling pages by it.',
      whenMissing: {
        level: 'error',
        message: 'Choose where the page sits: navigation groups sibling pages by it.',
      },
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
      name: 'image',
      title: 'Image',
      type: 'accessibleImage',
      group: 'content',
      description:
        'Shown beside the page heading; the hotspot keeps its subject in view when cropped.',
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
      name: 'relatedRoutes',
      title: 'Training routes',
      type: 'array',
      group: 'related',
      description: 'How this specialism trains people on each programme.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'trainingRoute'}]})],
      validation: (rule) => rule.unique().error('Each route only needs listing once.'),
    }),
    defineField({
      name: 'frameworks',
      title: 'Frameworks',
      type: 'array',
      group: 'related',
      description: 'Frameworks the page presents, level by level.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'framework'}]})],
      validation: (rule) => rule.unique().error('Each framework only needs listing once.'),
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
      partOf: 'partOf.name',
      nextReviewDue: 'nextReviewDue',
    },
    prepare({title, section, partOf, nextReviewDue}) {
      return {
        title,
        subtitle: [
          partOf,
          optionTitle(pageSections, section),
          nextReviewDue ? `review by ${nextReviewDue}` : 'no review date',
        ]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
