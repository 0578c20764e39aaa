/**
 * The public GROQ test suite (github.com/sanity-io/groq-test-suite, vendored with its licence in
 * `tests/fixtures/groq-test-suite/`) through the store's query path, in every perspective.
 *
 * Each case runs on plain groq-js first, over the suite's documents; a case plain groq-js
 * passes (the expected answer, or an error for an invalid query) must pass through the lake. The
 * lake's answer is compared with plain groq-js over the same view of the same stored documents
 * (which carry the lake's system fields, and in the drafts perspective `_originalId`), so the
 * comparison is about query semantics, not about what a store adds. Cases whose dataset the
 * suite only names by URL (the movies dataset, not in its repository), or whose documents the
 * lake refuses at write, are skipped, counted and printed.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isDeepStrictEqual} from 'node:util'
import {gunzipSync} from 'node:zlib'

import {evaluate, parse} from 'groq-js'
import {afterAll, describe, expect, it} from 'vitest'

import {openLakeStore} from '../../server/store'
import type {LakeStore, Mutation, Perspective} from '../../server/store/types'
import {admin, everyone} from '../fixtures/groq/temp-lake'
import {referenceDataset} from '../helpers/groqReference'

interface SuiteDataset {
  _type: 'dataset'
  _id: string
  name: string
  url: string
  documents?: Record<string, unknown>[]
}

interface SuiteCase {
  _type: 'test'
  _id: string
  name: string | null
  filename: string
  query: string
  result: unknown
  valid: boolean
  params: Record<string, unknown> | null
  dataset: {_ref: string}
}

const entries = gunzipSync(
  readFileSync(new URL('../fixtures/groq-test-suite/suite.ndjson.gz', import.meta.url)),
)
  .toString('utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as SuiteDataset | SuiteCase)
const datasets = new Map<string, SuiteDataset>()
const cases: SuiteCase[] = []
for (const entry of entries) {
  if (entry._type === 'dataset') datasets.set(entry._id, entry)
  else cases.push(entry)
}
const byFile = new Map<string, SuiteCase[]>()
for (const entry of cases) {
  const list = byFile.get(entry.filename) ?? []
  list.push(entry)
  byFile.set(entry.filename, list)
}

/**
 * Cases plain groq-js does not finish: eleven subqueries nested in one another over six
 * documents is 6^11 evaluations for it (measured: no answer in minutes), and one evaluation per
 * level for the lake, which hoists row-independent subqueries. These are checked against the
 * suite's own expected answer instead.
 */
const BEYOND_PLAIN_GROQ_JS = new Set(['test-filters-documents-nested-3'])

/** One clock and one identity for both sides, so `now()` and `identity()` agree. */
const timestamp = new Date()
const identity = 'me'
const perspectives: Perspective[] = ['raw', 'published', 'drafts']

/** JSON's view of an answer: what the HTTP API would send. */
const json = (value: unknown): unknown =>
  value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown)

type Outcome = {ok: true; value: unknown} | {ok: false; error: string}

async function plain(
  query: string,
  params: Record<string, unknown>,
  dataset: readonly unknown[],
): Promise<Outcome> {
  try {
    const tree = parse(query, {params})
    const value = await evaluate(tree, {dataset: [...dataset], params, timestamp, identity})
    return {ok: true, value: json(await value.get())}
  } catch (error) {
    return {ok: false, error: String(error)}
  }
}

/** One store per dataset on a real SQLite file, loaded through `mutate`; or why it could not be. */
const stores = new Map<string, {store: LakeStore; dir: string} | {refused: string}>()
async function storeFor(dataset: SuiteDataset) {
  let entry = stores.get(dataset._id)
  if (!entry) {
    const dir = mkdtempSync(join(tmpdir(), 'groq-suite-'))
    const store = openLakeStore({dataDir: dir})
    try {
      const docs = dataset.documents ?? []
      if (docs.some((doc) => typeof doc['_id'] !== 'string')) {
        throw new Error('a document without an _id (the lake would generate one)')
      }
      const mutations = docs.map((doc) => ({createOrReplace: doc}) as Mutation)
      if (mutations.length > 0) await store.mutate(mutations, admin)
      entry = {store, dir}
    } catch (error) {
      store.close()
      rmSync(dir, {recursive: true, force: true})
      entry = {refused: error instanceof Error ? error.message : String(error)}
    }
    stores.set(dataset._id, entry)
  }
  return entry
}

afterAll(() => {
  for (const entry of stores.values()) {
    if ('store' in entry) {
      entry.store.close()
      rmSync(entry.dir, {recursive: true, force: true})
    }
  }
  console.log(
    `GROQ test suite: ${cases.length} cases; ${tally.passedByGroqJs} pass on plain groq-js and ` +
      `were checked in ${perspectives.length} perspectives; ${tally.failedByGroqJs} fail on ` +
      `plain groq-js (not checked); skipped: ${tally.missingDataset} (dataset not in the ` +
      `repository: ${[...tally.missingNames].join(', ')}), ${tally.refusedDataset} (documents ` +
      `the lake refuses${tally.refusedReasons.size ? ': ' + [...tally.refusedReasons].join('; ') : ''})`,
  )
})

const tally = {
  passedByGroqJs: 0,
  failedByGroqJs: 0,
  missingDataset: 0,
  missingNames: new Set<string>(),
  refusedDataset: 0,
  refusedReasons: new Set<string>(),
}

describe('the GROQ test suite through the lake', () => {
  it('is vendored whole: 10,263 cases', () => {
    expect(cases).toHaveLength(10_263)
  })

  for (const [filename, fileCases] of byFile) {
    it(filename, async () => {
      const failures: string[] = []
      for (const testCase of fileCases) {
        const dataset = datasets.get(testCase.dataset._ref)
        if (!dataset?.documents) {
          tally.missingDataset++
          tally.missingNames.add(dataset?.name ?? testCase.dataset._ref)
          continue
        }
        const params = testCase.params ?? {}
        const beyond = BEYOND_PLAIN_GROQ_JS.has(testCase._id)
        const original: Outcome = beyond
          ? {ok: true, value: json(testCase.result)}
          : await plain(testCase.query, params, dataset.documents)
        const passes = testCase.valid
          ? original.ok && isDeepStrictEqual(original.value, json(testCase.result))
          : !original.ok
        if (!passes) {
          tally.failedByGroqJs++
          continue
        }
        const loaded = await storeFor(dataset)
        if ('refused' in loaded) {
          tally.refusedDataset++
          tally.refusedReasons.add(loaded.refused)
          continue
        }
        tally.passedByGroqJs++
        const stored = [...loaded.store.allDocuments()]
        // Without drafts or versions the published view is the raw one: same answer.
        const onlyPublished = stored.every((doc) => !/^(drafts|versions)\./.test(doc._id))
        let rawAnswer: Outcome | undefined
        for (const perspective of perspectives) {
          let expected: Outcome
          if (beyond) expected = original
          else if (perspective === 'published' && onlyPublished && rawAnswer) expected = rawAnswer
          else expected = await plain(testCase.query, params, referenceDataset(stored, perspective))
          if (perspective === 'raw') rawAnswer = expected
          let actual: Outcome
          try {
            const {result} = await loaded.store.queryAsync(testCase.query, params, {
              perspective,
              canRead: everyone,
              identity,
              timestamp,
            })
            actual = {ok: true, value: json(result)}
          } catch (error) {
            actual = {ok: false, error: String(error)}
          }
          const same = expected.ok
            ? actual.ok && isDeepStrictEqual(actual.value, expected.value)
            : !actual.ok
          if (!same) {
            failures.push(
              `${perspective}: ${testCase.name}\n  ${testCase.query.trim()}\n  groq-js: ` +
                `${JSON.stringify(expected).slice(0, 300)}\n  lake:    ${JSON.stringify(actual).slice(0, 300)}`,
            )
          }
        }
      }
      expect(failures.slice(0, 10).join('\n'), `${failures.length} differ`).toBe('')
    })
  }
})
