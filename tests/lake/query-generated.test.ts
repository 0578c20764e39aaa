/**
 * Planner versus plain groq-js on seeded random queries. The generator aims at each rewrite the
 * planner makes (equality on attribute paths, dotted keys included; `in` lists; `path()`
 * prefixes; `references()`; `order()` over memoised answers; `count()`; `text::query()`;
 * `_originalId` in the drafts perspective; hoisted subqueries, with and without `^`), mixes them
 * with conjuncts the planner leaves to groq-js, and compares every answer, in every perspective,
 * with plain groq-js over the same view. The seed is fixed: a failure names the query to replay.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DocumentInput, Perspective, StoredDocument} from '../../server/store/types'
import {buildDataset} from '../fixtures/groq/dataset'
import {admin, everyone, type TempLake, tempLake} from '../fixtures/groq/temp-lake'
import {plainGroq, referenceDataset} from '../helpers/groqReference'

/**
 * Queries per perspective (thousands in all). Plain groq-js, the reference, evaluates a subquery
 * once per row, so subqueries are drawn rarely enough to keep the run to seconds.
 */
const QUERIES = 600

function prng(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
}

interface Generated {
  /** The query the lake runs. */
  lake: string
  /** The same question in plain groq-js (differs only where the lake rewrites text::query). */
  groq: string
  params: Record<string, unknown>
}

/** Documents whose keys hold dots, beside documents with the nested path of the same spelling. */
const dottedDocs: (DocumentInput & {_id: string})[] = [
  {_id: 'dot-1', _type: 'page', 'slug.current': 'page-1', title: 'Dotted 1'},
  {_id: 'dot-2', _type: 'page', 'slug.current': 'elsewhere', slug: {current: 'dot-2'}},
  {_id: 'drafts.dot-1', _type: 'page', 'slug.current': 'page-2', title: 'Dotted draft'},
  {_id: 'dot-3', _type: 'programme', 'a.b': {c: 1}, a: {b: 2}},
]

function generator(seed: number) {
  const random = prng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const chance = (p: number) => random() < p
  const ids = ['page-1', 'page-3', 'page-4', 'drafts.page-4', 'programme-2', 'org-1', 'dot-1']
  const idLists = [ids.slice(0, 3), ['page-4', 'drafts.page-4', 'dot-1'], ['fb-1', 'feedback.f-3']]

  /** One conjunct, from the planner's rewrites or from what it leaves to groq-js. */
  const conjunct = (params: Record<string, unknown>): string => {
    const name = () => `p${Object.keys(params).length}`
    const param = (value: unknown) => {
      const key = name()
      params[key] = value
      return `$${key}`
    }
    // Subqueries (cases 11-13) cost plain groq-js a scan per row (50-250 ms a query here): one
    // draw in twenty-five.
    const kind = chance(0.04) ? 11 + Math.floor(random() * 3) : pick([...Array(11).keys(), 14, 15])
    switch (kind) {
      case 0:
        return `_type == ${JSON.stringify(pick(['page', 'programme', 'organisation', 'feedbackSubmission', 'person']))}`
      case 1:
        return `slug.current == ${param(pick(['page-1', 'programme-3', 'page-4-draft', 'new', 'dot-2']))}`
      case 2:
        return `@["slug.current"] == ${JSON.stringify(pick(['page-1', 'page-2', 'elsewhere']))}`
      case 3:
        return `status == ${param(pick(['new', 'triaged', 'closed', 'actioned']))}`
      case 4:
        return `${pick(['rating', 'level', 'code'])} == ${pick(['1', '2', '"1"', '3', 'true'])}`
      case 5:
        return `_type in ${param(pick([['page', 'programme'], ['person'], ['organisation', 'page']]))}`
      case 6:
        return `_id in ${JSON.stringify(pick(idLists))}`
      case 7:
        return `_id in path(${JSON.stringify(pick(['drafts.**', 'feedback.*', 'page-*', 'versions.**']))})`
      case 8:
        return `references(${param(pick([...ids, ['page-3', 'programme-2'], ['org-1', 'org-2']]))})`
      case 9:
        return `_originalId ${pick(['==', '!='])} ${JSON.stringify(pick(ids))}`
      case 10:
        return `_originalId in ${JSON.stringify(pick(idLists))}`
      case 11:
        return `_id in *[_type == "organisation" && region == ${JSON.stringify(pick(['north', 'south', 'east', 'west', 'london']))}]._id`
      case 12:
        return `provider._ref in *[${pick(['rating > 1', '_type == "organisation"', 'defined(rating)'])}]._id`
      case 13:
        return `count(*[_type == "page" && references(^._id)]) > ${pick(['0', '1'])}`
      case 14:
        return `${pick(['publishedAt > "2025-06-01"', 'defined(seo)', '!defined(title)', 'featured', 'level >= 2'])}`
      default:
        return `(${pick(['_type == "page"', 'status == "new"'])} || ${pick(['featured', 'rating == 5', '_id in path("drafts.**")'])})`
    }
  }

  const textQuery = (params: Record<string, unknown>): {lake: string; groq: string} => {
    const terms = pick([
      {q: 'careers', positive: ['careers'], negative: []},
      {q: 'page prog*', positive: ['page', 'prog*'], negative: []},
      {q: 'feedback -closed', positive: ['feedback'], negative: ['closed']},
      {q: '"page 1"', positive: ['page 1'], negative: []},
    ])
    const left = pick(['title', '[title, _id]', '[message, status]'])
    const key = `p${Object.keys(params).length}`
    params[key] = terms.q
    const groq = [
      ...(terms.positive.length ? [`${left} match ${JSON.stringify(terms.positive)}`] : []),
      ...terms.negative.map((term) => `!(${left} match ${JSON.stringify(term)})`),
    ].join(' && ')
    return {lake: `${left} match text::query($${key})`, groq: `(${groq})`}
  }

  return (): Generated => {
    const params: Record<string, unknown> = {}
    const lakeParts: string[] = []
    const groqParts: string[] = []
    const count = 1 + Math.floor(random() * 3)
    for (let i = 0; i < count; i++) {
      if (chance(0.1)) {
        const text = textQuery(params)
        lakeParts.push(text.lake)
        groqParts.push(text.groq)
      } else {
        const part = conjunct(params)
        lakeParts.push(part)
        groqParts.push(part)
      }
    }
    const filter = (parts: string[]) => `*[${parts.join(' && ')}]`
    const tail = pick([
      '._id',
      ' | order(_id desc)._id',
      ' | order(publishedAt desc, _id)[0...4]{_id, publishedAt}',
      ' | order(slug.current)[1..3]._id',
      '[0...5]{_id, "org": provider->name, "pages": count(*[_type == "page"])}',
      '[0...3]{_id, "same": *[_type == ^._type && _id != ^._id][0]._id}',
      '[0]{_id, _originalId, title}',
    ])
    const wrap = pick(['plain', 'plain', 'plain', 'count', 'object'])
    const build = (parts: string[]) =>
      wrap === 'count'
        ? `count(${filter(parts)})`
        : wrap === 'object'
          ? `{"a": ${filter(parts)}${tail}, "n": count(*[_type == "programme"])}`
          : `${filter(parts)}${tail}`
    return {lake: build(lakeParts), groq: build(groqParts), params}
  }
}

let lake: TempLake
beforeAll(async () => {
  lake = tempLake()
  await lake.store.mutate(
    [...buildDataset(1), ...dottedDocs].map((doc) => ({createOrReplace: doc})),
    admin,
  )
})
afterAll(() => lake.cleanup())

describe('seeded random queries: the planner equals plain groq-js', () => {
  const perspectives: Perspective[] = ['raw', 'published', 'drafts']
  for (const perspective of perspectives) {
    it(`${QUERIES} queries in the ${perspective} perspective`, async () => {
      const stored: StoredDocument[] = [...lake.store.allDocuments()]
      const dataset = referenceDataset(stored, perspective)
      const next = generator(20261129)
      let nonEmpty = 0
      for (let i = 0; i < QUERIES; i++) {
        const query = next()
        const expected = await plainGroq(query.groq, query.params, dataset)
        const actual = lake.store.query(query.lake, query.params, {
          perspective,
          canRead: everyone,
          identity: 'p-admin',
        }).result
        expect(actual, `#${i} ${query.lake} ${JSON.stringify(query.params)}`).toEqual(expected)
        if (expected !== 0 && !(Array.isArray(expected) && expected.length === 0)) nonEmpty++
      }
      // Answers that are all empty would prove nothing.
      expect(nonEmpty).toBeGreaterThan(QUERIES / 3)
    })
  }

  it('keeps agreeing after commits (caches invalidated by the buckets commits touch)', async () => {
    await lake.store.mutate(
      [
        {createOrReplace: {_id: 'drafts.dot-2', _type: 'page', 'slug.current': 'page-1'}},
        {delete: {id: 'drafts.page-4'}},
        {patch: {id: 'org-1', set: {region: 'north'}}},
        {patch: {id: 'fb-1', set: {status: 'closed'}}},
      ],
      admin,
    )
    for (const perspective of perspectives) {
      const dataset = referenceDataset([...lake.store.allDocuments()], perspective)
      const next = generator(7)
      for (let i = 0; i < QUERIES / 4; i++) {
        const query = next()
        const expected = await plainGroq(query.groq, query.params, dataset)
        const actual = lake.store.query(query.lake, query.params, {
          perspective,
          canRead: everyone,
          identity: 'p-admin',
        }).result
        expect(actual, `${perspective} #${i} ${query.lake}`).toEqual(expected)
      }
    }
  })
})
