/**
 * The mirror's snapshot in `lake.sqlite` (`mirror_snapshot`, one row): its sorted ids, the
 * configured indexes and the reference index as ordinals into those ids, in V8's serialisation
 * (typed arrays go through as bytes). Saved when the store closes, after many writes, and after a
 * start that had to re-read many rows; in the same transaction `changed_documents` (every store
 * write adds its ids, in its own transaction) is emptied. So the snapshot plus the rows it names
 * make the current state, even after a crash (the snapshot is then older and more is re-read).
 *
 * Rows someone else added to the table (a tool, a test planting a broken row) have a rowid past
 * the snapshot's largest and are re-read too; a start whose row count then disagrees with the
 * mirror (rows deleted behind the store's back) ignores the snapshot and reads every row. A row
 * edited in place by another program is not noticed: stop the lake, and delete the
 * `mirror_snapshot` row, before editing documents by hand.
 */
import type {DatabaseSync} from 'node:sqlite'
import {deserialize, serialize} from 'node:v8'

import type {MirrorSnapshot} from './mirror'

/** Bumped whenever `MirrorSnapshot` changes shape: an older snapshot is then ignored. */
const FORMAT = 1

export interface StoredSnapshot {
  snapshot: MirrorSnapshot
  /** The largest rowid of `documents` when it was taken: later rows are new since. */
  maxRowid: number
}

export function readSnapshot(
  db: DatabaseSync,
  log: (message: string) => void,
): StoredSnapshot | undefined {
  const row = db.prepare('SELECT format, data FROM mirror_snapshot WHERE id = 1').get() as
    {format: number; data: Uint8Array} | undefined
  if (!row || row.format !== FORMAT) return undefined
  try {
    const stored = deserialize(row.data) as StoredSnapshot
    if (stored.snapshot?.format !== FORMAT || !Array.isArray(stored.snapshot.ids)) return undefined
    return stored
  } catch (error) {
    // A snapshot is only ever a shortcut: without it the start reads every row.
    log(`lake store: ignored the mirror snapshot (${String(error)}); reading every document`)
    return undefined
  }
}

/**
 * Stores `snapshot` and forgets the changes it includes. Only call when no write is staged or
 * waiting for its fsync: the mirror must hold exactly what the table holds.
 */
export function writeSnapshot(db: DatabaseSync, snapshot: MirrorSnapshot): void {
  db.exec('BEGIN IMMEDIATE')
  try {
    const {maxRowid} = db
      .prepare('SELECT coalesce(max(rowid), 0) AS maxRowid FROM documents')
      .get() as {
      maxRowid: number
    }
    const data = serialize({snapshot, maxRowid} satisfies StoredSnapshot)
    db.prepare('INSERT OR REPLACE INTO mirror_snapshot (id, format, data) VALUES (1, ?, ?)').run(
      FORMAT,
      data,
    )
    db.exec('DELETE FROM changed_documents')
    db.exec('COMMIT')
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK')
    throw error
  }
}
