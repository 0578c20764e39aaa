import {UserIcon} from '@sanity/icons/User'
import {defineField, defineType} from 'sanity'

import {careerLevels, optionTitle} from '../options'
import {placementField, placementLabel, sharedNameField, uniqueSlugField} from '../fields'

/** An entry point into a specialism: cardiographer, assistant/associate, practitioner, scientist. */
export const careerRole = defineType({
  name: 'careerRole',
  title: 'Career role',
  type: 'document',
  icon: UserIcon,
  fields: [
    sharedNameField({
      description: 'e.g. "Cardiographer", "Healthcare science practitioner".',
      whenMissing: 'Pages and registers show the role by name.',
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
    placementField({
      description:
        'The career area for roles found in every specialism (clinical scientist), the specialism for roles only it has (cardiographer).',
      whenMissing: {
        level: 'warning',
        message: 'Say where the role sits, so it is listed with its area, theme or specialism.',
      },
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
    defineField({
      name: 'image',
      title: 'Image',
      type: 'accessibleImage',
      description: 'Someone in the role at work, shown where the role is described.',
    }),
  ],
  preview: {
    select: {
      title: 'name',
      level: 'careerLevel',
      partOf: 'partOf.name',
      partOfType: 'partOf._type',
    },
    prepare({title, level, partOf, partOfType}) {
      return {
        title,
        subtitle: [placementLabel(partOf, partOfType), optionTitle(careerLevels, level)]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
