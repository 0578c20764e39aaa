import {CaseIcon} from '@sanity/icons/Case'
import {defineField, defineType} from 'sanity'

import {sharedNameField} from '../fields'
import {optionTitle, organisationKinds} from '../options'
import {acronymFormat, httpUrlRule} from '../validation'

/** Regulators, professional bodies, academies, schools and admissions services. */
export const organisation = defineType({
  name: 'organisation',
  title: 'Organisation',
  type: 'document',
  icon: CaseIcon,
  fields: [
    sharedNameField({
      description:
        'The full name as the organisation writes it, e.g. "Health and Care Professions Council".',
      whenMissing: 'Pages and programmes show this name wherever they mention it.',
    }),
    defineField({
      name: 'acronym',
      title: 'Acronym',
      type: 'string',
      description: 'e.g. HCPC, AHCS, NSHCS.',
      validation: (rule) => rule.custom(acronymFormat),
    }),
    defineField({
      name: 'kind',
      title: 'Kind',
      type: 'string',
      options: {list: [...organisationKinds]},
      validation: (rule) =>
        rule.required().error('Choose a kind: lists of regulators and professional bodies use it.'),
    }),
    defineField({
      name: 'website',
      title: 'Website',
      type: 'url',
      validation: httpUrlRule,
    }),
    defineField({
      name: 'description',
      title: 'What it does',
      type: 'text',
      rows: 3,
      description: 'One or two sentences for readers who have not heard of it.',
    }),
    defineField({
      name: 'logo',
      title: 'Logo',
      type: 'accessibleImage',
      description:
        'Shown where pages name the organisation. Its alternative text is the organisation’s name, e.g. "Health and Care Professions Council".',
    }),
  ],
  orderings: [{title: 'Name', name: 'nameAsc', by: [{field: 'name', direction: 'asc'}]}],
  preview: {
    select: {name: 'name', acronym: 'acronym', kind: 'kind', website: 'website'},
    prepare({name, acronym, kind, website}) {
      return {
        title: acronym ? `${name} (${acronym})` : name,
        subtitle: [optionTitle(organisationKinds, kind), website].filter(Boolean).join(' · '),
      }
    },
  },
})
