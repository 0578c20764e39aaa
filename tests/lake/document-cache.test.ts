/**
 * Bodies read on demand and restarts from the mirror's snapshot (`server/store/documentCache.ts`,
 * `snapshot.ts`): with a document cache far smaller than the dataset, and across restarts,
 * crashes and rows added behind the store's back, every answer equals plain groq-js over the
 * stored documents.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'

import {afterEach, describe, expect, it} from 'vitest'

import {databasePath} from '../../server/store/db'
import {DocumentMirror} from '../../server/store/mirror'
import {type LakeStore, openLakeStore} from '../../server/store/index'
import type {CommitOptions, Perspective, StoredDocument} from '../../server/store/types'
import {plainGroq, referenceDataset} from '../helpers/groqReference'

const admin: CommitOptions = {
  identity: {id: 'p-admin', name: 'Admin', role: 'administrator'},
  canWrite: () => true,
  canRead: () => true,
}
const everyone = () => true

const QUERIES: {query: string; params?: Record<string, unknown>}[] = [
  {query: '*[_type == "page"]{_id, title, slug}'},
  {
    query: '*[_type == "page" && slug.current == $slug][0]{title, "org": owner->name}',
    params: {slug: 'page-7'},
  },
  {query: '*[_type == "page"] | order(rank desc)[2...6]{_id, rank}'},
  {query: 'count(*[_type == "note" && status == "open"])'},
  {query: '*[references("org-1")]._id'},
  {query: '*[title match "cardiac*"]._id'},
  {query: '*[[title, _id] match "echo"]._id'},
  {query: '*[rank > 10]._id'},
  {query: '*[_id in path("drafts.**")]{_id, title}'},
  {query: '*[_originalId == "drafts.page-3"]{_id, title}'},
  {query: 'count(*)'},
]

let dirs: string[] = []
let stores: LakeStore[] = []
afterEach(() => {
  for (const store of stores) store.close()
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
  stores = []
  dirs = []
})

function open(dataDir: string, log: (message: string) => void = () => undefined): LakeStore {
  const store = openLakeStore({
    dataDir,
    log,
    indexedFields: [['status']],
    // Far fewer than the documents: most queries read bodies from lake.sqlite.
    documentCacheSize: 5,
  })
  stores.push(store)
  return store
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'document-cache-'))
  dirs.push(dir)
  return dir
}

function corpus(): StoredDocument[] {
  const words = ['cardiac', 'echo', 'physiology', 'training', 'rhythm']
  const docs: Record<string, unknown>[] = []
  for (let i = 0; i < 4; i++) docs.push({_id: `org-${i}`, _type: 'organisation', name: `Org ${i}`})
  for (let i = 0; i < 30; i++) {
    docs.push({
      _id: `page-${i}`,
      _type: 'page',
      title: `${words[i % 5]} ${words[(i * 3) % 5]} ${i}`,
      slug: {_type: 'slug', current: `page-${i}`},
      rank: (i * 7) % 23,
      owner: {_type: 'reference', _ref: `org-${i % 4}`},
    })
  }
  for (let i = 0; i < 8; i++) {
    docs.push({
      _id: `drafts.page-${i}`,
      _type: 'page',
      title: `draft ${words[i % 5]} ${i}`,
      rank: i,
    })
  }
  for (let i = 0; i < 20; i++) {
    docs.push({_id: `note-${i}`, _type: 'note', status: i % 3 === 0 ? 'open' : 'closed'})
  }
  return docs as StoredDocument[]
}

async function expectEqualToGroqJs(store: LakeStore, label: string): Promise<void> {
  const stored = [...store.allDocuments()]
  for (const perspective of ['raw', 'published', 'drafts'] as Perspective[]) {
    const dataset = referenceDataset(stored, perspective)
    for (const {query, params = {}} of QUERIES) {
      const expected = await plainGroq(query, params, dataset)
      const actual = store.query(query, params, {perspective, canRead: everyone}).result
      expect(actual, `${label} ${perspective} ${query}`).toEqual(expected)
    }
  }
}

describe('bodies read on demand', () => {
  it('answers as plain groq-js does with a cache of five documents, after writes too', async () => {
    const store = open(dataDir())
    await store.mutate(
      corpus().map((doc) => ({createOrReplace: doc})),
      admin,
    )
    expect([...store.allDocuments()]).toHaveLength(62)
    await expectEqualToGroqJs(store, 'loaded')
    await store.mutate(
      [
        {patch: {id: 'page-7', set: {title: 'echo moved', rank: 99}}},
        {delete: {id: 'page-8'}},
        {patch: {id: 'note-1', set: {status: 'open'}}},
        {createOrReplace: {_id: 'page-40', _type: 'page', title: 'rhythm new', rank: 12}},
      ],
      admin,
    )
    await expectEqualToGroqJs(store, 'after writes')
  })

  it('a reader between the write and its fsync sees the durable body, not the new row', () => {
    const rows = new Map<string, StoredDocument>()
    const doc = (title: string) =>
      ({_id: 'a', _type: 't', _rev: title, _createdAt: '', _updatedAt: '', title}) as StoredDocument
    rows.set('a', doc('old'))
    const mirror = new DocumentMirror([doc('old')], {
      rows: {
        read: (id) => rows.get(id),
        readMany: (ids) => ids.flatMap((id) => rows.get(id) ?? []),
      },
      documentCacheSize: 1,
    })
    // Evicted from the cache: the next read goes to the rows.
    mirror.pin(['b'])
    mirror.release(['b'])
    mirror.pin(['a'])
    rows.set('a', doc('new'))
    expect(mirror.get('a')?.['title']).toBe('old')
    expect(mirror.getMany(['a'])[0]?.['title']).toBe('old')
    mirror.apply([['a', doc('new')]])
    expect(mirror.get('a')?.['title']).toBe('new')
    expect(mirror.lookup(['_type'], 't')).toEqual(['a'])
  })
})

describe('restarts from the snapshot', () => {
  /** A data directory holding the corpus, written by a store that closed (and saved a snapshot). */
  async function savedCorpus(): Promise<string> {
    const dir = dataDir()
    const first = open(dir)
    await first.mutate(
      corpus().map((doc) => ({createOrReplace: doc})),
      admin,
    )
    first.close()
    return dir
  }

  it('serves the same answers after a restart, and the restart re-reads nothing', async () => {
    const dir = await savedCorpus()
    const db = new DatabaseSync(databasePath(dir), {readOnly: true})
    expect(db.prepare('SELECT count(*) AS n FROM changed_documents').get()).toEqual({n: 0})
    expect(db.prepare('SELECT count(*) AS n FROM mirror_snapshot').get()).toEqual({n: 1})
    db.close()

    const second = open(dir)
    await expectEqualToGroqJs(second, 'restarted')
  })

  it('after a crash, re-reads what was written since the snapshot', async () => {
    const dir = await savedCorpus()
    const crashed = open(dir)
    await crashed.mutate(
      [
        {patch: {id: 'page-3', set: {title: 'cardiac after snapshot', rank: 50}}},
        {delete: {id: 'page-4'}},
        {create: {_id: 'page-77', _type: 'page', slug: {_type: 'slug', current: 'page-7x'}}},
      ],
      admin,
    )
    // Never closed (the process died): the next store finds the snapshot older than the rows.
    stores = stores.filter((store) => store !== crashed)
    const restarted = open(dir)
    expect(restarted.getDocuments(['page-4', 'page-77'], everyone)).toEqual([
      null,
      expect.objectContaining({_id: 'page-77'}),
    ])
    await expectEqualToGroqJs(restarted, 'after crash')
  })

  it('serves rows added to the table behind its back, and notices rows deleted', async () => {
    const dir = await savedCorpus()
    const db = new DatabaseSync(databasePath(dir))
    const planted = {_id: 'planted', _type: 'page', title: 'echo planted'}
    db.prepare('INSERT INTO documents (id, type, rev, json) VALUES (?, ?, ?, ?)').run(
      'planted',
      'page',
      'r',
      JSON.stringify(planted),
    )
    db.close()
    const second = open(dir)
    expect(second.getDocuments(['planted'], everyone)).toEqual([planted])
    await expectEqualToGroqJs(second, 'planted')
    second.close()
    stores = []

    const edit = new DatabaseSync(databasePath(dir))
    edit.prepare('DELETE FROM documents WHERE id = ?').run('page-5')
    edit.close()
    const logs: string[] = []
    const third = open(dir, (message) => logs.push(message))
    expect(logs.some((line) => line.includes('does not match'))).toBe(true)
    expect(third.getDocuments(['page-5'], everyone)).toEqual([null])
    await expectEqualToGroqJs(third, 'deleted behind its back')
  })
})
