import {defineField} from 'sanity'

import {slugIsUniqueInType, uniquenessCheckedByRule} from './validation'

/**
 * The `slug` field of a document type whose slugs must be unique within the type (pages,
 * specialisms, career roles): made from `source`, checked by `slugIsUniqueInType`, and required
 * at the level and with the message the type's editors need.
 */
export function uniqueSlugField(options: {
  source: string
  whenMissing: {level: 'error' | 'warning'; message: string}
  group?: string
  description?: string
  maxLength?: number
}) {
  const {source, whenMissing, group, description, maxLength} = options
  return defineField({
    name: 'slug',
    title: 'Slug',
    type: 'slug',
    ...(group ? {group} : {}),
    ...(description ? {description} : {}),
    options: {
      source,
      ...(maxLength ? {maxLength} : {}),
      isUnique: uniquenessCheckedByRule,
    },
    validation: (rule) => [
      rule.required()[whenMissing.level](whenMissing.message),
      rule.custom(slugIsUniqueInType).error(),
    ],
  })
}
