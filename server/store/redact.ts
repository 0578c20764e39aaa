import type {DatabaseSync} from 'node:sqlite'

import {getDraftId, getPublishedId} from './ids'
import type {Mutation, StoredDocument} from './types'

/**
 * Erasing history (`OpenLakeStoreOptions.redactsHistory`). The lake keeps every revision of a
 * document and the mutation that wrote it; when an application erases personal data, what the
 * document held before must go from that history too, not only from its current state. A
 * redacted revision keeps the document's system fields, so the history endpoints and the
 * Studio's timeline still see a revision at that point, and says so with `_redacted: true`.
 */
export const REDACTED_FIELD = '_redacted'

/** What a redacted revision reads as: its system fields and `_redacted: true`, nothing else. */
export function redactedRevision(document: StoredDocument): StoredDocument {
  return {
    _id: document._id,
    _type: document._type,
    _rev: document._rev,
    _createdAt: document._createdAt,
    _updatedAt: document._updatedAt,
    [REDACTED_FIELD]: true,
  }
}

function redactedBody<T extends {_id?: string; _type: string}>(body: T): T {
  const kept: Record<string, unknown> = {_id: body._id, _type: body._type}
  for (const field of ['_rev', '_createdAt', '_updatedAt']) {
    if (field in body) kept[field] = (body as Record<string, unknown>)[field]
  }
  kept[REDACTED_FIELD] = true
  return kept as T
}

/** The logged mutation with its document body or patch values gone, when it writes `id`. */
function redactMutation(mutation: Mutation, id: string): Mutation {
  if ('createOrReplace' in mutation && mutation.createOrReplace._id === id) {
    return {createOrReplace: redactedBody(mutation.createOrReplace)}
  }
  if ('createIfNotExists' in mutation && mutation.createIfNotExists._id === id) {
    return {createIfNotExists: redactedBody(mutation.createIfNotExists)}
  }
  if ('create' in mutation && mutation.create._id === id) {
    return {create: redactedBody(mutation.create)}
  }
  if ('patch' in mutation && mutation.patch.id === id) {
    // The store logs whole documents (`createOrReplace`), never patches; kept safe all the same.
    return {patch: {id, [REDACTED_FIELD]: true} as {id: string}}
  }
  return mutation
}

/**
 * Redacts every revision of `documentId`'s document (published, draft and versions) written by a
 * transaction before `beforeSeq`, and those transactions' logged mutations of it. Runs inside the
 * caller's SQLite transaction: the write that asked for it and the redaction commit together.
 */
export function redactHistory(db: DatabaseSync, documentId: string, beforeSeq: number): void {
  const published = getPublishedId(documentId)
  const family = new Set([published, getDraftId(published)])
  // Ids hold no GLOB metacharacters (`ids.ts`); a longer id ending in the same segments is
  // dropped by the `getPublishedId` check.
  const versions = db
    .prepare('SELECT DISTINCT document_id FROM revisions WHERE document_id GLOB ?')
    .all(`versions.*.${published}`) as {document_id: string}[]
  for (const {document_id: id} of versions) {
    if (getPublishedId(id) === published) family.add(id)
  }

  const revisions = db.prepare(
    'SELECT tx_seq, json FROM revisions WHERE document_id = ? AND tx_seq < ? AND json IS NOT NULL',
  )
  const updateRevision = db.prepare(
    'UPDATE revisions SET json = ? WHERE document_id = ? AND tx_seq = ?',
  )
  const transactions = db.prepare('SELECT seq, mutations FROM transactions WHERE seq = ?')
  const updateTransaction = db.prepare('UPDATE transactions SET mutations = ? WHERE seq = ?')
  const touched = db.prepare('SELECT tx_seq FROM revisions WHERE document_id = ? AND tx_seq < ?')

  for (const id of family) {
    for (const row of revisions.all(id, beforeSeq) as {tx_seq: number; json: string}[]) {
      const document = JSON.parse(row.json) as StoredDocument
      if (document[REDACTED_FIELD] === true) continue
      updateRevision.run(JSON.stringify(redactedRevision(document)), id, row.tx_seq)
    }
    for (const {tx_seq: seq} of touched.all(id, beforeSeq) as {tx_seq: number}[]) {
      const row = transactions.get(seq) as {seq: number; mutations: string} | undefined
      if (!row) continue
      const before = JSON.parse(row.mutations) as Mutation[]
      const after = before.map((mutation) => redactMutation(mutation, id))
      if (after.some((mutation, index) => mutation !== before[index])) {
        updateTransaction.run(JSON.stringify(after), seq)
      }
    }
  }
}
