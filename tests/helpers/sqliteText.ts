/**
 * Where a text survives in a lake's SQLite file: the erasure tests prove personal data left every
 * table, not only the answers the lake gives.
 */
import {DatabaseSync} from 'node:sqlite'

import {databasePath} from '../../server/store/db'

/** Every `table.column` of `<dataDir>/lake.sqlite` holding `text` anywhere (blobs read as bytes). */
export function columnsHolding(dataDir: string, text: string): string[] {
  const db = new DatabaseSync(databasePath(dataDir), {readOnly: true})
  try {
    const found: string[] = []
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string
    }[]
    for (const {name} of tables) {
      for (const column of db.prepare(`PRAGMA table_info("${name}")`).all() as {name: string}[]) {
        const {n} = db
          .prepare(
            `SELECT count(*) AS n FROM "${name}" ` +
              `WHERE instr(CAST("${column.name}" AS BLOB), CAST(? AS BLOB)) > 0`,
          )
          .get(text) as {n: number}
        if (n > 0) found.push(`${name}.${column.name}`)
      }
    }
    return found
  } finally {
    db.close()
  }
}
