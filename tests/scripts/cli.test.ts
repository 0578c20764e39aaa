/**
 * The dataset scripts as people run them (`node --import tsx scripts/<name>.ts`), against a real
 * local lake: exit codes, what they print, and what ends up in the lake.
 */
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DatasetDocument} from '../../scripts/lib/ndjson'
import {parseNdjson} from '../../scripts/lib/ndjson'
import {startTestLake, type TestLake} from '../helpers/lake'
import {lakeScriptEnv, runScript} from '../helpers/scripts'

const fixture = (name: string) =>
  fileURLToPath(
    new URL(
      name === 'second-specialism.ndjson' ? `../fixtures/${name}` : `fixtures/${name}`,
      import.meta.url,
    ),
  )

let lake: TestLake

const script = runScript

/** Where no lake listens: port 9 (discard) on loopback refuses connections at once. */
const noLake = {LAKE_URL: 'https://127.0.0.1:9', LAKE_TOKEN: 'none'}

const lakeEnv = () => lakeScriptEnv(lake)

async function storedIds(): Promise<string[]> {
  return lake.client().fetch<string[]>('*[!(_id in path("_.**"))]._id | order(@ asc)')
}

beforeAll(async () => {
  lake = await startTestLake()
})
afterAll(() => lake?.close())

describe('npm run import', () => {
  it('names every malformed line, exits 1 and imports nothing (not even the valid line 1)', async () => {
    const run = await script('import', [fixture('malformed.ndjson')], lakeEnv())
    expect(run.code).toBe(1)
    for (const line of [3, 4, 5, 6, 7]) expect(run.stderr).toContain(`malformed.ndjson:${line}:`)
    expect(run.stderr).not.toContain('malformed.ndjson:1:')
    expect(run.stderr).toContain('nothing was imported')
    expect(await storedIds()).toEqual([])
  })

  it('imports a valid file with createOrReplace, sub-path ids and references included', async () => {
    const run = await script('import', [fixture('valid.ndjson')], lakeEnv())
    expect(run.stderr).toContain(
      'Imported 3 documents: 3 created, 0 replaced, 0 unchanged (1 transactions).',
    )
    expect(run.code).toBe(0)
    expect(await storedIds()).toEqual([
      'feedback.00000000-0000-4000-8000-000000000009',
      'organisation-hcpc',
      'registration-x',
    ])
  })

  it('with --missing leaves existing documents as they are', async () => {
    await lake.client().patch('organisation-hcpc').set({name: 'Edited in the Studio'}).commit()
    const run = await script('import', [fixture('valid.ndjson'), '--missing'], lakeEnv())
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      'Created 0 documents; skipped 3 that already existed (0 transactions).',
    )
    expect(await lake.client().fetch('*[_id == "organisation-hcpc"][0].name')).toBe(
      'Edited in the Studio',
    )
  })

  it('without --missing replaces them', async () => {
    const run = await script('import', [fixture('valid.ndjson')], lakeEnv())
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      'Imported 3 documents: 0 created, 1 replaced, 2 unchanged (1 transactions).',
    )
    expect(await lake.client().fetch('*[_id == "organisation-hcpc"][0].name')).toBe(
      'Health and Care Professions Council',
    )
  })

  it('re-importing unchanged documents writes nothing and creates no new revision', async () => {
    const before = await lake.client().fetch<string[]>('*[] | order(_id asc)._rev')
    const run = await script('import', [fixture('valid.ndjson')], lakeEnv())
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      'Imported 3 documents: 0 created, 0 replaced, 3 unchanged (0 transactions).',
    )
    expect(await lake.client().fetch<string[]>('*[] | order(_id asc)._rev')).toEqual(before)
  })

  it('with --missing reports how many were created and how many skipped', async () => {
    await lake.client().delete('registration-x')
    const run = await script('import', [fixture('valid.ndjson'), '--missing'], lakeEnv())
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      'Created 1 documents; skipped 2 that already existed (1 transactions).',
    )
    expect(await storedIds()).toContain('registration-x')
  })

  it('exits 2 with usage when no file is given', async () => {
    const run = await script('import', [], lakeEnv())
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Usage: npm run import')
  })
})

describe('npm run export', () => {
  it('writes the dataset to stdout as NDJSON that import reads back', async () => {
    const run = await script('export', [], lakeEnv())
    expect(run.code).toBe(0)
    const {documents, problems} = parseNdjson(run.stdout)
    expect(problems).toEqual([])
    expect(documents.map((d: DatasetDocument) => d._id).sort()).toEqual(await storedIds())
    expect(run.stderr).toContain('Exported 3 documents.')
  })

  it('filters by --types', async () => {
    const run = await script('export', ['--types', 'organisation'], lakeEnv())
    expect(parseNdjson(run.stdout).documents.map((d) => d._id)).toEqual(['organisation-hcpc'])
  })
})

describe('npm run validate', () => {
  it('exits 1 and reports by document and field when a dataset has errors', async () => {
    const run = await script('validate', [fixture('invalid-dataset.ndjson')], noLake)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('✖ [trainingRoute] trainingRoute-bad')
    expect(run.stdout).toContain(
      '✖ trainingRoute-bad → workplaceTrainingWeeks: 60 weeks of workplace training do not fit in a 1-year route.',
    )
    expect(run.stdout).toContain('✖ mystery-1 → _type: Unknown document type "mystery".')
    expect(run.stdout).toMatch(/Validated 6 documents: \d+ errors/)
  })

  it('names the document and the missing reference on every reference error', async () => {
    const run = await script('validate', [fixture('invalid-dataset.ndjson')], noLake)
    expect(run.stdout).toContain(
      '✖ trainingRoute-bad → programme: Refers to "programme-missing", which is not in the dataset (nor published): import or publish "programme-missing" first, or correct the reference.',
    )
    expect(run.stdout).toContain('✖ page-a → partOf: Refers to "specialism-missing"')
  })

  it('says which value was given and which are allowed when a value is outside its list', async () => {
    const run = await script('validate', [fixture('invalid-dataset.ndjson')], noLake)
    expect(run.stdout).toContain(
      '✖ trainingRoute-bad → mode: "hybrid" is not an allowed value; choose one of: full-time, part-time, work-based, short-course, integrated.',
    )
  })

  it('exits 1 on a malformed file, naming the lines', async () => {
    const run = await script('validate', [fixture('malformed.ndjson')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('malformed.ndjson:3:')
  })

  it('exits 0 on the seed dataset (the default file when no lake is running)', async () => {
    const run = await script('validate', [], noLake)
    expect(run.stderr).toContain('No lake is running: validating')
    expect(run.stdout).toContain('Validated 40 documents: 0 errors, 0 warnings, 0 infos.')
    expect(run.code).toBe(0)
  })

  it('with no file validates the lake’s dataset when a lake is running', async () => {
    const run = await script('validate', ['--json'], lakeEnv())
    expect(run.stderr).toContain(`Validating the dataset in the lake at ${lake.url}`)
    const reports = JSON.parse(run.stdout) as {documentId: string}[]
    expect(reports.map((r) => r.documentId).sort()).toEqual(await storedIds())
  })

  it('resolves a file’s references against the running lake: no false "missing" errors', async () => {
    await script('seed', [], lakeEnv())
    const offline = await script('validate', [fixture('second-specialism.ndjson')], noLake)
    expect(offline.code).toBe(1)
    expect(offline.stdout).toContain('Refers to "programme-ptp"')
    const run = await script('validate', [fixture('second-specialism.ndjson')], lakeEnv())
    expect(run.stderr).toContain(`against the lake at ${lake.url}`)
    expect(run.stdout).toContain('Validated 7 documents: 0 errors, 0 warnings, 0 infos.')
    expect(run.code).toBe(0)
  })

  it('--from-lake validates what the lake holds', async () => {
    const run = await script('validate', ['--from-lake', '--json'], lakeEnv())
    const reports = JSON.parse(run.stdout) as {documentId: string; level: string}[]
    expect(reports.map((r) => r.documentId).sort()).toEqual(await storedIds())
    expect(reports.every((r) => r.level === 'ok')).toBe(true)
    expect(run.code).toBe(0)
  })
})
