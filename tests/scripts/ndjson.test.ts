import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {planBatches} from '../../scripts/lib/batches'
import {planImport} from '../../scripts/lib/importPlan'
import {type DatasetDocument, documentIdProblem, parseNdjson} from '../../scripts/lib/ndjson'

const malformed = readFileSync(
  fileURLToPath(new URL('fixtures/malformed.ndjson', import.meta.url)),
  'utf8',
)

describe('parseNdjson', () => {
  it('reports every malformed line with its number, and skips blank lines', () => {
    const {problems, documents} = parseNdjson(malformed)
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7])
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^not valid JSON/),
      'missing `_id`',
      '`_id` "-bad id" may only contain letters, digits, ".", "_" and "-"',
      'duplicate `_id` "organisation-a" (first on line 1)',
      'not a JSON object',
    ])
    expect(documents.map((d) => d._id)).toEqual(['organisation-a'])
  })

  it('accepts CRLF line endings and a trailing newline', () => {
    const {problems, documents} = parseNdjson(
      '{"_id":"a","_type":"t"}\r\n{"_id":"b","_type":"t"}\r\n',
    )
    expect(problems).toEqual([])
    expect(documents.map((d) => d._id)).toEqual(['a', 'b'])
  })

  it('requires a non-empty string _type', () => {
    expect(parseNdjson('{"_id":"a"}').problems).toEqual([{line: 1, message: 'missing `_type`'}])
    expect(parseNdjson('{"_id":"a","_type":3}').problems[0]?.message).toBe(
      '`_type` must be a non-empty string',
    )
  })
})

describe('documentIdProblem', () => {
  it.each(['page-1', 'feedback.3f1c', 'drafts.page-1', 'a_b', 'versions.r1.page-1'])(
    'accepts %s',
    (id) => expect(documentIdProblem(id)).toBeUndefined(),
  )

  it.each([
    ['', /empty/],
    ['-leading', /must not start with "-"/],
    ['has space', /may only contain/],
    ['é', /may only contain/],
    ['a..b', /empty path segment/],
    ['trailing.', /empty path segment/],
    ['x'.repeat(129), /longer than 128/],
  ])('rejects %j', (id, message) => expect(documentIdProblem(id)).toMatch(message))
})

describe('planImport', () => {
  it('refuses the whole file when any line is malformed: nothing is planned', () => {
    const plan = planImport(malformed)
    expect(plan.ok).toBe(false)
    expect(plan).not.toHaveProperty('batches')
  })

  it('plans every document of a valid file', () => {
    const plan = planImport('{"_id":"a","_type":"t"}\n{"_id":"b","_type":"t"}\n')
    expect(plan).toEqual({
      ok: true,
      documents: [expect.objectContaining({_id: 'a'}), expect.objectContaining({_id: 'b'})],
      batches: [[expect.objectContaining({_id: 'a'}), expect.objectContaining({_id: 'b'})]],
    })
  })
})

describe('planBatches', () => {
  const doc = (id: string, ...refs: string[]): DatasetDocument => ({
    _id: id,
    _type: 't',
    refs: refs.map((ref) => ({_type: 'reference', _ref: ref, _key: ref})),
  })
  const ids = (batches: DatasetDocument[][]) => batches.map((b) => b.map((d) => d._id))
  const oneEach = {maxDocuments: 1, maxBytes: 1_000_000}

  it('writes referenced documents before the documents that reference them', () => {
    const batches = planBatches(
      [doc('page', 'programme'), doc('programme', 'org'), doc('org')],
      oneEach,
    )
    expect(ids(batches)).toEqual([['org'], ['programme'], ['page']])
  })

  it('keeps documents that reference each other in one transaction, whatever the limit', () => {
    const batches = planBatches(
      [doc('role', 'programme'), doc('programme', 'role'), doc('org')],
      oneEach,
    )
    expect(
      ids(batches)
        .find((b) => b.includes('role'))
        ?.sort(),
    ).toEqual(['programme', 'role'])
    expect(ids(batches).flat().sort()).toEqual(['org', 'programme', 'role'])
  })

  it('ignores weak references and references to documents outside the file', () => {
    const weak: DatasetDocument = {
      _id: 'feedback.1',
      _type: 'feedbackSubmission',
      page: {_type: 'reference', _ref: 'page', _weak: true},
    }
    const batches = planBatches([weak, doc('page'), doc('x', 'elsewhere')], oneEach)
    expect(ids(batches)).toEqual([['feedback.1'], ['page'], ['x']])
  })

  it('fills transactions up to the limits', () => {
    const documents = Array.from({length: 5}, (_, i) => doc(`d${i}`))
    expect(ids(planBatches(documents, {maxDocuments: 2, maxBytes: 1_000_000}))).toEqual([
      ['d0', 'd1'],
      ['d2', 'd3'],
      ['d4'],
    ])
    const size = JSON.stringify(documents[0]).length
    expect(planBatches(documents, {maxDocuments: 100, maxBytes: size * 3})).toHaveLength(2)
  })
})
