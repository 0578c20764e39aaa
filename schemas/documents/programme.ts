import {BookIcon} from '@sanity/icons/Book'
import {defineField, defineType} from 'sanity'

import {applicationRoutes, careerLevels, optionTitle, studyModes} from '../options'
import {acronymFormat, documentField} from '../validation'

const WEEKS_PER_YEAR = 52

/** Workplace training is part of the programme, so it cannot last longer than the programme. */
export function workplaceTrainingWithinDuration(
  workplaceTrainingWeeks: unknown,
  durationYears: unknown,
): true | string {
  if (typeof workplaceTrainingWeeks !== 'number' || typeof durationYears !== 'number') return true
  if (workplaceTrainingWeeks > durationYears * WEEKS_PER_YEAR) {
    return `${workplaceTrainingWeeks} weeks of workplace training do not fit in a ${durationYears}-year programme.`
  }
  return true
}

/** National training programmes (PTP, STP, HSST) and development routes (ASP). */
export const programme = defineType({
  name: 'programme',
  title: 'Programme',
  type: 'document',
  icon: BookIcon,
  groups: [
    {name: 'overview', title: 'Overview', default: true},
    {name: 'training', title: 'Training'},
    {name: 'applying', title: 'Applying'},
    {name: 'organisations', title: 'Organisations'},
  ],
  fields: [
    defineField({
      name: 'name',
      title: 'Name',
      type: 'string',
      group: 'overview',
      description: 'e.g. "NHS Practitioner Training Programme".',
      validation: (rule) =>
        rule.required().error('Pages link to the programme by name; it cannot be empty.'),
    }),
    defineField({
      name: 'acronym',
      title: 'Acronym',
      type: 'string',
      group: 'overview',
      description: 'e.g. PTP, STP, HSST, ASP.',
      validation: (rule) => [
        rule.custom(acronymFormat),
        rule.required().warning('Readers meet these programmes by their acronyms.'),
      ],
    }),
    defineField({
      name: 'careerLevel',
      title: 'Career level / entry point',
      type: 'string',
      group: 'overview',
      options: {list: [...careerLevels]},
      validation: (rule) =>
        rule.required().error('Choose the level the programme trains people for.'),
    }),
    defineField({
      name: 'leadsTo',
      title: 'Role it leads to',
      type: 'reference',
      group: 'overview',
      to: [{type: 'careerRole'}],
    }),
    defineField({
      name: 'entryRequirement',
      title: 'Who it is for',
      type: 'string',
      group: 'overview',
      description: 'e.g. "School leavers and others applying to university", "Graduates".',
    }),
    defineField({
      name: 'summary',
      title: 'Summary',
      type: 'text',
      rows: 4,
      group: 'overview',
      validation: (rule) => rule.required().warning('Lists of programmes show this summary.'),
    }),
    defineField({
      name: 'duration',
      title: 'Duration',
      type: 'string',
      group: 'training',
      description: 'As readers should see it, e.g. "Usually three years".',
    }),
    defineField({
      name: 'durationYears',
      title: 'Duration in years',
      type: 'number',
      group: 'training',
      description: 'The usual length, for comparisons and sorting.',
      validation: (rule) => rule.positive().error('A programme lasts longer than zero years.'),
    }),
    defineField({
      name: 'mode',
      title: 'Mode of study',
      type: 'string',
      group: 'training',
      options: {list: [...studyModes]},
    }),
    defineField({
      name: 'workplaceTrainingWeeks',
      title: 'Workplace-based training (weeks)',
      type: 'number',
      group: 'training',
      description: 'The minimum weeks of training in the workplace, e.g. 50.',
      validation: (rule) => [
        rule.integer().min(0).error('Enter a whole number of weeks.'),
        rule.custom((weeks, context) =>
          workplaceTrainingWithinDuration(weeks, documentField(context.document, 'durationYears')),
        ),
      ],
    }),
    defineField({
      name: 'salaried',
      title: 'Salaried training post',
      type: 'boolean',
      group: 'training',
      description: 'Trainees are employed and paid while they train.',
      initialValue: false,
    }),
    defineField({
      name: 'employment',
      title: 'Employment',
      type: 'string',
      group: 'training',
      description: 'e.g. "Fixed-term, salaried training post".',
      hidden: ({parent}) => documentField(parent, 'salaried') !== true,
    }),
    defineField({
      name: 'howToApply',
      title: 'How to apply',
      type: 'string',
      group: 'applying',
      options: {list: [...applicationRoutes]},
      validation: (rule) => rule.required().warning('Readers look for how to apply first.'),
    }),
    defineField({
      name: 'applicationNotes',
      title: 'Application notes',
      type: 'text',
      rows: 3,
      group: 'applying',
    }),
    defineField({
      name: 'qualificationAwarded',
      title: 'Qualification awarded',
      type: 'reference',
      group: 'overview',
      to: [{type: 'qualification'}],
    }),
    defineField({
      name: 'accreditedBy',
      title: 'Accredited by',
      type: 'array',
      group: 'organisations',
      of: [{type: 'reference', to: [{type: 'organisation'}]}],
      validation: (rule) => rule.unique().error('Each organisation only needs listing once.'),
    }),
    defineField({
      name: 'deliveredBy',
      title: 'Delivered by',
      type: 'array',
      group: 'organisations',
      of: [{type: 'reference', to: [{type: 'organisation'}]}],
      validation: (rule) => rule.unique().error('Each organisation only needs listing once.'),
    }),
    defineField({
      name: 'moreInformation',
      title: 'More information',
      type: 'link',
      group: 'applying',
    }),
  ],
  preview: {
    select: {
      name: 'name',
      acronym: 'acronym',
      level: 'careerLevel',
      duration: 'duration',
      qualification: 'qualificationAwarded.name',
    },
    prepare({name, acronym, level, duration, qualification}) {
      return {
        title: acronym ? `${name} (${acronym})` : name,
        subtitle: [optionTitle(careerLevels, level), duration, qualification]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
