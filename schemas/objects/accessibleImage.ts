import {ImageIcon} from '@sanity/icons/Image'
import {defineField, defineType} from 'sanity'

/** Past this many characters alt text stops being a description and becomes a caption. */
export const ALT_TEXT_SOFT_LIMIT = 150

interface ImageValue {
  asset?: {_ref?: string}
  decorative?: boolean
}

/**
 * Alt text is required on every image a reader needs to see, unless an editor has marked it
 * decorative (a background pattern, a stock photo that repeats the heading): screen readers then
 * skip it, and the frontend renders `alt=""`. An empty image (no file chosen) needs nothing.
 */
export function altTextRequired(
  alt: string | undefined,
  image: ImageValue | undefined,
): true | string {
  if (!image?.asset?._ref || image.decorative === true) return true
  if (alt?.trim()) return true
  return 'Describe the image for people who cannot see it (what it shows, not "image of"), or mark it decorative.'
}

/** Soft guidance: screen readers read alt text in one go, so long text is better as a caption. */
export function altTextAdvice(alt: string | undefined): true | string {
  if (!alt) return true
  if (alt.trim().length > ALT_TEXT_SOFT_LIMIT) {
    return `Keep alt text under ${ALT_TEXT_SOFT_LIMIT} characters: screen readers read it in one go. Put detail in the page text.`
  }
  if (/^\s*(image|picture|photo|graphic)\s+(of|showing)\b/i.test(alt)) {
    return 'Screen readers already say it is an image: start with what it shows.'
  }
  return true
}

/**
 * An image with hotspot and crop, and what a reader who cannot see it is told: one type for page
 * and role images and organisation logos, so every image on the site carries the same rule.
 */
export const accessibleImage = defineType({
  name: 'accessibleImage',
  title: 'Image',
  type: 'image',
  icon: ImageIcon,
  options: {hotspot: true},
  fields: [
    defineField({
      name: 'alt',
      title: 'Alternative text',
      type: 'string',
      description:
        'What the image shows, for people who cannot see it, e.g. "A cardiac physiologist fitting a heart monitor to a patient".',
      hidden: ({parent}) => (parent as ImageValue | undefined)?.decorative === true,
      validation: (rule) => [
        rule.custom((alt: string | undefined, context) =>
          altTextRequired(alt, context.parent as ImageValue | undefined),
        ),
        rule.custom(altTextAdvice).warning(),
      ],
    }),
    defineField({
      name: 'decorative',
      title: 'Decorative only',
      type: 'boolean',
      description:
        'Tick only when the image adds nothing a reader needs: screen readers then skip it, and no alternative text is asked for.',
      initialValue: false,
    }),
  ],
  preview: {
    select: {media: 'asset', alt: 'alt', decorative: 'decorative'},
    prepare({media, alt, decorative}) {
      return {
        title: decorative ? 'Decorative image' : alt || 'Image without alternative text',
        media,
      }
    },
  },
})
