import {CogIcon} from '@sanity/icons/Cog'
import {defineField, defineType} from 'sanity'

import {httpUrlRule, urlRequired} from '../validation'

/** The settings document is a singleton: the Studio edits exactly this id. */
export const SETTINGS_ID = 'settings'

/** Site-wide settings, including the feedback-form copy every page shows. */
export const settings = defineType({
  name: 'settings',
  title: 'Site settings',
  type: 'document',
  icon: CogIcon,
  groups: [
    {name: 'site', title: 'Site', default: true},
    {name: 'feedback', title: 'Feedback form'},
  ],
  fields: [
    defineField({
      name: 'siteTitle',
      title: 'Site title',
      type: 'string',
      group: 'site',
      validation: (rule) =>
        rule.required().error('The site title appears in every browser tab and search result.'),
    }),
    defineField({
      name: 'siteUrl',
      title: 'Site address',
      type: 'url',
      group: 'site',
      description:
        'The public address pages are served from; feedback URLs are resolved against it.',
      validation: httpUrlRule,
    }),
    defineField({
      name: 'contactPageUrl',
      title: 'Contact page address',
      type: 'url',
      group: ['site', 'feedback'],
      description: 'Career questions are sent here instead of the page-problem form.',
      validation: (rule) =>
        httpUrlRule(rule).custom(
          urlRequired('Career questions need somewhere to go: enter the contact page.'),
        ),
    }),
    defineField({
      name: 'feedbackForm',
      title: 'Feedback form',
      type: 'object',
      group: 'feedback',
      options: {collapsible: true, collapsed: false},
      fields: [
        defineField({
          name: 'toggleLabel',
          title: 'Link that opens the form',
          type: 'string',
          validation: (rule) => rule.required().error('Readers open the form with this link.'),
        }),
        defineField({
          name: 'heading',
          title: 'Heading',
          type: 'string',
          validation: (rule) => rule.required().error('The form needs a heading.'),
        }),
        defineField({
          name: 'intro',
          title: 'Introduction',
          type: 'text',
          rows: 3,
          validation: (rule) =>
            rule.required().error('Tell readers what the form is for before they type.'),
        }),
        defineField({
          name: 'careerQuestionNote',
          title: 'Career questions note',
          type: 'text',
          rows: 2,
          description: 'The words "contact us page" link to the contact page address.',
          validation: (rule) =>
            rule.required().error('Readers with career questions need to be sent elsewhere.'),
        }),
      ],
    }),
  ],
  preview: {
    select: {title: 'siteTitle', contact: 'contactPageUrl'},
    prepare({title, contact}) {
      return {
        title: title || 'Site settings',
        subtitle: contact ? `Contact: ${contact}` : undefined,
      }
    },
  },
})
