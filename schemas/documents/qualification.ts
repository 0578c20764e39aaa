import {CheckmarkCircleIcon} from '@sanity/icons/CheckmarkCircle'
import {defineField, defineType} from 'sanity'

import {placementField, placementLabel, sharedNameField} from '../fields'
import {optionTitle, qualificationKinds} from '../options'
import {documentField} from '../validation'

/** A qualification that leads to registration should say which register it leads to. */
export function registrationNamedWhenLeadingToRegistration(
  leadsToRegistration: unknown,
  registration: unknown,
): true | string {
  if (leadsToRegistration !== true) return true
  const ref = (registration as {_ref?: unknown} | undefined)?._ref
  return typeof ref === 'string' && ref !== ''
    ? true
    : 'Say which register this qualification leads to, or untick "Leads to registration".'
}

export const qualification = defineType({
  name: 'qualification',
  title: 'Qualification',
  type: 'document',
  icon: CheckmarkCircleIcon,
  fields: [
    sharedNameField({
      whenMissing: 'Programmes and roles show this name wherever they award it.',
    }),
    placementField({
      description:
        'Only for a qualification in one specialism or theme (a BSc in cardiac physiology); leave empty when it is shared.',
    }),
    defineField({
      name: 'kind',
      title: 'Kind',
      type: 'string',
      options: {list: [...qualificationKinds]},
      validation: (rule) =>
        rule.required().error('Choose a kind: readers compare qualifications by kind.'),
    }),
    defineField({
      name: 'academicLevel',
      title: 'Academic level',
      type: 'number',
      description:
        'Regulated Qualifications Framework level (1–8): 5 foundation degree, 6 BSc, 7 MSc, 8 doctorate.',
      validation: (rule) =>
        rule.integer().min(1).max(8).error('Academic levels run from 1 to 8 (whole numbers).'),
    }),
    defineField({
      name: 'awardingBody',
      title: 'Awarding body',
      type: 'reference',
      to: [{type: 'organisation'}],
      description: 'Leave empty when the employer or any accredited university awards it.',
    }),
    defineField({
      name: 'accreditedBy',
      title: 'Accredited or approved by',
      type: 'reference',
      to: [{type: 'organisation'}],
      description: 'The body that accredits the courses leading to it, e.g. NSHCS.',
    }),
    defineField({
      name: 'leadsToRegistration',
      title: 'Leads to registration',
      type: 'boolean',
      initialValue: false,
    }),
    defineField({
      name: 'registration',
      title: 'Register it leads to',
      type: 'reference',
      to: [{type: 'registration'}],
      hidden: ({parent}) => documentField(parent, 'leadsToRegistration') !== true,
      validation: (rule) =>
        rule.custom((value, context) =>
          registrationNamedWhenLeadingToRegistration(
            documentField(context.document, 'leadsToRegistration'),
            value,
          ),
        ),
    }),
    defineField({
      name: 'description',
      title: 'Description',
      type: 'text',
      rows: 4,
    }),
  ],
  preview: {
    select: {
      title: 'name',
      kind: 'kind',
      level: 'academicLevel',
      body: 'awardingBody.acronym',
      bodyName: 'awardingBody.name',
      partOf: 'partOf.name',
      partOfType: 'partOf._type',
    },
    prepare({title, kind, level, body, bodyName, partOf, partOfType}) {
      return {
        title,
        subtitle: [
          placementLabel(partOf, partOfType),
          optionTitle(qualificationKinds, kind),
          typeof level === 'number' ? `level ${level}` : undefined,
          body || bodyName,
        ]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
