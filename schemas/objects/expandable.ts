import {ExpandIcon} from '@sanity/icons/Expand'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {portableTextBlock} from './portableText'

/**
 * A collapsed section readers open on demand, like "Continuing professional development".
 * Its body cannot hold another expandable section: nested accordions are hard to use.
 */
export const expandable = defineType({
  name: 'expandable',
  title: 'Expandable section',
  type: 'object',
  icon: ExpandIcon,
  fields: [
    defineField({
      name: 'title',
      title: 'Title',
      type: 'string',
      description: 'Always visible; readers select it to open the section.',
      validation: (rule) =>
        rule.required().error('Readers only see the title until they open the section.'),
    }),
    defineField({
      name: 'body',
      title: 'Content',
      type: 'array',
      of: [portableTextBlock, defineArrayMember({type: 'callout'})],
      validation: (rule) =>
        rule.required().min(1).error('An expandable section needs content to reveal.'),
    }),
  ],
  preview: {
    select: {title: 'title', body: 'body'},
    prepare({title, body}) {
      const blocks = Array.isArray(body) ? body.length : 0
      return {title: title || 'Untitled section', subtitle: `Expandable · ${blocks} blocks`}
    },
  },
})
