import {BlockContentIcon} from '@sanity/icons/BlockContent'
import {defineArrayMember, defineType} from 'sanity'

/**
 * The text block every rich-text field uses: headings, lists, emphasis and the one `link`
 * annotation. Exported so nested rich text (callouts, expandable sections) stays identical.
 */
export const portableTextBlock = defineArrayMember({
  type: 'block',
  styles: [
    {title: 'Paragraph', value: 'normal'},
    {title: 'Heading 2', value: 'h2'},
    {title: 'Heading 3', value: 'h3'},
    {title: 'Heading 4', value: 'h4'},
  ],
  lists: [
    {title: 'Bullets', value: 'bullet'},
    {title: 'Numbers', value: 'number'},
  ],
  marks: {
    decorators: [
      {title: 'Strong', value: 'strong'},
      {title: 'Emphasis', value: 'em'},
    ],
    annotations: [defineArrayMember({type: 'link', name: 'link'})],
  },
})

/** The site's one Portable Text type: page bodies are written with it. */
export const portableText = defineType({
  name: 'portableText',
  title: 'Rich text',
  type: 'array',
  icon: BlockContentIcon,
  of: [
    portableTextBlock,
    defineArrayMember({type: 'callout'}),
    defineArrayMember({type: 'expandable'}),
  ],
})
