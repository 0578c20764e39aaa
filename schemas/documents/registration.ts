import {ClipboardIcon} from '@sanity/icons/Clipboard'
import {defineField, defineType} from 'sanity'

import {optionTitle, registrationStatuses} from '../options'

/** A registration fact: who keeps the register, whether it is compulsory and what it requires. */
export const registration = defineType({
  name: 'registration',
  title: 'Registration',
  type: 'document',
  icon: ClipboardIcon,
  fields: [
    defineField({
      name: 'register',
      title: 'Register',
      type: 'string',
      description: 'The register’s name, e.g. "HCPC register of clinical scientists".',
      validation: (rule) => rule.required().error('Name the register so readers can look it up.'),
    }),
    defineField({
      name: 'body',
      title: 'Maintained by',
      type: 'reference',
      to: [{type: 'organisation'}],
      validation: (rule) => rule.required().error('Say which organisation keeps this register.'),
    }),
    defineField({
      name: 'status',
      title: 'Mandatory or voluntary',
      type: 'string',
      options: {list: [...registrationStatuses], layout: 'radio'},
      validation: (rule) =>
        rule.required().error('Readers need to know whether they must register to practise.'),
    }),
    defineField({
      name: 'roles',
      title: 'Roles it applies to',
      type: 'array',
      of: [{type: 'reference', to: [{type: 'careerRole'}]}],
      validation: (rule) => rule.unique().error('Each role only needs listing once.'),
    }),
    defineField({
      name: 'requirement',
      title: 'Requirement',
      type: 'text',
      rows: 4,
      description: 'What you need to hold or do to join, in a sentence or two.',
      validation: (rule) => rule.required().error('Say what it takes to join the register.'),
    }),
    defineField({
      name: 'qualifyingQualifications',
      title: 'Qualifications that qualify',
      type: 'array',
      of: [{type: 'reference', to: [{type: 'qualification'}]}],
      validation: (rule) => rule.unique().error('Each qualification only needs listing once.'),
    }),
    defineField({
      name: 'moreInformation',
      title: 'More information',
      type: 'link',
      description: 'Where readers can find out more about the register.',
    }),
  ],
  preview: {
    select: {title: 'register', status: 'status', body: 'body.acronym', bodyName: 'body.name'},
    prepare({title, status, body, bodyName}) {
      return {
        title,
        subtitle: [optionTitle(registrationStatuses, status), body || bodyName]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
