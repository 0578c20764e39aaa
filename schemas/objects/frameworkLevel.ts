import {UsersIcon} from '@sanity/icons/Users'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {careerLevels, optionTitle} from '../options'

/** One career level of a framework: its programmes and how people move on from it. */
export const frameworkLevel = defineType({
  name: 'frameworkLevel',
  title: 'Career level',
  type: 'object',
  icon: UsersIcon,
  fields: [
    defineField({
      name: 'careerLevel',
      title: 'Career level',
      type: 'string',
      options: {list: [...careerLevels]},
      validation: (rule) =>
        rule.required().error('Choose the level: the framework is presented level by level.'),
    }),
    defineField({
      name: 'programmes',
      title: 'Programmes at this level',
      type: 'array',
      of: [defineArrayMember({type: 'reference', to: [{type: 'programme'}]})],
      validation: (rule) => rule.unique().error('Each programme only needs listing once.'),
    }),
    defineField({
      name: 'nextStep',
      title: 'Moving on from this level',
      type: 'text',
      rows: 3,
      description: 'How people progress to the next level, e.g. "Practitioners can apply to STP".',
    }),
  ],
  preview: {
    select: {level: 'careerLevel', first: 'programmes.0.acronym'},
    prepare({level, first}) {
      return {title: optionTitle(careerLevels, level) ?? 'No level', subtitle: first}
    },
  },
})
