import {UserIcon} from '@sanity/icons/User'
import {defineField, defineType} from 'sanity'

import {careerLevels, optionTitle} from '../options'
import {uniqueSlugField} from '../fields'

/** An entry point into a specialism: cardiographer, assistant/associate, practitioner, scientist. */
export const careerRole = defineType({
  name: 'careerRole',
  title: 'Career role',
  type: 'document',
  icon: UserIcon,
  fields: [
    defineField({
      name: 'name',
      title: 'Name',
      type: 'string',
      description: 'e.g. "Cardiographer", "Healthcare science practitioner".',
      validation: (rule) => rule.required().error('Pages and registers show the role by name.'),
    }),
    uniqueSlugField({
      source: 'name',
      whenMissing: {level: 'warning', message: 'A slug lets the role have its own address.'},
    }),
    defineField({
      name: 'careerLevel',
      title: 'Career level',
      type: 'string',
      options: {list: [...careerLevels]},
      validation: (rule) =>
        rule.required().error('Choose a level: pages order their training routes by it.'),
    }),
    defineField({
      name: 'specialism',
      title: 'Specialism',
      type: 'reference',
      to: [{type: 'specialism'}],
      description: 'Leave empty for roles found across healthcare science.',
    }),
    defineField({
      name: 'training',
      title: 'How you train',
      type: 'text',
      rows: 4,
      description: 'A short summary of how people in this role are trained.',
      validation: (rule) => rule.required().warning('Readers compare roles by how they train.'),
    }),
    defineField({
      name: 'entryProgramme',
      title: 'Training programme',
      type: 'reference',
      to: [{type: 'programme'}],
      description: 'The national programme that trains people for this role, if there is one.',
    }),
    defineField({
      name: 'qualifications',
      title: 'Qualifications',
      type: 'array',
      of: [{type: 'reference', to: [{type: 'qualification'}]}],
      validation: (rule) => rule.unique().error('Each qualification only needs listing once.'),
    }),
    defineField({
      name: 'professionalBodies',
      title: 'Professional bodies',
      type: 'array',
      description: 'Bodies people in this role are encouraged to join.',
      of: [{type: 'reference', to: [{type: 'organisation'}]}],
      validation: (rule) => rule.unique().error('Each organisation only needs listing once.'),
    }),
  ],
  preview: {
    select: {title: 'name', level: 'careerLevel', specialism: 'specialism.name'},
    prepare({title, level, specialism}) {
      return {
        title,
        subtitle: [optionTitle(careerLevels, level), specialism].filter(Boolean).join(' · '),
      }
    },
  },
})
