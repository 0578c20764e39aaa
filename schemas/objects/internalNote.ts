import {EditIcon} from '@sanity/icons/Edit'
import {defineField, defineType} from 'sanity'

/** A reviewer's note on a feedback submission; never shown to the public. */
export const internalNote = defineType({
  name: 'internalNote',
  title: 'Internal note',
  type: 'object',
  icon: EditIcon,
  fields: [
    defineField({
      name: 'author',
      title: 'Author',
      type: 'string',
      description: 'The user id or name of whoever wrote the note.',
      validation: (rule) => rule.required().error('Record who wrote the note.'),
    }),
    defineField({
      name: 'at',
      title: 'Written at',
      type: 'datetime',
      validation: (rule) => rule.required().error('Record when the note was written.'),
    }),
    defineField({
      name: 'text',
      title: 'Note',
      type: 'text',
      rows: 3,
      validation: (rule) => rule.required().error('An empty note tells the next reviewer nothing.'),
    }),
  ],
  preview: {
    select: {title: 'text', author: 'author', at: 'at'},
    prepare({title, author, at}) {
      return {
        title,
        subtitle: [author, typeof at === 'string' ? at.slice(0, 10) : undefined]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
