import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, expect, it} from 'vitest'

import {killMidStream} from '../helpers/killedWriter'
import {openLakeStore} from '../../server/store'
import {openDatabase} from '../../server/store/db'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

it('keeps every acknowledged write, whole, across kill -9', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-crash-'))
  dirs.push(dir)
  // Killed mid-stream, without warning, once plenty of writes were acknowledged.
  const acknowledged = await killMidStream('crash-writer.ts', dir, 150)
  expect(acknowledged.size).toBeGreaterThanOrEqual(150)

  const store = openLakeStore({dataDir: dir})
  try {
    const ids = new Set([...store.allDocuments()].map((doc) => doc._id))
    for (const i of acknowledged) {
      expect(ids.has(`w-${i}`), `acknowledged write ${i}`).toBe(true)
    }
    // Nothing half-written: every transaction's two documents are there together, and the log
    // holds exactly one entry per transaction that reached the documents table.
    for (const id of ids) {
      const base = id.replace(/-pair$/, '')
      expect(ids.has(base) && ids.has(`${base}-pair`), id).toBe(true)
    }
    expect(store.transactions({}).length).toBe(ids.size / 2)
    // After the crash the store still takes writes.
    await store.mutate([{create: {_id: 'after', _type: 'write'}}], {
      identity: {id: 'p', name: 'p', role: 'administrator'},
      canWrite: () => true,
      canRead: () => true,
    })
  } finally {
    store.close()
  }
})

it('opens the database in WAL mode, leaving the WAL fsync to the store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-pragma-'))
  dirs.push(dir)
  // The store's own connection settings (synchronous is per connection).
  const db = openDatabase(dir)
  try {
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({journal_mode: 'wal'})
    // 1 = NORMAL: SQLite does not fsync at COMMIT; the store's group commit does (next test).
    expect(db.prepare('PRAGMA synchronous').get()).toEqual({synchronous: 1})
  } finally {
    db.close()
  }
})

it('acknowledges a write only once an fsync of the WAL has returned after its COMMIT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-fsync-'))
  dirs.push(dir)
  const store = openLakeStore({dataDir: dir})
  const writer = {
    identity: {id: 'p', name: 'p', role: 'administrator' as const},
    canWrite: () => true,
    canRead: () => true,
  }
  try {
    for (let i = 0; i < 3; i++) {
      const before = store.stats()
      await store.mutate([{create: {_id: `doc-${i}`, _type: 'write'}}], writer)
      expect(store.stats()).toEqual({
        transactions: before.transactions + 1,
        fsyncs: before.fsyncs + 1,
      })
    }
  } finally {
    store.close()
  }
})
