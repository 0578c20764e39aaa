/** `npm run seed` against a real local lake: loads everything once, then changes nothing. */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {sameContent} from '../../scripts/lib/documents'
import {exportDocuments} from '../../scripts/lib/exportDataset'
import type {DatasetDocument} from '../../scripts/lib/ndjson'
import {loadSeedDocuments, seedDataset} from '../../scripts/seed'
import {startTestLake, type TestLake} from '../helpers/lake'

const documents = loadSeedDocuments()
let lake: TestLake

beforeAll(async () => {
  lake = await startTestLake()
})
afterAll(() => lake?.close())

describe('seeding the lake', () => {
  it('writes every seed document in one transaction (roles and programmes reference each other)', async () => {
    const result = await seedDataset(lake.client(), documents)
    expect(result.written).toHaveLength(documents.length)
    expect(result.transactions).toBe(1)
    const stored = await lake.client().fetch<DatasetDocument[]>('*[!(_id in path("_.**"))]')
    expect(stored).toHaveLength(documents.length)
    for (const document of documents) {
      const copy = stored.find((d) => d._id === document._id)
      expect(copy && sameContent(copy, document), document._id).toBe(true)
    }
  })

  it('is idempotent: a second run writes nothing and bumps no revision', async () => {
    const before = await lake.client().fetch<string[]>('*[]._rev')
    const result = await seedDataset(lake.client(), documents)
    expect(result).toEqual({written: [], unchanged: documents.map((d) => d._id), transactions: 0})
    expect(await lake.client().fetch<string[]>('*[]._rev')).toEqual(before)
  })

  it('restores a seed document an editor changed, and leaves other documents alone', async () => {
    const client = lake.client()
    await client.patch('organisation-ucas').set({name: 'Changed'}).commit()
    await client.create({
      _id: 'organisation-extra',
      _type: 'organisation',
      name: 'Extra',
      kind: 'regulator',
    })
    const result = await seedDataset(client, documents)
    expect(result.written).toEqual(['organisation-ucas'])
    expect(await client.fetch('*[_id == "organisation-ucas"][0].name')).toBe(
      'Universities and Colleges Admissions Service',
    )
    expect(await client.fetch('count(*[_id == "organisation-extra"])')).toBe(1)
  })

  it('is readable by the public website without a token (no sub-path ids)', async () => {
    const anonymous = lake.client({token: null, perspective: 'published'})
    const slug = await anonymous.fetch('*[_type == "page"][0].slug.current')
    expect(slug).toBe('training-development-registration-cardiac-sciences')
  })

  it('exports back exactly what was seeded (plus the extra document)', async () => {
    const exported: DatasetDocument[] = []
    const sources: string[] = []
    const source = exportDocuments(lake.client(), {onSource: (s) => sources.push(s)})
    for await (const document of source) exported.push(document)
    expect(sources).toEqual(['export-endpoint'])
    const ids = exported.map((d) => d._id).sort()
    expect(ids).toEqual([...documents.map((d) => d._id), 'organisation-extra'].sort())
    for (const document of documents) {
      const copy = exported.find((d) => d._id === document._id)
      expect(copy && sameContent(copy, document), document._id).toBe(true)
    }
  })

  it('falls back to paged queries where the export endpoint refuses (here: no token)', async () => {
    const sources: string[] = []
    const anonymous = lake.client({token: null})
    const exported: DatasetDocument[] = []
    // A small page size makes the fallback page several times over the 31 documents.
    const source = exportDocuments(anonymous, {onSource: (s) => sources.push(s), pageSize: 7})
    for await (const d of source) {
      exported.push(d)
    }
    expect(sources).toEqual(['queries'])
    const ids = exported.map((d) => d._id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual([...documents.map((d) => d._id), 'organisation-extra'].sort())
  })
})
