import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {generateDataset} from '../../bench/generate'
import {
  plainGroq,
  plainStudioList,
  queries,
  sameAnswer,
  studioListParams,
  studioListQuery,
  withText,
} from '../../bench/queries'
import {openLakeStore} from '../../server/store'
import type {LakeStore, StoredDocument} from '../../server/store/types'

// The bench's equality checks at a tiny size: the planner must agree with plain groq-js on
// every benchmark query, and the check itself must reject wrong or vacuous answers.
const size = 400
let dataDir: string
let store: LakeStore
let dataset: StoredDocument[]

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bench-test-'))
  store = openLakeStore({dataDir})
  await store.mutate(
    generateDataset(size).map((d) => ({createOrReplace: d})),
    {
      identity: {id: 'bench', name: 'Benchmark', role: 'administrator'},
      canWrite: () => true,
      canRead: () => true,
    },
  )
  dataset = [...store.allDocuments()]
})

afterAll(() => {
  store.close()
  rmSync(dataDir, {recursive: true, force: true})
})

const planner = (query: string, params: Record<string, unknown>): unknown =>
  store.query(query, params, {perspective: 'raw', canRead: () => true, accessKey: 'test'}).result

describe('benchmark queries', () => {
  it.each(queries.map((q) => [q.name, q] as const))(
    '%s: the planner equals plain groq-js',
    async (_name, {query, params}) => {
      const expected = await plainGroq(dataset, query, params(size))
      expect(expected).not.toBeNull()
      expect(sameAnswer(planner(query, params(size)), expected)).toBe(true)
    },
  )

  it('Studio list with text::query: the planner equals the groq-js reference, and is not empty', async () => {
    const expected = await plainStudioList(withText(dataset))
    expect(Array.isArray(expected) && expected.length).toBeGreaterThan(0)
    expect(sameAnswer(planner(studioListQuery, studioListParams), expected)).toBe(true)
  })

  it('the check rejects a wrong, reordered or empty answer', async () => {
    const expected = (await plainStudioList(withText(dataset))) as {_id: string}[]
    expect(sameAnswer(expected.slice(1), expected)).toBe(false)
    expect(sameAnswer([...expected].reverse(), expected)).toBe(false)
    expect(sameAnswer([{...expected[0], _id: 'other'}, ...expected.slice(1)], expected)).toBe(false)
    expect(sameAnswer([], [])).toBe(false)
    expect(sameAnswer({new: 1}, {new: 2})).toBe(false)
  })
})
