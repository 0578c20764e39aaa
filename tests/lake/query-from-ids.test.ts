/**
 * Answers from ids (issue #16, a million documents): when the dataset is larger than the document
 * cache, exact filters are answered from the index lists, `count()` of them reads no body, a
 * slice reads only the bodies it returns and `order()` by an ordered field (`orderedFields`)
 * orders ids by the sort keys kept per id. Every answer must still equal plain groq-js: here with
 * a cache of two dozen documents, in every perspective, for a reader who may not see every id,
 * after patches and deletes, and after a restart from the snapshot.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {evaluate} from 'groq-js'

import {parseQuery, planEvaluation, runQuery} from '../../server/query/engine'
import {ViewRegistry} from '../../server/query/views'
import {DocumentMirror} from '../../server/store/mirror'
import {type LakeStore, openLakeStore} from '../../server/store/index'
import type {Perspective, StoredDocument} from '../../server/store/types'
import {corpus} from '../fixtures/groq/corpus'
import {buildDataset, readers} from '../fixtures/groq/dataset'
import {admin} from '../fixtures/groq/temp-lake'
import {plainGroq, referenceDataset} from '../helpers/groqReference'

/** The new paths, each in a shape the planner answers from ids (or falls back from). */
const QUERIES: {query: string; params?: Record<string, unknown>}[] = [
  // The Studio's list shape: ordered on a projected copy of the ordering fields.
  {
    query:
      '*[_type == "programme"]{_id, title, "orderings": [publishedAt]} | order(orderings[0] desc)[0...5]',
  },
  {
    query:
      '*[_type == "feedbackSubmission" && status in ["new", "triaged"]]{_id, status, "o": [rating, _id]} | order(o[0] desc, o[1] asc)[2...7]',
  },
  {query: 'count(*[_type == "feedbackSubmission" && status == "new"])'},
  {query: 'count(*[_type == "page" && !(_id in path("drafts.**"))])'},
  {
    query:
      '*[_type == "programme" && !(_id in path("drafts.**"))] | order(publishedAt desc)[0...3]._id',
  },
  {query: 'count(*[!(_id in path("feedback.*"))])'},
  {
    query:
      '*[_type == "feedbackSubmission" && !(_id in path("versions.**"))]{_id, "o": [rating]} | order(o[0] desc)[0...5]',
  },
  {query: 'count(*[_type in ["page", "programme"] && !(_id in path("drafts.**"))])'},
  {
    query: `{"new": count(*[_type == "feedbackSubmission" && status == "new"]),
      "later": count(*[_type == "feedbackSubmission" && status in ["triaged", "closed"]]),
      "pages": count(*[_type == "page"])}`,
  },
  {query: '*[_type == "feedbackSubmission" && status == "new"][0...3]{_id, status}'},
  {query: '*[_type == "feedbackSubmission" && status == "new"][1..2]._id'},
  {query: '*[_type == "feedbackSubmission" && status == "new"][2]{_id}'},
  {query: '*[_type == "feedbackSubmission" && status == "new"][500]'},
  {query: '*[_type == "programme"] | order(publishedAt desc)[2...6]{_id, publishedAt}'},
  {query: '*[_type == "programme"] | order(publishedAt asc)[0..3]._id'},
  {query: '*[_type == "programme"] | order(publishedAt desc)[3]._id'},
  {query: '*[_type == "programme"] | order(publishedAt desc)[-3...-1]._id'},
  {query: 'count(*[_type == "programme"] | order(publishedAt desc))'},
  {query: '*[_type == "programme" && level == 2] | order(code desc, _id)[0...5]._id'},
  {query: '*[_type == "feedbackSubmission"] | order(status asc, rating desc, _id asc)[0...10]._id'},
  {query: '*[_type == "page"] | order(title desc)[1...4]{_id, title}'},
  {query: '*[_type == "page"] | order(publishedAt desc)[0...5]._id'},
  {query: '*[_type in ["page", "programme"]] | order(publishedAt desc, _id desc)[0...6]._id'},
  {query: '*[_type == "page"] | order(_id desc)[0...4]._id'},
  {
    query: '*[_type == "page" && slug.current == $slug][0]{title, "related": related[]->title}',
    params: {slug: 'page-4'},
  },
  {query: '*[_type == "page" && slug.current == $slug][0]{title}', params: {slug: 'page-4-draft'}},
  {query: 'count(*[_id == "page-4"])'},
  {query: '*[_id in ["page-4", "page-5", "feedback.f-3"]]{_id, title}'},
  {query: '*[_originalId == "drafts.page-4"]{_id, _originalId, title}'},
  {
    query:
      '*[_type == "feedbackSubmission" && status == "new" && rating > 2] | order(rating desc)[0...3]._id',
  },
  {query: '*[_type == "programme"] | order(featured desc, publishedAt)[0...5]._id'},
]

/** Fields the fixture's queries order by; `level` and `status` as configured indexes. */
const ORDERED: string[][] = [
  ['publishedAt'],
  ['rating'],
  ['code'],
  ['title'],
  ['status'],
  ['seo', 'noIndex'],
  ['section', 'order'],
]

let dir: string
let store: LakeStore

function open(): LakeStore {
  return openLakeStore({
    dataDir: dir,
    indexedFields: [['status'], ['level']],
    orderedFields: ORDERED,
    // Far fewer than the documents: the planner answers from ids, not from held lists.
    documentCacheSize: 24,
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'query-from-ids-'))
  store = open()
  // Weak references: the writes below delete documents others reference.
  const docs = buildDataset(2).map(
    (doc) =>
      JSON.parse(JSON.stringify(doc), (_key, value: unknown) =>
        value !== null &&
        typeof value === 'object' &&
        typeof (value as {_ref?: unknown})._ref === 'string'
          ? {...value, _weak: true}
          : value,
      ) as typeof doc,
  )
  await store.mutate(
    docs.map((doc) => ({createOrReplace: doc})),
    admin,
  )
})
afterAll(() => {
  store.close()
  rmSync(dir, {recursive: true, force: true})
})

async function expectEqualToGroqJs(label: string): Promise<void> {
  const stored = [...store.allDocuments()]
  expect(stored.length).toBeGreaterThan(100)
  for (const perspective of ['raw', 'published', 'drafts'] as Perspective[]) {
    for (const reader of Object.keys(readers) as (keyof typeof readers)[]) {
      const canRead = readers[reader]
      const dataset = referenceDataset(stored, perspective, canRead)
      for (const {query, params = {}} of [...QUERIES, ...corpus]) {
        const expected = await plainGroq(query, params, dataset)
        const actual = store.query(query, params, {perspective, canRead, identity: 'p-admin'})
        expect(actual.result, `${label} ${perspective} ${reader}: ${query}`).toEqual(expected)
      }
    }
  }
}

describe('answers from ids with a small document cache', () => {
  it('equal plain groq-js in every perspective, for every reader', async () => {
    // The answers are not vacuous: the counts and pages below have members.
    const raw = store.query(
      QUERIES.find(({query}) => query.includes(`"later"`))?.query as string,
      {},
      {perspective: 'raw', canRead: readers.admin},
    ).result
    expect(raw).toMatchObject({new: expect.any(Number) as number})
    expect((raw as {new: number}).new).toBeGreaterThan(3)
    await expectEqualToGroqJs('loaded')
  })

  it('stay equal after patches, deletes and new drafts', async () => {
    const newFeedback = store.query(
      '*[_type == "feedbackSubmission" && status == "new"]._id',
      {},
      {perspective: 'raw', canRead: readers.admin},
    ).result as string[]
    await store.mutate(
      [
        {patch: {id: newFeedback[0] as string, set: {status: 'closed'}}},
        {delete: {id: newFeedback[1] as string}},
        {patch: {id: 'programme-3', set: {publishedAt: '2031-01-01T00:00:00.000Z'}}},
        {patch: {id: 'programme-5', unset: ['publishedAt']}},
        {patch: {id: 'programme-7', set: {publishedAt: 7}}},
        {delete: {id: 'programme-9'}},
        {
          createOrReplace: {
            _id: 'drafts.programme-2',
            _type: 'programme',
            title: 'Programme 2 (draft)',
            level: 2,
            publishedAt: '2032-01-01T00:00:00.000Z',
          },
        },
        {createOrReplace: {_id: 'drafts.page-5', _type: 'page', title: 'ZZZ draft of page 5'}},
        {delete: {id: 'drafts.page-4'}},
        {
          createOrReplace: {
            _id: 'drafts.feedback.f-new',
            _type: 'feedbackSubmission',
            status: 'new',
            rating: 5,
          },
        },
      ],
      admin,
    )
    await expectEqualToGroqJs('after writes')
  })

  it('stay equal after a restart from the snapshot (sort keys included)', async () => {
    store.close()
    store = open()
    await expectEqualToGroqJs('restarted')
  })
})

describe('bodies read', () => {
  /** A mirror over counted rows, as the store builds it over `lake.sqlite`. */
  function countedMirror(docs: StoredDocument[]) {
    const rows = new Map(docs.map((doc) => [doc._id, doc]))
    const read = {bodies: 0}
    const mirror = new DocumentMirror(docs, {
      rows: {
        read: (id) => {
          read.bodies++
          return rows.get(id)
        },
        readMany: (ids) => {
          read.bodies += ids.length
          return ids.flatMap((id) => rows.get(id) ?? [])
        },
      },
      documentCacheSize: 4,
      indexedFields: [['status']],
      orderedFields: [['rank']],
    })
    return {mirror, read, views: new ViewRegistry(mirror)}
  }

  function corpusOf(): StoredDocument[] {
    const docs: Record<string, unknown>[] = []
    for (let i = 0; i < 200; i++) {
      docs.push({
        _id: `note-${String(i).padStart(3, '0')}`,
        _type: 'note',
        status: i % 4 === 0 ? 'open' : 'closed',
        rank: (i * 37) % 101,
        owner: {_type: 'reference', _ref: 'org-1'},
      })
    }
    docs.push({_id: 'org-1', _type: 'organisation', name: 'Org'})
    return docs as StoredDocument[]
  }

  it('counts, slices and ordered pages read only the bodies they return', async () => {
    const docs = corpusOf()
    const {read, views} = countedMirror(docs)
    const readable = (id: string) => id !== 'note-004'
    const cases: {query: string; most: number}[] = [
      {query: 'count(*[_type == "note" && status == "open"])', most: 0},
      {query: '{"all": count(*), "notes": count(*[_type == "note"])}', most: 0},
      {query: '*[_type == "note" && status == "open"][3...7]{_id}', most: 4},
      {query: '*[_type == "note"] | order(rank desc)[20...40]{_id, rank}', most: 20},
      {
        query: '*[_type == "note"]{_id, "o": [rank]} | order(o[0] desc)[0...10]',
        most: 10,
      },
      {query: '*[_type == "note" && status == "open"][0]{_id, "owner": owner->name}', most: 2},
    ]
    for (const perspective of ['raw', 'drafts'] as Perspective[]) {
      const view = () => views.view(perspective, readable)
      const dataset = referenceDataset(docs, perspective, readable)
      for (const {query, most} of cases) {
        const expected = await plainGroq(query, {}, dataset)
        // Twice: the first run fills the id memos, the second must not read more.
        for (let run = 0; run < 2; run++) {
          read.bodies = 0
          const answer = runQuery(query, view(), {params: {}})
          expect(read.bodies, `${perspective} ${query}`).toBeLessThanOrEqual(most)
          expect(answer, `${perspective} ${query}`).toEqual(expected)
        }
      }
    }
  })

  it('a cooperative evaluation reads its answers as planned, not after a later commit', async () => {
    const docs = corpusOf()
    const {mirror, views} = countedMirror(docs)
    const query = '*[_type == "note" && status == "open"][0...3]{_id, rank}'
    const expected = await plainGroq(query, {}, referenceDataset(docs, 'raw'))
    const planned = planEvaluation(
      parseQuery(query),
      views.view('raw', () => true),
      {params: {}},
    )
    // What the budget does before its first yield (`evaluateWithBudget`).
    const options = planned.options('async')
    const first = docs.find((doc) => doc._id === 'note-000') as StoredDocument
    mirror.apply([['note-000', {...first, rank: 999}]])
    const value = await evaluate(planned.tree, options)
    expect(await value.get()).toEqual(expected)
  })
})
