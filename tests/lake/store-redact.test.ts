/**
 * Erasing history (`openLakeStore({redactsHistory})`): after a write the application names, the
 * document's earlier revisions and logged mutations hold no content, in the same SQLite
 * transaction as the write (kill -9 never leaves one without the other); without the option,
 * history keeps everything.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, expect, it} from 'vitest'

import {killMidStream} from '../helpers/killedWriter'
import {columnsHolding} from '../helpers/sqliteText'
import {type LakeStore, openLakeStore, REDACTED_FIELD} from '../../server/store'
import {databasePath} from '../../server/store/db'

const dirs: string[] = []
const stores: LakeStore[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

const options = {
  identity: {id: 'p-admin', name: 'Admin', role: 'administrator' as const},
  canWrite: () => true,
  canRead: () => true,
}

function open(redacts?: (type: string | undefined) => boolean): {store: LakeStore; dir: string} {
  const dir = mkdtempSync(join(tmpdir(), 'lake-redact-'))
  dirs.push(dir)
  const store = openLakeStore({
    dataDir: dir,
    ...(redacts ? {redactsHistory: (change) => redacts(change.result?._type)} : {}),
  })
  stores.push(store)
  return {store, dir}
}

async function fileAndErase(store: LakeStore) {
  const created = await store.mutate(
    [
      {create: {_id: 'r1', _type: 'report', text: 'Marmalade quokka'}},
      {create: {_id: 'other', _type: 'note', text: 'Marmalade neighbour'}},
    ],
    options,
  )
  const draft = await store.mutate(
    [{create: {_id: 'drafts.r1', _type: 'report', text: 'Marmalade quokka draft'}}],
    options,
  )
  const edited = await store.mutate(
    [{patch: {id: 'r1', set: {text: 'Marmalade quokka, edited'}}}],
    options,
  )
  const erased = await store.mutate(
    [{createOrReplace: {_id: 'r1', _type: 'erased', why: 'asked'}}, {delete: {id: 'drafts.r1'}}],
    options,
  )
  return {created, draft, edited, erased}
}

it('redacts earlier revisions and logged mutations of the document, its draft included', async () => {
  const {store, dir} = open((type) => type === 'erased')
  const {created, draft, edited, erased} = await fileAndErase(store)

  const before = store.documentAt('r1', {revision: created.transactionId})
  expect(before).toEqual({
    _id: 'r1',
    _type: 'report',
    _rev: created.transactionId,
    _createdAt: expect.any(String),
    _updatedAt: expect.any(String),
    [REDACTED_FIELD]: true,
  })
  expect(store.documentAt('r1', {revision: edited.transactionId})).toMatchObject({
    [REDACTED_FIELD]: true,
  })
  expect(store.documentAt('drafts.r1', {revision: draft.transactionId})).toMatchObject({
    _id: 'drafts.r1',
    [REDACTED_FIELD]: true,
  })
  expect(store.documentAt('r1', {time: created.timestamp})).toMatchObject({[REDACTED_FIELD]: true})
  // The erasure itself is kept as written.
  expect(store.documentAt('r1', {revision: erased.transactionId})).toMatchObject({
    _type: 'erased',
    why: 'asked',
  })

  const log = store.transactions({documentIds: ['r1', 'drafts.r1'], includeDocuments: true})
  expect(log.map((entry) => entry.id)).toEqual([
    created.transactionId,
    draft.transactionId,
    edited.transactionId,
    erased.transactionId,
  ])
  expect(JSON.stringify(log)).not.toContain('quokka')
  expect(log[0]?.mutations).toEqual([
    {
      createOrReplace: {
        _id: 'r1',
        _type: 'report',
        _rev: created.transactionId,
        _createdAt: expect.any(String),
        _updatedAt: expect.any(String),
        [REDACTED_FIELD]: true,
      },
    },
    // A document the erasure does not name keeps its history.
    {createOrReplace: expect.objectContaining({_id: 'other', text: 'Marmalade neighbour'})},
  ])
  expect(columnsHolding(dir, 'quokka')).toEqual([])
  expect(columnsHolding(dir, 'Marmalade neighbour')).not.toEqual([])

  // A restart reads the redacted history as it was left.
  store.close()
  stores.splice(stores.indexOf(store), 1)
  // Closing checkpointed the WAL into the file: the freed bytes were zeroed (secure_delete), so
  // the erased text is nowhere in it, not even in free space.
  expect(readFileSync(databasePath(dir)).includes('quokka')).toBe(false)
  expect(readFileSync(databasePath(dir)).includes('Marmalade neighbour')).toBe(true)
  const reopened = openLakeStore({dataDir: dir})
  stores.push(reopened)
  expect(reopened.documentAt('r1', {revision: edited.transactionId})).toMatchObject({
    [REDACTED_FIELD]: true,
  })
  expect(reopened.getDocuments(['r1'], () => true)[0]).toMatchObject({_type: 'erased'})
})

it('leaves history alone without the option', async () => {
  const {store, dir} = open()
  const {created} = await fileAndErase(store)
  expect(store.documentAt('r1', {revision: created.transactionId})).toMatchObject({
    text: 'Marmalade quokka',
  })
  expect(JSON.stringify(store.transactions({documentIds: ['r1']}))).toContain('quokka')
  expect(columnsHolding(dir, 'quokka')).toContain('revisions.json')
})

it('refuses the write when its redaction fails, keeping both the document and its history', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-redact-'))
  dirs.push(dir)
  const store = openLakeStore({
    dataDir: dir,
    redactsHistory: (change) => {
      if (change.result?._type === 'erased') throw new Error('redaction failed')
      return false
    },
  })
  stores.push(store)
  const created = await store.mutate(
    [{create: {_id: 'r1', _type: 'report', text: 'quokka'}}],
    options,
  )
  await expect(
    store.mutate([{createOrReplace: {_id: 'r1', _type: 'erased'}}], options),
  ).rejects.toMatchObject({statusCode: 500})
  expect(store.getDocuments(['r1'], () => true)[0]).toMatchObject({text: 'quokka'})
  expect(store.documentAt('r1', {revision: created.transactionId})).toMatchObject({text: 'quokka'})
  expect(store.transactions({documentIds: ['r1']})).toHaveLength(1)
})

it('never leaves an erasure without its redaction across kill -9', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lake-redact-crash-'))
  dirs.push(dir)
  const acknowledged = await killMidStream('erase-writer.ts', dir, 60)
  expect(acknowledged.size).toBeGreaterThanOrEqual(60)

  const store = openLakeStore({dataDir: dir})
  stores.push(store)
  const documents = [...store.allDocuments()]
  for (const i of acknowledged) {
    expect(store.getDocuments([`e-${i}`], () => true)[0]?._type, `erasure ${i}`).toBe('erased')
  }
  // Every erased document's history holds no secret; every other one's still does.
  let erased = 0
  for (const document of documents) {
    const log = JSON.stringify(
      store.transactions({documentIds: [document._id], includeDocuments: true}),
    )
    if (document._type === 'erased') {
      erased++
      expect(log, document._id).not.toContain('secret')
    } else {
      expect(log, document._id).toContain('secret')
    }
  }
  expect(erased).toBeGreaterThanOrEqual(60)
})
