/**
 * Reading the `documents` table into memory at start-up. A row the lake cannot use (JSON that does
 * not parse, a value that is not a document, a document nested deeper than the write boundary now
 * allows) is logged by id and left out of the mirror, never deleted: the lake serves every other
 * document, and the row stays on disk for someone to look at. Replacing the document (a
 * `createOrReplace` of its id) overwrites the row.
 */
import type {DatabaseSync} from 'node:sqlite'

import type {DocumentRows} from './documentCache'
import {documentDepthProblem} from './limits'
import {DocumentMirror, type DocumentMirrorOptions, type FieldPath} from './mirror'
import {readSnapshot, type StoredSnapshot} from './snapshot'
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

/** The `documents` table as the mirror's `DocumentRows`: bodies read and checked on demand. */
export function tableRows(db: DatabaseSync): DocumentRows {
  const one = db.prepare('SELECT json FROM documents WHERE id = ?')
  // One statement for any number of ids: they travel as one JSON array.
  const many = db.prepare(
    'SELECT id, json FROM documents WHERE id IN (SELECT value FROM json_each(?))',
  )
  return {
    read(id) {
      const row = one.get(id) as {json: string} | undefined
      if (!row) return undefined
      const read = readStoredRow(id, String(row.json))
      return typeof read === 'string' ? undefined : read
    },
    readMany(ids) {
      const out: StoredDocument[] = []
      for (const row of many.all(JSON.stringify(ids)) as {id: string; json: string}[]) {
        const read = readStoredRow(row.id, String(row.json))
        if (typeof read !== 'string') out.push(read)
      }
      return out
    },
  }
}

/** Every readable row in `_id` order, read in batches (a start without a snapshot). */
function* readAllRows(
  db: DatabaseSync,
  skip: (id: string, why: string) => void,
): Generator<StoredDocument> {
  const batch = db.prepare('SELECT id, json FROM documents WHERE id > ? ORDER BY id LIMIT 2048')
  let after = ''
  for (;;) {
    const rows = batch.all(after) as {id: string; json: string}[]
    if (rows.length === 0) return
    for (const {id, json} of rows) {
      const read = readStoredRow(id, String(json))
      if (typeof read === 'string') skip(id, read)
      else yield read
    }
    after = (rows[rows.length - 1] as {id: string}).id
  }
}

function logSkipped(log: (message: string) => void, id: string, why: string): void {
  log(
    `lake store: skipped document "${id}" at start-up: ${why}. Its row stays in lake.sqlite; replacing the document overwrites it.`,
  )
}

export interface OpenMirrorOptions {
  indexedFields?: readonly FieldPath[] | undefined
  orderedFields?: readonly FieldPath[] | undefined
  documentCacheSize?: number | undefined
}

/**
 * The mirror at start-up: restored from its snapshot plus the documents written since (cheap at
 * any size), or, without a usable snapshot, built from one pass over the table. Either way only
 * ids and indexes are kept; bodies are read on demand (`documentCache.ts`).
 */
export function openMirror(
  db: DatabaseSync,
  log: (message: string) => void,
  options: OpenMirrorOptions = {},
): {mirror: DocumentMirror; reread: number} {
  const base: DocumentMirrorOptions = {
    indexedFields: options.indexedFields,
    orderedFields: options.orderedFields,
    rows: tableRows(db),
    documentCacheSize: options.documentCacheSize,
  }
  const stored = readSnapshot(db, log)
  const restored = stored && restore(db, stored, base)
  if (restored) {
    for (const [id, why] of restored.mirror.skipped) logSkipped(log, id, why)
    return restored
  }
  if (stored)
    log('lake store: the mirror snapshot does not match lake.sqlite; reading every document')
  const skipped = new Map<string, string>()
  const mirror = new DocumentMirror(
    readAllRows(db, (id, why) => {
      skipped.set(id, why)
      logSkipped(log, id, why)
    }),
    base,
  )
  for (const [id, why] of skipped) mirror.skipped.set(id, why)
  return {mirror, reread: mirror.size + mirror.skipped.size}
}

/** The snapshot plus the rows written or added since; undefined when it does not add up. */
function restore(
  db: DatabaseSync,
  {snapshot, maxRowid}: StoredSnapshot,
  base: DocumentMirrorOptions,
): {mirror: DocumentMirror; reread: number} | undefined {
  const changed = new Set<string>()
  for (const sql of [
    'SELECT id FROM changed_documents',
    'SELECT id FROM documents WHERE rowid > ?',
  ]) {
    for (const row of db.prepare(sql).all(...(sql.includes('?') ? [maxRowid] : [])) as {
      id: string
    }[])
      changed.add(row.id)
  }
  const mirror = new DocumentMirror([], {...base, snapshot: {snapshot, changed}})
  const one = db.prepare('SELECT json FROM documents WHERE id = ?')
  for (const id of [...changed].sort()) {
    const row = one.get(id) as {json: string} | undefined
    if (!row) continue
    const read = readStoredRow(id, String(row.json))
    if (typeof read === 'string') mirror.skipped.set(id, read)
    else mirror.restoreChanged(read)
  }
  const {count} = db.prepare('SELECT count(*) AS count FROM documents').get() as {count: number}
  if (count !== mirror.size + mirror.skipped.size) return undefined
  // Indexes the snapshot lacked were built from every row: counted as re-read, so the store saves
  // a snapshot that has them instead of scanning again at every start.
  return {mirror, reread: changed.size + (mirror.scannedAtStart ? mirror.size : 0)}
}
