/**
 * Sanity's generic validation messages, made specific for someone reading a terminal: which
 * reference is missing, which value was given and which are allowed. Paths are walked with a
 * loop over their segments, so no document shape can overflow the stack.
 */
import type {DocumentValidationMarker} from '@sanity/validation'
import type {Schema, SchemaType} from 'sanity'

type PathSegment = DocumentValidationMarker['path'][number]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function step(value: unknown, segment: PathSegment): unknown {
  if (typeof segment === 'string') return isRecord(value) ? value[segment] : undefined
  if (!Array.isArray(value)) return undefined
  if (typeof segment === 'number') return value[segment]
  if (isRecord(segment) && '_key' in segment) {
    return value.find((item) => isRecord(item) && item['_key'] === segment._key)
  }
  return undefined
}

/** The value at a marker's path in `document`. */
export function valueAtPath(document: unknown, path: readonly PathSegment[]): unknown {
  let value = document
  for (const segment of path) value = step(value, segment)
  return value
}

/** The schema type of the value at `path`, following array members by their `_type`. */
export function schemaTypeAtPath(
  schema: Schema,
  document: {_type: string},
  path: readonly PathSegment[],
): SchemaType | undefined {
  let type: SchemaType | undefined = schema.get(document._type)
  let value: unknown = document
  for (const segment of path) {
    if (!type) return undefined
    const next = step(value, segment)
    if (typeof segment === 'string') {
      const fields = (type as {fields?: {name: string; type: SchemaType}[]}).fields
      type = fields?.find((field) => field.name === segment)?.type
    } else {
      const members = (type as {of?: SchemaType[]}).of ?? []
      const memberType = isRecord(next) ? next['_type'] : undefined
      type =
        members.find((member) => member.name === memberType) ??
        (members.length === 1 ? members[0] : undefined)
    }
    value = next
  }
  return type
}

/** The values a list field allows, as stored. */
export function allowedValues(type: SchemaType | undefined): string[] | undefined {
  const list = (type?.options as {list?: unknown[]} | undefined)?.list
  if (!Array.isArray(list)) return undefined
  return list.map((item) => String(isRecord(item) ? item['value'] : item))
}

export function missingReferenceMessage(ref: unknown): string {
  const id = isRecord(ref) && typeof ref['_ref'] === 'string' ? ref['_ref'] : '(no id)'
  return `Refers to "${id}", which is not in the dataset (nor published): import or publish "${id}" first, or correct the reference.`
}

export function notAllowedMessage(value: unknown, allowed: readonly string[]): string {
  return `"${String(value)}" is not an allowed value; choose one of: ${allowed.join(', ')}.`
}
