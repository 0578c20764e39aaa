import {DocumentPdfIcon} from '@sanity/icons/DocumentPdf'
import {defineField, defineType} from 'sanity'

interface FileValue {
  asset?: {_ref?: string}
}

/** A chosen file needs link text: "Download" alone tells a screen reader user nothing. */
export function linkTextRequired(
  title: string | undefined,
  file: FileValue | undefined,
): true | string {
  if (!file?.asset?._ref || title?.trim()) return true
  return 'Name the download as the link should read, e.g. "STP programme guide (PDF)".'
}

/** A PDF readers download (a programme guide), with the text of the link that offers it. */
export const downloadableFile = defineType({
  name: 'downloadableFile',
  title: 'PDF download',
  type: 'file',
  icon: DocumentPdfIcon,
  // Only PDFs: readers expect a guide they can open on any device and print.
  options: {accept: 'application/pdf,.pdf'},
  fields: [
    defineField({
      name: 'title',
      title: 'Link text',
      type: 'string',
      description: 'What the link reads, e.g. "STP programme guide (PDF)".',
      validation: (rule) =>
        rule.custom((title: string | undefined, context) =>
          linkTextRequired(title, context.parent as FileValue | undefined),
        ),
    }),
  ],
})
