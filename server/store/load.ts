/**
 * Reading the `documents` table into memory at start-up. A row the lake cannot use (JSON that does
 * not parse, a value that is not a document, a document nested deeper than the write boundary now
 * allows) is logged by id and left out of the mirror, never deleted: the lake serves every other
 * document, and the row stays on disk for someone to look at. Replacing the document (a
 * `createOrReplace` of its id) overwrites the row.
 */
import type {DatabaseSync} from 'node:sqlite'

import {documentDepthProblem} from './limits'
import type {StoredDocument} from './types'

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The document a row holds, or why it cannot be served. */
export function readStoredRow(id: string, json: string): StoredDocument | string {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    return `its JSON does not parse (${error instanceof Error ? error.message : String(error)})`
  }
  if (!isRecord(value)) return 'it is not a JSON object'
  if (value['_id'] !== id) return 'its _id does not match its row'
  if (typeof value['_type'] !== 'string' || value['_type'] === '') return 'it has no string _type'
  // Stored before the write boundary had its limits: groq-js and JSON.stringify recurse over it.
  const tooDeep = documentDepthProblem(id, value)
  if (tooDeep) return tooDeep.description
  return value as StoredDocument
}

export function loadStoredDocuments(
  db: DatabaseSync,
  log: (message: string) => void,
): StoredDocument[] {
  const documents: StoredDocument[] = []
  for (const row of db.prepare('SELECT id, json FROM documents').iterate()) {
    const {id, json} = row as {id: string; json: string}
    const read = readStoredRow(id, String(json))
    if (typeof read === 'string') {
      log(
        `lake store: skipped document "${id}" at start-up: ${read}. Its row stays in lake.sqlite; replacing the document overwrites it.`,
      )
      continue
    }
    documents.push(read)
  }
  return documents
}
