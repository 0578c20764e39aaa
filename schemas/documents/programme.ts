import {BookIcon} from '@sanity/icons/Book'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {sharedNameField} from '../fields'
import {applicationRoutes, careerLevels, optionTitle} from '../options'
import {acronymFormat, documentField} from '../validation'

/**
 * A national training programme (PTP, STP, HSST) or development route (ASP): only what is true in
 * every specialism. What differs by specialism (awards, courses, duration, mode, roles it leads
 * to) lives on that specialism's training route (`trainingRoute`).
 */
export const programme = defineType({
  name: 'programme',
  title: 'Programme',
  type: 'document',
  icon: BookIcon,
  groups: [
    {name: 'overview', title: 'Overview', default: true},
    {name: 'structure', title: 'Structure'},
    {name: 'applying', title: 'Applying'},
  ],
  fields: [
    sharedNameField({
      group: 'overview',
      description: 'e.g. "NHS Practitioner Training Programme".',
      whenMissing: 'Pages link to the programme by name; it cannot be empty.',
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
      name: 'nationalBody',
      title: 'National body',
      type: 'reference',
      group: 'overview',
      to: [{type: 'organisation'}],
      description: 'The organisation that runs the programme nationally, e.g. NSHCS.',
    }),
    defineField({
      name: 'summary',
      title: 'Summary',
      type: 'text',
      rows: 4,
      group: 'overview',
      description: 'True in every specialism; specialism detail goes on its training route.',
      validation: (rule) => rule.required().warning('Lists of programmes show this summary.'),
    }),
    defineField({
      name: 'phases',
      title: 'Phases',
      type: 'array',
      group: 'structure',
      description: 'How the programme is structured, in order.',
      of: [defineArrayMember({type: 'programmePhase'})],
    }),
    defineField({
      name: 'salaried',
      title: 'Salaried training post',
      type: 'boolean',
      group: 'structure',
      description: 'Trainees are employed and paid while they train.',
      initialValue: false,
    }),
    defineField({
      name: 'employment',
      title: 'Employment',
      type: 'string',
      group: 'structure',
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
      name: 'moreInformation',
      title: 'More information',
      type: 'link',
      group: 'applying',
    }),
    defineField({
      name: 'guide',
      title: 'Programme guide',
      type: 'downloadableFile',
      group: 'applying',
      description: 'The programme’s guide for applicants, as a PDF readers can download.',
    }),
  ],
  preview: {
    select: {
      name: 'name',
      acronym: 'acronym',
      level: 'careerLevel',
      body: 'nationalBody.acronym',
    },
    prepare({name, acronym, level, body}) {
      return {
        title: acronym ? `${name} (${acronym})` : name,
        subtitle: ['National', optionTitle(careerLevels, level), body].filter(Boolean).join(' · '),
      }
    },
  },
})
