import {LinkIcon} from '@sanity/icons/Link'
import {defineField, defineType} from 'sanity'

import {httpUrlRule} from '../validation'

/** Document types an internal link may point to. */
export const linkableTypes = [
  'page',
  'careerArea',
  'theme',
  'specialism',
  'programme',
  'trainingRoute',
  'framework',
  'organisation',
  'qualification',
  'careerRole',
  'registration',
] as const

export type LinkType = 'internal' | 'external'

export interface LinkValue {
  linkType?: LinkType
  internal?: {_ref?: string}
  href?: string
  label?: string
}

/** An internal link needs a document, an external link an address; never both. */
export function linkTarget(link: LinkValue | undefined): true | string {
  if (!link) return true
  const kind = link.linkType ?? (link.href ? 'external' : 'internal')
  if (kind === 'internal') {
    if (!link.internal?._ref) return 'Choose the page or document this link goes to.'
    if (link.href) return 'An internal link cannot also have a web address: remove the address.'
    return true
  }
  if (!link.href) return 'Enter the web address this link goes to.'
  if (link.internal?._ref) return 'An external link cannot also point to a document: remove it.'
  return true
}

function isAnnotation(path: readonly unknown[] | undefined): boolean {
  return Boolean(path?.includes('markDefs'))
}

/**
 * The one link type: annotations in Portable Text and link lists ("Find out more") both use it,
 * so a link behaves the same wherever it appears.
 */
export const link = defineType({
  name: 'link',
  title: 'Link',
  type: 'object',
  icon: LinkIcon,
  fields: [
    defineField({
      name: 'linkType',
      title: 'Link to',
      type: 'string',
      // No initial value: it would create a half-made link in every optional link field (such as
      // a programme's "More information"), which then blocks publishing until it is filled in.
      options: {
        list: [
          {value: 'internal', title: 'A page or document on this site'},
          {value: 'external', title: 'Another website'},
        ],
        layout: 'radio',
        direction: 'horizontal',
      },
      validation: (rule) => rule.required().error('Say whether this link stays on the site.'),
    }),
    defineField({
      name: 'internal',
      title: 'Document',
      type: 'reference',
      to: linkableTypes.map((type) => ({type})),
      hidden: ({parent}) => (parent as LinkValue | undefined)?.linkType === 'external',
    }),
    defineField({
      name: 'href',
      title: 'Web address',
      type: 'url',
      description: 'The full address, starting with https://',
      hidden: ({parent}) => (parent as LinkValue | undefined)?.linkType !== 'external',
      validation: httpUrlRule,
    }),
    defineField({
      name: 'label',
      title: 'Link text',
      type: 'string',
      description: 'Shown in link lists. In body text the selected words are the link text.',
      hidden: ({path}) => isAnnotation(path),
      validation: (rule) => rule.max(120).warning('Link text reads best under 120 characters.'),
    }),
  ],
  validation: (rule) => rule.custom((value) => linkTarget(value as LinkValue | undefined)),
  preview: {
    select: {
      label: 'label',
      href: 'href',
      linkType: 'linkType',
      // Pages have titles; programmes, organisations, roles and qualifications have names.
      targetTitle: 'internal.title',
      targetName: 'internal.name',
      targetRegister: 'internal.register',
    },
    prepare({label, href, linkType, targetTitle, targetName, targetRegister}) {
      const target = targetTitle || targetName || targetRegister
      const external = linkType === 'external'
      return {
        title: label || target || href || 'Untitled link',
        subtitle: external ? `External · ${href ?? 'no address'}` : `Internal · ${target ?? '—'}`,
      }
    },
  },
})
