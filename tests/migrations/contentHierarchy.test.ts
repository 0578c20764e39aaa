/**
 * The first migration, as a team would run it in production: a lake holding a dataset shaped like
 * the first seed (`tests/fixtures/legacy-seed/`), `npm run migrate` dry run then applied, and the
 * result checked the way readers and editors meet it: it validates with no errors, the seed page
 * renders every sentence, no text the old dataset held is lost, and running again changes nothing.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {planContentHierarchy} from '../../migrations/2026-11-29-content-hierarchy/plan'
import {exportDocuments} from '../../scripts/lib/exportDataset'
import {type DatasetDocument, parseNdjson} from '../../scripts/lib/ndjson'
import {writeDocuments} from '../../scripts/lib/write'
import {loadSeedDocuments} from '../../scripts/seed'
import {startWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'
import {lakeScriptEnv, runScript} from '../helpers/scripts'
import {datasetTexts, missingSentences, splitSentences} from '../seed/sentences'
import {sentencesMissingInOrder, visibleText} from '../web/visibleText'

const LEGACY = fileURLToPath(new URL('../fixtures/legacy-seed/careers.ndjson', import.meta.url))
const MIGRATION = '2026-11-29-content-hierarchy'
const legacy = parseNdjson(readFileSync(LEGACY, 'utf8')).documents

let lake: TestLake

const script = (name: string, args: string[]) => runScript(name, args, lakeScriptEnv(lake))

async function stored(): Promise<DatasetDocument[]> {
  const documents: DatasetDocument[] = []
  for await (const document of exportDocuments(lake.client())) documents.push(document)
  return documents
}

beforeAll(async () => {
  lake = await startTestLake()
  await writeDocuments(lake.client(), legacy)
})
afterAll(() => lake?.close())

describe(`npm run migrate: ${MIGRATION} on a dataset shaped like the first seed`, () => {
  it('lists the migration as pending', async () => {
    const run = await script('migrate', ['--list'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`^pending\\s+${MIGRATION}\\s`, 'm'))
  })

  it('dry-runs by default: prints what would change and writes nothing', async () => {
    const before = await lake.client().fetch<string[]>('*[]._rev')
    const run = await script('migrate', [MIGRATION])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('createIfNotExists careerArea-healthcare-science (careerArea)')
    expect(run.stdout).toContain(
      'createIfNotExists trainingRoute-ptp-cardiac-sciences (trainingRoute)',
    )
    expect(run.stdout).toContain('patch specialism-cardiac-sciences: set theme; unset area')
    expect(run.stdout).toContain('Dry run: nothing was written.')
    expect(await lake.client().fetch<string[]>('*[]._rev')).toEqual(before)
  })

  it('applies with --no-dry-run and records that it did', async () => {
    const run = await script('migrate', ['--all', '--no-dry-run'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`${MIGRATION}: made \\d+ changes`))
    const list = await script('migrate', ['--list'])
    expect(list.stdout).toMatch(new RegExp(`^applied \\S+\\s+${MIGRATION}\\s`, 'm'))
    expect(
      await lake.client().fetch('*[_id == $id][0].migrationId', {id: `migrations.${MIGRATION}`}),
    ).toBe(MIGRATION)
  })

  it('changes nothing when run again', async () => {
    const before = await lake.client().fetch<string[]>('*[] | order(_id asc)._rev')
    const run = await script('migrate', [MIGRATION, '--no-dry-run'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`${MIGRATION}: already applied; nothing to do.`)
    expect(await lake.client().fetch<string[]>('*[] | order(_id asc)._rev')).toEqual(before)
  })

  it('leaves a dataset that validates with 0 errors', async () => {
    const run = await script('validate', ['--from-lake', '--level', 'error'])
    expect(run.stdout).toMatch(/Validated \d+ documents: 0 errors/)
    expect(run.code).toBe(0)
  })

  it('moves the model: hierarchy, routes with many awards and roles, pages under specialisms', async () => {
    const documents = await stored()
    const byId = new Map(documents.map((d) => [d._id, d]))
    expect(byId.get('specialism-cardiac-sciences')).toMatchObject({
      theme: {_ref: 'theme-physiological-sciences'},
    })
    expect(byId.get('specialism-cardiac-sciences')?.['area']).toBeUndefined()
    expect(byId.get('theme-physiological-sciences')).toMatchObject({
      area: {_ref: 'careerArea-healthcare-science'},
    })
    expect(byId.get('trainingRoute-ptp-cardiac-sciences')).toMatchObject({
      programme: {_ref: 'programme-ptp'},
      partOf: {_ref: 'specialism-cardiac-sciences'},
      workplaceTrainingWeeks: 50,
      awards: [{_ref: 'qualification-bsc-healthcare-science-cardiac-physiology'}],
      leadsTo: [{_ref: 'careerRole-healthcare-science-practitioner'}],
    })
    const ptp = byId.get('programme-ptp')
    expect(ptp).toMatchObject({nationalBody: {_ref: 'organisation-nshcs'}})
    for (const field of ['workplaceTrainingWeeks', 'qualificationAwarded', 'leadsTo', 'summary']) {
      expect(ptp?.[field], field).toBeUndefined()
    }
    const page = byId.get('page-training-development-registration-cardiac-sciences')
    expect(page).toMatchObject({partOf: {_ref: 'specialism-cardiac-sciences'}})
    expect(page?.['specialism']).toBeUndefined()
    expect((page?.['relatedRoutes'] as {_ref: string}[]).map((r) => r._ref)).toEqual([
      'trainingRoute-ptp-cardiac-sciences',
      'trainingRoute-stp-cardiac-sciences',
      'trainingRoute-hsst-cardiac-sciences',
      'trainingRoute-asp-cardiac-sciences',
    ])
    expect(byId.get('careerRole-healthcare-science-assistant-associate')).toMatchObject({
      partOf: {_ref: 'careerArea-healthcare-science'},
    })
  })

  it('loses no text the old dataset held', async () => {
    const before = [...new Set(datasetTexts(legacy))]
    const after = datasetTexts(await stored())
    expect(missingSentences(before, after)).toEqual([])
  })

  it('still renders every sentence of the seed page on the frontend', async () => {
    const web = await startWeb({port: 0, lakeUrl: lake.url, lakeDataDir: lake.dataDir})
    try {
      const response = await fetch(`${web.url}/training-development-registration-cardiac-sciences`)
      expect(response.status).toBe(200)
      const sentences = splitSentences(
        readFileSync(new URL('../../seed/source-page.txt', import.meta.url), 'utf8'),
      )
      expect(sentencesMissingInOrder(sentences, visibleText(await response.text()))).toEqual([])
    } finally {
      await web.close()
    }
  })
})

describe('the migration plan', () => {
  it('has nothing to do on a dataset already on the model (today’s seed)', () => {
    expect(planContentHierarchy(loadSeedDocuments())).toEqual([])
  })

  it('moves a draft’s fields as it moves the published document’s', () => {
    const draft = {...legacy.find((d) => d._type === 'page')!, _id: 'drafts.page-x'}
    const mutations = planContentHierarchy([...legacy, draft])
    expect(JSON.stringify(mutations)).toContain('"id":"drafts.page-x"')
  })
})
