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
      name: 'area',
      title: 'Career area',
      type: 'string',
      description: 'The wider area the specialism sits in, e.g. "Healthcare science".',
      validation: (rule) => rule.required().warning('Navigation groups specialisms by area.'),
    }),
    defineField({
      name: 'description',
      title: 'Description',
      type: 'text',
      rows: 3,
    }),
  ],
  preview: {
    select: {title: 'name', area: 'area', slug: 'slug.current'},
    prepare({title, area, slug}) {
      return {title, subtitle: [area, slug && `/${slug}`].filter(Boolean).join(' · ')}
    },
  },
})
