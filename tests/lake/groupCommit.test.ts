/**
 * The group commit's failure path (`server/store/groupCommit.ts`), on a real SQLite file with an
 * fdatasync that fails as a dying disk's would: nobody is told their write is stored, nothing is
 * shown to readers, and the store takes no more writes.
 */
import {fdatasync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, expect, it} from 'vitest'

import {databasePath, openDatabase} from '../../server/store/db'
import {GroupCommit, type SyncFile} from '../../server/store/groupCommit'
import {DocumentMirror} from '../../server/store/mirror'
import {PendingOverlay} from '../../server/store/pending'
import type {CommittedTransaction} from '../../server/store/types'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

function transaction(id: string): CommittedTransaction {
  const result = {
    _id: id,
    _type: 'page',
    _rev: `tx-${id}`,
    _createdAt: '2026-01-01T00:00:00Z',
    _updatedAt: '2026-01-01T00:00:00Z',
  }
  return {
    transactionId: `tx-${id}`,
    timestamp: '2026-01-01T00:00:00Z',
    author: 'p',
    changes: [{documentId: id, previous: null, result, mutations: [{createOrReplace: result}]}],
    results: [{id, operation: 'create'}],
  }
}

function setup(sync: SyncFile) {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'))
  dirs.push(dir)
  const db = openDatabase(dir)
  const mirror = new DocumentMirror()
  const overlay = new PendingOverlay(mirror)
  const published: string[] = []
  const pipeline = new GroupCommit({
    db,
    walPath: `${databasePath(dir)}-wal`,
    overlay,
    publish: (tx) => published.push(tx.transactionId),
    sync,
  })
  const insert = db.prepare('INSERT INTO documents (id, type, rev, json) VALUES (?, ?, ?, ?)')
  const stage = (id: string) =>
    pipeline.stage(transaction(id), () => insert.run(id, 'page', `tx-${id}`, '{}'))
  return {db, overlay, published, pipeline, stage}
}

it('publishes and acknowledges writes once the fsync returned', async () => {
  let syncs = 0
  const {db, published, pipeline, stage} = setup((fd, callback) => {
    syncs++
    fdatasync(fd, callback)
  })
  await Promise.all([stage('a'), stage('b')])
  expect(published).toEqual(['tx-a', 'tx-b'])
  expect(syncs).toBe(1)
  pipeline.drain()
  db.close()
})

it('tells every waiting author of a failed fsync, publishes nothing and refuses later writes', async () => {
  const {db, overlay, published, pipeline, stage} = setup((_fd, callback) => {
    setImmediate(() => callback(Object.assign(new Error('EIO: i/o error'), {code: 'EIO'})))
  })
  const results = await Promise.allSettled([stage('a'), stage('b')])
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  expect(results[0]).toMatchObject({reason: {statusCode: 503, type: 'storeUnavailable'}})
  expect(published).toEqual([])
  expect(overlay.get('a')).toBeUndefined()
  expect(() => stage('c')).toThrow(/could not make writes durable/)
  pipeline.drain()
  db.close()
})
