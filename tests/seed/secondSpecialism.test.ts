/**
 * A second specialism (respiratory and sleep sciences, example data in
 * `tests/fixtures/second-specialism.ndjson`) fits the model with no copies: it reuses the national
 * programmes, the shared roles and registers, and adds only what is its own.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {comparableName} from '../../schemas/validation'
import {exportDocuments} from '../../scripts/lib/exportDataset'
import {type DatasetDocument, parseNdjson} from '../../scripts/lib/ndjson'
import {summarise, validateDataset} from '../../scripts/lib/validateDataset'
import {writeDocuments} from '../../scripts/lib/write'
import {loadSeedDocuments, seedDataset} from '../../scripts/seed'
import {startTestLake, type TestLake} from '../helpers/lake'

const FIXTURE = fileURLToPath(new URL('../fixtures/second-specialism.ndjson', import.meta.url))
const second = parseNdjson(readFileSync(FIXTURE, 'utf8')).documents
const SHARED_TYPES = ['careerRole', 'qualification', 'programme', 'organisation']

let lake: TestLake
let stored: DatasetDocument[]

beforeAll(async () => {
  lake = await startTestLake()
  await seedDataset(lake.client())
  await writeDocuments(lake.client(), second)
  stored = []
  for await (const document of exportDocuments(lake.client())) stored.push(document)
})
afterAll(() => lake?.close())

describe('a second specialism beside the seed', () => {
  it('adds only documents that belong to it: no programme, role or organisation of its own', () => {
    expect(
      second.filter((d) => ['programme', 'careerRole', 'organisation'].includes(d._type)),
    ).toEqual([])
    for (const document of second.filter((d) => d._type !== 'specialism')) {
      expect(document['partOf'], document._id).toEqual({
        _type: 'reference',
        _ref: 'specialism-respiratory-sleep-sciences',
      })
    }
  })

  it('reuses the national programmes through its routes', () => {
    const programmes = second
      .filter((d) => d._type === 'trainingRoute')
      .map((d) => (d['programme'] as {_ref: string})._ref)
    expect(programmes).toEqual(['programme-ptp', 'programme-stp', 'programme-hsst'])
    const seedIds = new Set(loadSeedDocuments().map((d) => d._id))
    for (const id of programmes) expect(seedIds.has(id)).toBe(true)
  })

  it('is marked as example data', () => {
    const specialism = second.find((d) => d._type === 'specialism')
    expect(specialism?.['description']).toMatch(/^Example data for tests/)
  })

  it('validates with 0 errors and 0 warnings in the lake beside the seed', async () => {
    const reports = await validateDataset(stored, {client: lake.client()})
    const problems = reports.flatMap((r) =>
      r.markers.map((m) => `${r.documentId} ${m.path}: [${m.level}] ${m.message}`),
    )
    expect(problems).toEqual([])
    expect(summarise(reports).documents).toBe(loadSeedDocuments().length + second.length)
  })

  it('has no two shared documents of a type with the same name', () => {
    const names = stored
      .filter((d) => SHARED_TYPES.includes(d._type) && typeof d['name'] === 'string')
      .map((d) => `${d._type}:${comparableName(d['name'] as string)}`)
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([])
  })
})
