import {SplitHorizontalIcon} from '@sanity/icons/SplitHorizontal'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {placementField} from '../fields'
import {optionTitle, studyLevels, studyModes} from '../options'
import {documentField} from '../validation'

const WEEKS_PER_YEAR = 52

/** Workplace training is part of the route, so it cannot last longer than the route. */
export function workplaceTrainingWithinDuration(
  workplaceTrainingWeeks: unknown,
  durationYears: unknown,
): true | string {
  if (typeof workplaceTrainingWeeks !== 'number' || typeof durationYears !== 'number') return true
  if (workplaceTrainingWeeks > durationYears * WEEKS_PER_YEAR) {
    return `${workplaceTrainingWeeks} weeks of workplace training do not fit in a ${durationYears}-year route.`
  }
  return true
}

/**
 * How one specialism trains people (a pathway): a national programme as it runs there (PTP in
 * cardiac sciences), or training in post that no programme covers (cardiographers). Everything
 * that differs between specialisms lives here, so the programme itself stays shared.
 */
export const trainingRoute = defineType({
  name: 'trainingRoute',
  title: 'Training route',
  type: 'document',
  icon: SplitHorizontalIcon,
  groups: [
    {name: 'overview', title: 'Overview', default: true},
    {name: 'study', title: 'Study'},
    {name: 'outcomes', title: 'Awards and roles'},
  ],
  fields: [
    defineField({
      name: 'name',
      title: 'Name',
      type: 'string',
      group: 'overview',
      description: 'e.g. "PTP in cardiac sciences".',
      validation: (rule) => rule.required().error('Lists of routes show this name.'),
    }),
    defineField({
      name: 'programme',
      title: 'National programme',
      type: 'reference',
      group: 'overview',
      to: [{type: 'programme'}],
      description: 'Leave empty for training in post that no national programme covers.',
    }),
    placementField({
      group: 'overview',
      description: 'Usually the specialism; a theme or area when the route is the same across it.',
      whenMissing: {level: 'error', message: 'Choose the specialism this route trains people in.'},
    }),
    defineField({
      name: 'summary',
      title: 'Summary',
      type: 'text',
      rows: 4,
      group: 'overview',
      validation: (rule) => rule.required().warning('Pages show this summary for the route.'),
    }),
    defineField({
      name: 'entryRequirements',
      title: 'Entry requirements',
      type: 'text',
      rows: 2,
      group: 'overview',
      description: 'Who can apply, e.g. "A first or upper second degree in a relevant science".',
    }),
    defineField({
      name: 'studyLevel',
      title: 'Study level',
      type: 'string',
      group: 'study',
      options: {list: [...studyLevels]},
    }),
    defineField({
      name: 'duration',
      title: 'Duration',
      type: 'string',
      group: 'study',
      description: 'As readers should see it, e.g. "Usually three years".',
    }),
    defineField({
      name: 'durationYears',
      title: 'Duration in years',
      type: 'number',
      group: 'study',
      description: 'The usual length, for comparisons and sorting.',
      validation: (rule) => rule.positive().error('A route lasts longer than zero years.'),
    }),
    defineField({
      name: 'mode',
      title: 'Mode of study',
      type: 'string',
      group: 'study',
      options: {list: [...studyModes]},
    }),
    defineField({
      name: 'workplaceTrainingWeeks',
      title: 'Workplace-based training (weeks)',
      type: 'number',
      group: 'study',
      description: 'The minimum weeks of training in the workplace, e.g. 50.',
      validation: (rule) => [
        rule.integer().min(0).error('Enter a whole number of weeks.'),
        rule.custom((weeks, context) =>
          workplaceTrainingWithinDuration(weeks, documentField(context.document, 'durationYears')),
        ),
      ],
    }),
    defineField({
      name: 'courses',
      title: 'Accredited courses',
      type: 'array',
      group: 'study',
      of: [defineArrayMember({type: 'accreditedCourse'})],
    }),
    defineField({
      name: 'providers',
      title: 'Providers',
      type: 'array',
      group: 'study',
      description: 'Who delivers the training locally, when not listed course by course.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'organisation'}]})],
      validation: (rule) => rule.unique().error('Each organisation only needs listing once.'),
    }),
    defineField({
      name: 'accreditedBy',
      title: 'Accredited by',
      type: 'array',
      group: 'study',
      of: [defineArrayMember({type: 'reference', to: [{type: 'organisation'}]})],
      validation: (rule) => rule.unique().error('Each organisation only needs listing once.'),
    }),
    defineField({
      name: 'awards',
      title: 'Qualifications awarded',
      type: 'array',
      group: 'outcomes',
      description: 'Every qualification the route awards, e.g. an MSc and a certificate.',
      of: [defineArrayMember({type: 'reference', to: [{type: 'qualification'}]})],
      validation: (rule) => rule.unique().error('Each qualification only needs listing once.'),
    }),
    defineField({
      name: 'leadsTo',
      title: 'Roles it leads to',
      type: 'array',
      group: 'outcomes',
      of: [defineArrayMember({type: 'reference', to: [{type: 'careerRole'}]})],
      validation: (rule) => rule.unique().error('Each role only needs listing once.'),
    }),
    defineField({
      name: 'moreInformation',
      title: 'More information',
      type: 'link',
      group: 'overview',
    }),
  ],
  preview: {
    select: {
      name: 'name',
      programme: 'programme.acronym',
      partOf: 'partOf.name',
      mode: 'mode',
      awards: 'awards',
    },
    prepare({name, programme, partOf, mode, awards}) {
      const count = Array.isArray(awards) ? awards.length : 0
      return {
        title: name,
        subtitle: [
          partOf ?? 'No specialism',
          programme ?? 'In post',
          optionTitle(studyModes, mode),
          count > 0 ? `${count} qualification${count === 1 ? '' : 's'}` : undefined,
        ]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
