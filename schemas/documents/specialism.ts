import {TagIcon} from '@sanity/icons/Tag'
import {defineField, defineType} from 'sanity'

import {uniqueSlugField} from '../fields'

/** A specialism (e.g. cardiac sciences) groups its pages: overview, roles, training… */
export const specialism = defineType({
  name: 'specialism',
  title: 'Specialism',
  type: 'document',
  icon: TagIcon,
  fields: [
    defineField({
      name: 'name',
      title: 'Name',
      type: 'string',
      description: 'As readers see it in headings, e.g. "cardiac sciences".',
      validation: (rule) => rule.required().error('Pages show which specialism they belong to.'),
    }),
    uniqueSlugField({
      source: 'name',
      whenMissing: {
        level: 'error',
        message: 'The slug is part of the address of every page in this specialism.',
      },
    }),
    defineField({
      name: 'theme',
      title: 'Division or theme',
      type: 'reference',
      // Some career areas have no themes: there a specialism sits straight in the area.
      to: [{type: 'theme'}, {type: 'careerArea'}],
      description: 'The theme it belongs to, or the career area where the area has no themes.',
      validation: (rule) =>
        rule.required().error('Choose the theme: navigation lists specialisms under it.'),
    }),
    defineField({
      name: 'description',
      title: 'Description',
      type: 'text',
      rows: 3,
    }),
  ],
  preview: {
    select: {title: 'name', theme: 'theme.name', slug: 'slug.current'},
    prepare({title, theme, slug}) {
      return {title, subtitle: [theme, slug && `/${slug}`].filter(Boolean).join(' · ')}
    },
  },
})
