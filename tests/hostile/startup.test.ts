/**
 * Issue #10, finding 1: a lake that finds a stored row it cannot read or index at start-up logs
 * it by id, keeps the row on disk and serves everything else, on this start and the next. The
 * rows are written with node:sqlite straight into a real store file, as a bug in an older
 * version, a disk fault or a hand edit would leave them.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {databasePath} from '../../server/store/db'
import {startTestLake, type TestLake} from '../helpers/lake'

const dataDir = mkdtempSync(join(tmpdir(), 'lake-startup-'))
let lake: TestLake | undefined

/** JSON text for a document nested `depth` arrays deep (built as text: no recursion needed). */
function deepDocumentJson(id: string, depth: number): string {
  const head = `{"_id":"${id}","_type":"note","_rev":"r","_createdAt":"2026-01-01T00:00:00Z","_updatedAt":"2026-01-01T00:00:00Z","x":`
  return head + '['.repeat(depth) + '"x"' + ']'.repeat(depth) + '}'
}

const BROKEN: Record<string, string> = {
  'broken-json': '{"_id": "broken-json", "_type": "note", ',
  'not-an-object': '[1, 2, 3]',
  'wrong-id': '{"_id": "someone-else", "_type": "note"}',
  'no-type': '{"_id": "no-type"}',
  // What the poison pill left behind: it crashed every start in the mirror's recursive walk.
  'too-deep': deepDocumentJson('too-deep', 3000),
}

beforeAll(async () => {
  const first = await startTestLake({dataDir})
  const client = first.client()
  await client.create({_id: 'target', _type: 'note', title: 'Target of a reference'})
  await client.create({
    _id: 'healthy',
    _type: 'note',
    title: 'Findable healthy note',
    link: {_type: 'reference', _ref: 'target'},
  })
  await first.close()

  const db = new DatabaseSync(databasePath(dataDir))
  const insert = db.prepare('INSERT INTO documents (id, type, rev, json) VALUES (?, ?, ?, ?)')
  for (const [id, json] of Object.entries(BROKEN)) insert.run(id, 'note', 'r', json)
  db.close()
})
afterAll(async () => {
  await lake?.close()
  rmSync(dataDir, {recursive: true, force: true})
})

async function expectServing(running: TestLake): Promise<void> {
  const client = running.client()
  expect(await client.fetch('*[_type == "note"]._id | order(@)')).toEqual(['healthy', 'target'])
  expect(await client.fetch('*[references("target")]._id')).toEqual(['healthy'])
  expect(await client.fetch('*[@ match text::query("findable")]._id')).toEqual(['healthy'])
  for (const id of Object.keys(BROKEN)) {
    expect(running.logs.some((line) => line.includes(`"${id}"`) && line.includes('skipped'))).toBe(
      true,
    )
  }
}

describe('a store with unreadable rows', () => {
  it('starts, logs each bad row by id, and serves the rest', async () => {
    lake = await startTestLake({dataDir})
    await expectServing(lake)
    expect(await lake.client().getDocument('too-deep')).toBeUndefined()
  })

  it('keeps the rows on disk, and starts again just the same', async () => {
    await lake?.close()
    const db = new DatabaseSync(databasePath(dataDir), {readOnly: true})
    const ids = (db.prepare('SELECT id FROM documents ORDER BY id').all() as {id: string}[]).map(
      (row) => row.id,
    )
    db.close()
    expect(ids).toEqual(expect.arrayContaining(Object.keys(BROKEN)))

    lake = await startTestLake({dataDir})
    await expectServing(lake)
  })

  it('lets a skipped document be replaced, which repairs its row', async () => {
    const running = lake as TestLake
    await running.client().createOrReplace({_id: 'too-deep', _type: 'note', title: 'Repaired'})
    await running.close()
    lake = await startTestLake({dataDir})
    expect(await lake.client().getDocument('too-deep')).toMatchObject({title: 'Repaired'})
    expect(lake.logs.some((line) => line.includes('"too-deep"'))).toBe(false)
  })
})
