import {ArrowRightIcon} from '@sanity/icons/ArrowRight'
import {defineField, defineType} from 'sanity'

/** One phase of a national programme, e.g. "Years 1–2: broad scientific training". */
export const programmePhase = defineType({
  name: 'programmePhase',
  title: 'Phase',
  type: 'object',
  icon: ArrowRightIcon,
  fields: [
    defineField({
      name: 'title',
      title: 'Title',
      type: 'string',
      description: 'e.g. "Rotational training", "Specialist training".',
      validation: (rule) => rule.required().error('Readers see the phases by their titles.'),
    }),
    defineField({
      name: 'when',
      title: 'When',
      type: 'string',
      description: 'e.g. "Year 1", "Years 2 and 3".',
    }),
    defineField({
      name: 'description',
      title: 'What happens',
      type: 'text',
      rows: 3,
    }),
  ],
  preview: {select: {title: 'title', subtitle: 'when'}},
})
