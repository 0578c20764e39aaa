import {defineField, type ReferenceRule} from 'sanity'

import {
  nameIsNotDuplicated,
  placementTypes,
  slugIsNotReserved,
  slugIsUniqueInType,
  uniquenessCheckedByRule,
} from './validation'

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
  /** Slugs the site keeps for its own paths (a page's slug is its root path). */
  reserved?: readonly string[]
}) {
  const {source, whenMissing, group, description, maxLength, reserved} = options
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
      ...(reserved ? [rule.custom(slugIsNotReserved(reserved)).error()] : []),
    ],
  })
}

/**
 * Where a page, role, route or qualification sits: one reference that accepts a career area, a
 * theme or a specialism, so each document is filed at the level it describes and nothing is
 * copied down into every specialism.
 */
export function placementField(options: {
  description: string
  whenMissing?: {level: 'error' | 'warning'; message: string}
  group?: string
}) {
  const {description, whenMissing, group} = options
  return defineField({
    name: 'partOf',
    title: 'Sits under (area, theme or specialism)',
    type: 'reference',
    ...(group ? {group} : {}),
    description,
    to: placementTypes.map((type) => ({type})),
    ...(whenMissing
      ? {
          validation: (rule: ReferenceRule) =>
            rule.required()[whenMissing.level](whenMissing.message),
        }
      : {}),
  })
}

/**
 * The `name` field of a shared document type (role, qualification, programme, organisation):
 * required, and checked against the dataset so a copy of an existing document is flagged.
 */
export function sharedNameField(options: {
  description?: string
  whenMissing: string
  group?: string
}) {
  return defineField({
    name: 'name',
    title: 'Name',
    type: 'string',
    ...(options.group ? {group: options.group} : {}),
    ...(options.description ? {description: options.description} : {}),
    validation: (rule) => [
      rule.required().error(options.whenMissing),
      rule.custom(nameIsNotDuplicated).warning(),
    ],
  })
}

/** "Shared" or the name of what the document belongs to, for previews. */
export function placementLabel(partOfName: unknown, partOfType: unknown): string {
  if (typeof partOfName !== 'string' || partOfName === '') return 'Shared'
  const kind =
    partOfType === 'careerArea' ? 'area' : partOfType === 'theme' ? 'theme' : 'specialism'
  return kind === 'area' ? `Shared across ${partOfName}` : `${partOfName} (${kind})`
}
