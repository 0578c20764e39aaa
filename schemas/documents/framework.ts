import {StackIcon} from '@sanity/icons/Stack'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {uniqueSlugField} from '../fields'
import {acronymFormat} from '../validation'

/** A framework or initiative that introduced programmes at several career levels (e.g. MSC). */
export const framework = defineType({
  name: 'framework',
  title: 'Framework',
  type: 'document',
  icon: StackIcon,
  fields: [
    defineField({
      name: 'name',
      title: 'Name',
      type: 'string',
      description: 'e.g. "Modernising Scientific Careers".',
      validation: (rule) => rule.required().error('Pages present the framework by name.'),
    }),
    defineField({
      name: 'acronym',
      title: 'Acronym',
      type: 'string',
      validation: (rule) => rule.custom(acronymFormat),
    }),
    uniqueSlugField({
      source: 'name',
      whenMissing: {level: 'warning', message: 'A slug lets the framework have its own address.'},
    }),
    defineField({
      name: 'partOf',
      title: 'Career area',
      type: 'reference',
      to: [{type: 'careerArea'}],
    }),
    defineField({
      name: 'introducedBy',
      title: 'Introduced or run by',
      type: 'reference',
      to: [{type: 'organisation'}],
    }),
    defineField({
      name: 'summary',
      title: 'Summary',
      type: 'text',
      rows: 4,
      validation: (rule) => rule.required().warning('Pages show this summary of the framework.'),
    }),
    defineField({
      name: 'levels',
      title: 'Career levels and their programmes',
      type: 'array',
      description: 'From the first level up; say how people move on from each.',
      of: [defineArrayMember({type: 'frameworkLevel'})],
      validation: (rule) =>
        rule.min(1).error('A framework groups programmes by career level: add at least one.'),
    }),
  ],
  preview: {
    select: {name: 'name', acronym: 'acronym', levels: 'levels'},
    prepare({name, acronym, levels}) {
      const count = Array.isArray(levels) ? levels.length : 0
      return {
        title: acronym ? `${name} (${acronym})` : name,
        subtitle: `${count} career level${count === 1 ? '' : 's'}`,
      }
    },
  },
})
