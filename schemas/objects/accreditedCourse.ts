import {CheckmarkCircleIcon} from '@sanity/icons/CheckmarkCircle'
import {defineField, defineType} from 'sanity'

/** A course a route is studied on, who provides it and who accredits it. */
export const accreditedCourse = defineType({
  name: 'accreditedCourse',
  title: 'Accredited course',
  type: 'object',
  icon: CheckmarkCircleIcon,
  fields: [
    defineField({
      name: 'title',
      title: 'Course title',
      type: 'string',
      description: 'As the provider lists it, e.g. "BSc (Hons) Healthcare Science".',
      validation: (rule) => rule.required().error('Name the course so readers can find it.'),
    }),
    defineField({
      name: 'provider',
      title: 'Provider',
      type: 'reference',
      to: [{type: 'organisation'}],
      description: 'The university or college that runs it.',
      validation: (rule) => rule.required().warning('Readers want to know where they can study.'),
    }),
    defineField({
      name: 'accreditedBy',
      title: 'Accredited or approved by',
      type: 'reference',
      to: [{type: 'organisation'}],
    }),
  ],
  preview: {
    select: {title: 'title', provider: 'provider.name', accreditedBy: 'accreditedBy.acronym'},
    prepare({title, provider, accreditedBy}) {
      return {
        title,
        subtitle: [provider, accreditedBy && `accredited by ${accreditedBy}`]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
