import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {corpus} from '../fixtures/groq/corpus'
import {buildDataset, readers} from '../fixtures/groq/dataset'
import {admin, type TempLake, tempLake} from '../fixtures/groq/temp-lake'
import type {Perspective} from '../../server/store/types'
import {plainGroq, referenceDataset} from '../helpers/groqReference'

// The planner's answers must equal plain groq-js, computed by a reference that shares no code
// with the store (`tests/helpers/groqReference.ts`).

/**
 * The fixture with every reference weak: the commits below delete referenced documents and
 * write references to deleted ones on purpose (dangling dereferences must stay equal too), which
 * the store's referential integrity refuses for strong references.
 */
function weakened<T>(doc: T): T {
  return JSON.parse(JSON.stringify(doc), (_key, value: unknown) =>
    value !== null &&
    typeof value === 'object' &&
    typeof (value as {_ref?: unknown})._ref === 'string'
      ? {...value, _weak: true}
      : value,
  ) as T
}

let lake: TempLake
beforeAll(async () => {
  lake = tempLake()
  await lake.store.mutate(
    buildDataset(1).map((doc) => ({createOrReplace: weakened(doc)})),
    admin,
  )
})
afterAll(() => {
  lake.cleanup()
})

const perspectives: Perspective[] = ['raw', 'published', 'drafts']
const readerNames = Object.keys(readers) as (keyof typeof readers)[]

async function expectCorpusMatches(perspective: Perspective, reader: keyof typeof readers) {
  const canRead = readers[reader]
  const dataset = referenceDataset([...lake.store.allDocuments()], perspective, canRead)
  expect(dataset.length).toBeGreaterThan(50)
  for (const {name, query, params = {}} of corpus) {
    const expected = await plainGroq(query, params, dataset)
    const actual = lake.store.query(query, params, {perspective, canRead, identity: 'p-admin'})
    expect(actual.result, `${name}: ${query}`).toEqual(expected)
  }
}

describe('planner corpus equals plain groq-js', () => {
  it('has a corpus of 40+ queries whose answers are not all empty', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40)
    const dataset = referenceDataset([...lake.store.allDocuments()], 'raw', readers.admin)
    let nonEmpty = 0
    for (const {query, params = {}} of corpus) {
      const result = await plainGroq(query, params, dataset)
      if (result !== null && !(Array.isArray(result) && result.length === 0)) nonEmpty++
    }
    // A corpus of empty answers would prove nothing.
    expect(nonEmpty).toBeGreaterThanOrEqual(corpus.length - 4)
  })

  for (const perspective of perspectives) {
    for (const reader of readerNames) {
      it(`${perspective} perspective, ${reader} reader`, async () => {
        await expectCorpusMatches(perspective, reader)
      })
    }
  }

  it('still matches after commits change indexed fields (caches are invalidated)', async () => {
    // Warm every cache first.
    await expectCorpusMatches('drafts', 'public')
    await expectCorpusMatches('raw', 'admin')
    await lake.store.mutate(
      [
        {patch: {id: 'page-8', set: {'slug.current': 'page-8-moved'}}},
        {patch: {id: 'fb-1', set: {status: 'new'}}},
        {delete: {id: 'programme-2'}},
        {
          createOrReplace: {
            _id: 'drafts.page-8',
            _type: 'page',
            slug: {current: 'page-8'},
            title: 'Draft 8',
          },
        },
        {create: {_id: 'fb-new', _type: 'feedbackSubmission', status: 'new', rating: 5}},
        {patch: {id: 'drafts.page-4', set: {_type: 'person'}}},
      ],
      admin,
    )
    for (const perspective of perspectives) {
      for (const reader of readerNames) await expectCorpusMatches(perspective, reader)
    }
  })

  it('stays equal through a random sequence of commits (selective cache invalidation)', async () => {
    let state = 7
    const random = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff
      return state / 0x7fffffff
    }
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
    const ids = ['page-1', 'page-2', 'page-4', 'fb-1', 'fb-2', 'feedback.f-3', 'programme-5']
    const watched = corpus.filter((entry) =>
      [
        'all of a type',
        'by id',
        'by draft id',
        'page by slug with derefs',
        'slug shared across types',
        'feedback by status',
        'feedback counts by status',
        'type in list',
        'id in ids',
        'type and range',
        'order and slice',
        'order by two keys',
        'references param',
        'references any of several',
        'typed references',
      ].includes(entry.name),
    )
    expect(watched).toHaveLength(15)
    for (let step = 0; step < 40; step++) {
      const id = pick(ids)
      const draftId = `drafts.${id}`
      const [current, draft] = lake.store.getDocuments([id, draftId], readers.admin)
      const kind = pick([
        'status',
        'type',
        'slug',
        'ref',
        'draft',
        'dropDraft',
        'delete',
        'restore',
      ])
      const mutations =
        kind === 'status'
          ? current && [{patch: {id, set: {status: pick(['new', 'closed', 'triaged'])}}}]
          : kind === 'type'
            ? current && [{patch: {id, set: {_type: pick(['page', 'feedbackSubmission'])}}}]
            : kind === 'slug'
              ? current && [
                  {patch: {id, set: {slug: {current: pick(['page-8', 'programme-3', 'x'])}}}},
                ]
              : kind === 'draft'
                ? [
                    {
                      createOrReplace: {
                        _id: draftId,
                        _type: pick(['page', 'feedbackSubmission', 'person']),
                        status: pick(['new', 'closed']),
                        slug: {current: pick(['page-8', 'y'])},
                        page: {_ref: pick(['page-3', 'page-4']), _weak: true},
                      },
                    },
                  ]
                : kind === 'dropDraft'
                  ? draft && [{delete: {id: draftId}}]
                  : kind === 'delete'
                    ? current && [{delete: {id}}]
                    : [
                        {
                          createOrReplace: {
                            _id: id,
                            _type: 'page',
                            status: 'new',
                            slug: {current: 'page-8'},
                          },
                        },
                      ]
      if (!mutations) continue
      await lake.store.mutate(mutations as Parameters<typeof lake.store.mutate>[0], admin)
      for (const perspective of perspectives) {
        for (const reader of readerNames) {
          const canRead = readers[reader]
          const dataset = referenceDataset([...lake.store.allDocuments()], perspective, canRead)
          for (const {name, query, params = {}} of watched) {
            const expected = await plainGroq(query, params, dataset)
            const actual = lake.store.query(query, params, {
              perspective,
              canRead,
              identity: 'p-admin',
            })
            expect(
              actual.result,
              `step ${step} (${kind} ${id}) ${perspective}/${reader}: ${name}`,
            ).toEqual(expected)
          }
        }
      }
    }
  })
})
