import {FolderIcon} from '@sanity/icons/Folder'
import {defineField, defineType} from 'sanity'

import {uniqueSlugField} from '../fields'

/** A division or theme of a career area (e.g. physiological sciences); specialisms sit in it. */
export const theme = defineType({
  name: 'theme',
  title: 'Division or theme',
  type: 'document',
  icon: FolderIcon,
  fields: [
    defineField({
      name: 'name',
      title: 'Name',
      type: 'string',
      description: 'e.g. "Physiological sciences", "Life sciences".',
      validation: (rule) => rule.required().error('Navigation shows the theme by name.'),
    }),
    uniqueSlugField({
      source: 'name',
      whenMissing: {level: 'error', message: 'The slug is part of the address of the theme.'},
    }),
    defineField({
      name: 'area',
      title: 'Career area',
      type: 'reference',
      to: [{type: 'careerArea'}],
      validation: (rule) =>
        rule.required().error('Choose the career area: navigation lists themes under it.'),
    }),
    defineField({
      name: 'description',
      title: 'Description',
      type: 'text',
      rows: 3,
    }),
  ],
  preview: {
    select: {title: 'name', area: 'area.name'},
    prepare({title, area}) {
      return {title, subtitle: ['Theme', area].filter(Boolean).join(' · ')}
    },
  },
})
