import {InfoOutlineIcon} from '@sanity/icons/InfoOutline'
import {defineField, defineType} from 'sanity'

import {portableTextBlock} from './portableText'

export const calloutTones = [
  {value: 'info', title: 'Information'},
  {value: 'warning', title: 'Warning'},
  {value: 'action', title: 'Action needed'},
] as const

/** A highlighted box inside body text, e.g. "check individual job vacancy details". */
export const callout = defineType({
  name: 'callout',
  title: 'Callout',
  type: 'object',
  icon: InfoOutlineIcon,
  fields: [
    defineField({
      name: 'tone',
      title: 'Tone',
      type: 'string',
      initialValue: 'info',
      options: {list: [...calloutTones], layout: 'radio', direction: 'horizontal'},
      validation: (rule) => rule.required().error('Choose how strongly the callout stands out.'),
    }),
    defineField({
      name: 'title',
      title: 'Title',
      type: 'string',
      description: 'Optional heading shown in bold at the top of the box.',
    }),
    defineField({
      name: 'body',
      title: 'Text',
      type: 'array',
      of: [portableTextBlock],
      validation: (rule) => rule.required().min(1).error('A callout needs some text to show.'),
    }),
  ],
  preview: {
    select: {title: 'title', body: 'body', tone: 'tone'},
    prepare({title, body, tone}) {
      const firstBlock = Array.isArray(body) ? body[0] : undefined
      const text = Array.isArray(firstBlock?.children)
        ? firstBlock.children.map((c: {text?: string}) => c.text ?? '').join('')
        : ''
      const toneTitle = calloutTones.find((t) => t.value === tone)?.title ?? 'Callout'
      return {title: title || text || 'Empty callout', subtitle: `Callout · ${toneTitle}`}
    },
  },
})
