import {SearchIcon} from '@sanity/icons/Search'
import {defineField, defineType} from 'sanity'

/** Search-engine overrides; everything falls back to the page's own title and summary. */
export const seo = defineType({
  name: 'seo',
  title: 'Search engines',
  type: 'object',
  icon: SearchIcon,
  options: {collapsible: true, collapsed: true},
  fields: [
    defineField({
      name: 'title',
      title: 'Title in search results',
      type: 'string',
      description: 'Leave empty to use the page title.',
      validation: (rule) =>
        rule.max(60).warning('Search engines cut titles after about 60 characters.'),
    }),
    defineField({
      name: 'description',
      title: 'Description in search results',
      type: 'text',
      rows: 3,
      description: 'Leave empty to use the page summary.',
      validation: (rule) =>
        rule.max(160).warning('Search engines cut descriptions after about 160 characters.'),
    }),
    defineField({
      name: 'noIndex',
      title: 'Hide from search engines',
      type: 'boolean',
      initialValue: false,
    }),
  ],
  preview: {
    select: {title: 'title', description: 'description', noIndex: 'noIndex'},
    prepare({title, description, noIndex}) {
      return {
        title: title || 'Search engine settings',
        subtitle: noIndex ? 'Hidden from search engines' : description,
      }
    },
  },
})
