/**
 * Runs every schema validation rule over every document of a dataset with Sanity's own
 * implementation (`@sanity/validation`, what `sanity documents validate` runs), checking
 * references against the dataset itself.
 */
import type {SanityClient} from '@sanity/client'
import {
  type DocumentValidationMarker,
  validateDocument,
  validateDocumentWithWorkspace,
  type ValidationClient,
  validationMarkerCodes,
} from '@sanity/validation'
import {getFallbackLocaleSource} from '@sanity/validation/_internal'
import type {SanityDocument, Schema} from 'sanity'

import {createDatasetValidationClient} from './datasetClient'
import {
  allowedValues,
  missingReferenceMessage,
  notAllowedMessage,
  schemaTypeAtPath,
  valueAtPath,
} from './markerDetails'
import type {DatasetDocument} from './ndjson'
import {compiledSchema} from './schema'

export type Level = 'error' | 'warning' | 'info'

export interface FieldMarker {
  /** The field path as an editor reads it, e.g. `body[_key=="b1"].markDefs[0].href`. */
  path: string
  level: Level
  message: string
}

export interface DocumentReport {
  documentId: string
  documentType: string
  /** The worst marker level, or `ok`. */
  level: Level | 'ok'
  markers: FieldMarker[]
}

export interface ValidateDatasetOptions {
  schema?: Schema
  /** The client custom validators query; defaults to groq-js over `documents` themselves. */
  client?: ValidationClient
  /** Ids that count as existing for reference checks; defaults to the ids in `documents`. */
  existingIds?: ReadonlySet<string>
  /** Markers below this level are dropped (`info` keeps all). */
  level?: Level
  concurrency?: number
}

const levelRank: Record<Level, number> = {error: 0, warning: 1, info: 2}

type PathSegment = DocumentValidationMarker['path'][number]

/** Formats a marker path the way Sanity prints paths (`a.b[_key=="k"][2]`). */
export function formatPath(path: readonly PathSegment[]): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'string') out += out ? `.${segment}` : segment
    else if (typeof segment === 'number') out += `[${segment}]`
    else if (Array.isArray(segment)) out += `[${segment.join(':')}]`
    else if (segment && typeof segment === 'object' && '_key' in segment) {
      out += `[_key=="${segment._key}"]`
    }
  }
  return out
}

/** System documents are not content: Sanity's validator skips them too. */
function isContentDocument(document: DatasetDocument): boolean {
  return !document._type.startsWith('system.') && !document._type.startsWith('sanity.')
}

function worst(markers: readonly FieldMarker[]): Level | 'ok' {
  return markers.reduce<Level | 'ok'>(
    (acc, m) => (acc === 'ok' || levelRank[m.level] < levelRank[acc] ? m.level : acc),
    'ok',
  )
}

/** Sanity's generic messages for a missing reference and a value outside its list, made exact. */
function specificMessage(
  marker: DocumentValidationMarker,
  document: DatasetDocument,
  schema: Schema,
): string {
  if (marker.code === validationMarkerCodes.referenceNotPublished) {
    return missingReferenceMessage(valueAtPath(document, marker.path))
  }
  if (marker.code === validationMarkerCodes.valueNotAllowed) {
    const allowed = allowedValues(schemaTypeAtPath(schema, document, marker.path))
    if (allowed) return notAllowedMessage(valueAtPath(document, marker.path), allowed)
  }
  return marker.message
}

/**
 * Validates one document with Sanity's implementation, at the levels the Studio shows editors.
 *
 * `@sanity/validation` 6.16 in its `cli` environment adds the unknown-field check to every
 * object-typed value with `rule.custom(…).warning()`, which downgrades ALL rules on that value to
 * warnings: slugs, links, the document-level rule. So rules run as the Studio runs them
 * (`environment: 'studio'`), and a second pass with custom validators off contributes only the
 * unknown-field markers, which the Studio does not check but a dataset file needs.
 */
async function validateOne(
  document: DatasetDocument,
  schema: Schema,
  client: ValidationClient,
  existingIds: ReadonlySet<string>,
): Promise<FieldMarker[]> {
  if (!schema.get(document._type)) {
    return [{path: '_type', level: 'error', message: `Unknown document type "${document._type}".`}]
  }
  // Exports do not always carry the system fields; validation only reads content.
  const sanityDocument = document as unknown as SanityDocument
  const getDocumentExists = ({id}: {id: string}) => Promise.resolve(existingIds.has(id))
  try {
    const [rules, structure] = await Promise.all([
      validateDocumentWithWorkspace({
        document: sanityDocument,
        workspace: {
          schema,
          // Custom validators receive this as a SanityClient; they only call `fetch` on it.
          getClient: ({apiVersion}) => client.withConfig({apiVersion}) as unknown as SanityClient,
          i18n: getFallbackLocaleSource(),
        },
        environment: 'studio',
        getDocumentExists,
      }),
      validateDocument({
        document: sanityDocument,
        schema,
        client,
        customValidation: false,
        getDocumentExists,
      }),
    ])
    const unknownFields = structure.markers.filter(
      (marker) => marker.code === validationMarkerCodes.objectUnknownField,
    )
    return [...rules, ...unknownFields].map((marker) => ({
      path: formatPath(marker.path),
      level: marker.level,
      message: specificMessage(marker, document, schema),
    }))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return [{path: '', level: 'error', message: `Validation failed to run: ${message}`}]
  }
}

export async function validateDataset(
  documents: readonly DatasetDocument[],
  options: ValidateDatasetOptions = {},
): Promise<DocumentReport[]> {
  const schema = options.schema ?? compiledSchema()
  const client = options.client ?? createDatasetValidationClient(documents)
  const existingIds = options.existingIds ?? new Set(documents.map((d) => d._id))
  const threshold = levelRank[options.level ?? 'info']
  const content = documents.filter(isContentDocument)
  const reports: DocumentReport[] = new Array<DocumentReport>(content.length)

  let next = 0
  const worker = async (): Promise<void> => {
    while (next < content.length) {
      const index = next++
      const document = content[index]!
      const markers = (await validateOne(document, schema, client, existingIds)).filter(
        (m) => levelRank[m.level] <= threshold,
      )
      reports[index] = {
        documentId: document._id,
        documentType: document._type,
        level: worst(markers),
        markers,
      }
    }
  }
  await Promise.all(Array.from({length: options.concurrency ?? 8}, worker))
  return reports
}

export interface ValidationSummary {
  documents: number
  errors: number
  warnings: number
  infos: number
}

export function summarise(reports: readonly DocumentReport[]): ValidationSummary {
  const count = (level: Level) =>
    reports.reduce((sum, r) => sum + r.markers.filter((m) => m.level === level).length, 0)
  return {
    documents: reports.length,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
  }
}

const symbols: Record<Level, string> = {error: '✖', warning: '⚠', info: 'ℹ'}

/** A report by document and field, like `sanity documents validate --format pretty`. */
export function formatReports(reports: readonly DocumentReport[]): string {
  const lines: string[] = []
  for (const report of reports) {
    if (report.level === 'ok') continue
    lines.push(`${symbols[report.level]} [${report.documentType}] ${report.documentId}`)
    const sorted = [...report.markers].sort(
      (a, b) => levelRank[a.level] - levelRank[b.level] || a.path.localeCompare(b.path),
    )
    // Each line names its document, so a line read alone (or grepped) still says where it is.
    for (const marker of sorted) {
      lines.push(
        `    ${symbols[marker.level]} ${report.documentId} → ${marker.path || '(document)'}: ${marker.message}`,
      )
    }
  }
  const {documents, errors, warnings, infos} = summarise(reports)
  lines.push(
    `Validated ${documents} documents: ${errors} errors, ${warnings} warnings, ${infos} infos.`,
  )
  return lines.join('\n')
}
