import {EarthGlobeIcon} from '@sanity/icons/EarthGlobe'
import {defineField, defineType} from 'sanity'

import {uniqueSlugField} from '../fields'

/** The widest level of the site: a career area such as healthcare science. Themes sit in it. */
export const careerArea = defineType({
  name: 'careerArea',
  title: 'Career area',
  type: 'document',
  icon: EarthGlobeIcon,
  fields: [
    defineField({
      name: 'name',
      title: 'Name',
      type: 'string',
      description: 'As readers see it, e.g. "Healthcare science".',
      validation: (rule) =>
        rule.required().error('Navigation and page headings show the career area by name.'),
    }),
    uniqueSlugField({
      source: 'name',
      whenMissing: {level: 'error', message: 'The slug is the start of every address in the area.'},
    }),
    defineField({
      name: 'description',
      title: 'Description',
      type: 'text',
      rows: 3,
    }),
  ],
  preview: {
    select: {title: 'name', slug: 'slug.current'},
    prepare({title, slug}) {
      return {title, subtitle: ['Career area', slug && `/${slug}`].filter(Boolean).join(' · ')}
    },
  },
})
