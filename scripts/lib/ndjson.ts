/**
 * NDJSON as `sanity dataset export` writes and `sanity dataset import` reads it: one JSON document
 * per line. Parsing is all-or-nothing: callers get every problem with its line number and decide
 * before anything is written.
 */
import {
  documentSizeProblem,
  jsonTextDepthExceeds,
  MAX_DOCUMENT_DEPTH,
} from '../../server/store/limits'

/** A document as it appears in an export: `_id` and `_type` are all the format guarantees. */
export interface DatasetDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

export interface LineProblem {
  /** 1-based line number in the file. */
  line: number
  message: string
}

export interface ParsedNdjson {
  documents: DatasetDocument[]
  /** The line each document came from, by `_id`. */
  lines: Map<string, number>
  problems: LineProblem[]
}

/** Sanity's document id limit. */
export const MAX_ID_LENGTH = 128
const ID_CHARACTERS = /^[A-Za-z0-9._-]+$/

/** Why `id` is not a valid Sanity document id, or `undefined` when it is. */
export function documentIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return '`_id` must be a string'
  if (id === '') return '`_id` must not be empty'
  if (id.length > MAX_ID_LENGTH) return `\`_id\` is longer than ${MAX_ID_LENGTH} characters`
  if (!ID_CHARACTERS.test(id)) {
    return `\`_id\` "${id}" may only contain letters, digits, ".", "_" and "-"`
  }
  if (id.startsWith('-')) return `\`_id\` "${id}" must not start with "-"`
  if (id.startsWith('.') || id.endsWith('.') || id.includes('..')) {
    return `\`_id\` "${id}" has an empty path segment (leading, trailing or double ".")`
  }
  return undefined
}

function describeJsonError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** Parses a whole NDJSON text; blank lines are allowed, everything else must be a document. */
export function parseNdjson(text: string): ParsedNdjson {
  const documents: DatasetDocument[] = []
  const lines = new Map<string, number>()
  const problems: LineProblem[] = []

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    // The lake's own limits, checked here too so that one line past them aborts the whole import
    // before anything is written, instead of failing its transaction half-way through the file.
    if (jsonTextDepthExceeds(raw, MAX_DOCUMENT_DEPTH)) {
      problems.push({
        line,
        message: `nests arrays and objects deeper than ${MAX_DOCUMENT_DEPTH} levels, the limit for a document`,
      })
      return
    }
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      problems.push({line, message: `not valid JSON (${describeJsonError(error)})`})
      return
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({line, message: 'not a JSON object'})
      return
    }
    const record = value as Record<string, unknown>
    const missing = ['_id', '_type'].filter((field) => record[field] === undefined)
    if (missing.length > 0) {
      problems.push({line, message: `missing ${missing.map((f) => `\`${f}\``).join(' and ')}`})
      return
    }
    const idProblem = documentIdProblem(record['_id'])
    if (idProblem) {
      problems.push({line, message: idProblem})
      return
    }
    if (typeof record['_type'] !== 'string' || record['_type'] === '') {
      problems.push({line, message: '`_type` must be a non-empty string'})
      return
    }
    const document = record as DatasetDocument
    const tooLarge = documentSizeProblem(document._id, raw)
    if (tooLarge) {
      problems.push({line, message: tooLarge.description})
      return
    }
    const earlier = lines.get(document._id)
    if (earlier !== undefined) {
      problems.push({
        line,
        message: `duplicate \`_id\` "${document._id}" (first on line ${earlier})`,
      })
      return
    }
    lines.set(document._id, line)
    documents.push(document)
  })

  return {documents, lines, problems}
}

export function formatLineProblems(file: string, problems: readonly LineProblem[]): string {
  return problems.map((p) => `${file}:${p.line}: ${p.message}`).join('\n')
}

export function toNdjsonLine(document: unknown): string {
  return `${JSON.stringify(document)}\n`
}
