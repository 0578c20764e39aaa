/**
 * The Studio's structure built by a real Structure Builder over this project's schema, and its
 * list filters run with groq-js over the seed dataset: what each list would show.
 */
import {readFileSync} from 'node:fs'

import {evaluate, parse} from 'groq-js'
import {describe, expect, it} from 'vitest'

import {SETTINGS_ID} from '../../schemas'
import {careerLevels} from '../../schemas/options'
import {SEED_FILE} from '../../seed/build'
import {structure} from '../../studio/structure'
import {pagesInSpecialismFilter, reviewDueFilter} from '../../studio/structure/pages'
import {
  placedUnderFilter,
  specialismsUnderFilter,
  themesInAreaFilter,
} from '../../studio/structure/hierarchy'
import {programmesAtLevelFilter, routesOfProgrammeFilter} from '../../studio/structure/programmes'
import {distinctDocuments, usedByQuery} from '../../studio/structure/UsedByView'
import {resolveTemplates} from '../../studio/templates'
import {structureBuilder} from '../helpers/structure'

const seed = readFileSync(SEED_FILE, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as {_id: string; _type: string})

async function ids(filter: string, params: Record<string, unknown>): Promise<string[]> {
  const result = await evaluate(parse(`*[${filter}]._id`), {dataset: seed, params})
  return (await result.get()) as string[]
}

const builder = () => structureBuilder('editor', resolveTemplates)

interface Serialised {
  id: string
  title?: string
  type?: string
  schemaType?: string | {name: string}
  child?: unknown
  options?: {filter?: string; params?: Record<string, unknown>; id?: string; type?: string}
  initialValueTemplates?: {templateId: string; parameters?: Record<string, unknown>}[]
  items?: Serialised[]
}

/** A child as the Studio sees it: builders serialise, resolvers are called with an id. */
async function open(child: unknown, id = ''): Promise<Serialised> {
  if (typeof child === 'function') {
    return open(await (child as (id: string, ctx: unknown) => unknown)(id, {}), id)
  }
  const node = child as Serialised | {serialize: () => Serialised}
  return 'serialize' in node ? node.serialize() : node
}

function item(list: Serialised, id: string): Serialised {
  const found = list.items?.find((i) => i.id === id)
  if (!found) throw new Error(`no item ${id} in ${list.items?.map((i) => i.id).join(', ')}`)
  return found
}

describe('structure', () => {
  it('lists the families in order, with plural titles, feedback and settings last', async () => {
    const {S, context} = await builder()
    const root = (await structure(S, context)) as unknown as {serialize: () => Serialised}
    const items = root.serialize().items?.filter((i) => i.type !== 'divider') ?? []
    expect(items.map((i) => [i.id, i.title])).toEqual([
      ['by-area', 'By area, theme and specialism'],
      ['pages', 'Pages'],
      ['programmes', 'Programmes'],
      ['qualification', 'Qualifications'],
      ['organisation', 'Organisations'],
      ['careerRole', 'Career roles'],
      ['registration', 'Registration'],
      ['careerArea', 'Career areas'],
      ['theme', 'Divisions and themes'],
      ['specialism', 'Specialisms'],
      ['feedback', 'Feedback'],
      ['settings', 'Site settings'],
    ])
  })

  it('opens settings as the one document at its fixed id', async () => {
    const {S, context} = await builder()
    const root = (
      (await structure(S, context)) as unknown as {serialize: () => Serialised}
    ).serialize()
    const settings = await open(item(root, 'settings').child)
    expect(settings.options).toMatchObject({id: SETTINGS_ID, type: 'settings'})
  })

  it('groups pages by specialism: the list filters by the chosen one and creates pages in it', async () => {
    const {S, context} = await builder()
    const root = (
      (await structure(S, context)) as unknown as {serialize: () => Serialised}
    ).serialize()
    const pages = await open(item(root, 'pages').child)
    const specialisms = await open(item(pages, 'pages-by-specialism').child)
    const list = await open(specialisms.child, 'specialism-cardiac-sciences')
    expect(list.options).toEqual({
      filter: pagesInSpecialismFilter,
      params: {specialismId: 'specialism-cardiac-sciences'},
      apiVersion: '2025-02-19',
    })
    expect(list.initialValueTemplates?.[0]).toMatchObject({
      templateId: 'page-in-specialism',
      parameters: {specialismId: 'specialism-cardiac-sciences'},
    })
    expect(await ids(pagesInSpecialismFilter, list.options?.params ?? {})).toEqual([
      'page-training-development-registration-cardiac-sciences',
    ])
    expect(await ids(pagesInSpecialismFilter, {specialismId: 'specialism-none'})).toEqual([])
  })

  it('lists pages due for review as of the day the list opens', async () => {
    const {S, context} = await builder()
    const root = (
      (await structure(S, context)) as unknown as {serialize: () => Serialised}
    ).serialize()
    const pages = await open(item(root, 'pages').child)
    const due = await open(item(pages, 'pages-review-due').child)
    expect(due.options?.filter).toBe(reviewDueFilter)
    expect(due.options?.params).toEqual({today: new Date().toISOString().slice(0, 10)})
    // The seed page is next due on 2027-06-01.
    expect(await ids(reviewDueFilter, {today: '2027-05-31'})).toEqual([])
    expect(await ids(reviewDueFilter, {today: '2027-06-01'})).toEqual([
      'page-training-development-registration-cardiac-sciences',
    ])
  })

  it('has one programme list per career level, each creating programmes at that level', async () => {
    const {S, context} = await builder()
    const root = (
      (await structure(S, context)) as unknown as {serialize: () => Serialised}
    ).serialize()
    const programmes = await open(item(root, 'programmes').child)
    for (const level of careerLevels) {
      const list = await open(item(programmes, `programmes-${level.value}`).child)
      expect(list.title).toBe(level.title)
      expect(list.options?.params).toEqual({careerLevel: level.value})
      expect(list.initialValueTemplates?.[0]).toMatchObject({
        templateId: 'programme-at-level',
        parameters: {careerLevel: level.value},
      })
    }
    expect(await ids(programmesAtLevelFilter, {careerLevel: 'scientist'})).toEqual([
      'programme-stp',
    ])
    expect(await ids(programmesAtLevelFilter, {careerLevel: 'trainee'})).toEqual([])
  })
})

describe('the hierarchy', () => {
  async function root() {
    const {S, context} = await builder()
    return ((await structure(S, context)) as unknown as {serialize: () => Serialised}).serialize()
  }

  it('browses area → theme → specialism, with what sits at each level', async () => {
    const areas = await open(item(await root(), 'by-area').child)
    const area = await open(areas.child, 'careerArea-healthcare-science')
    expect(area.items?.filter((i) => i.type !== 'divider').map((i) => i.id)).toEqual([
      'area',
      'themes',
      'specialisms',
      'page-under',
      'trainingRoute-under',
      'careerRole-under',
    ])
    const themes = await open(item(area, 'themes').child)
    expect(themes.options?.params).toEqual({areaId: 'careerArea-healthcare-science'})
    expect(await ids(themesInAreaFilter, themes.options?.params ?? {})).toHaveLength(4)
    expect(themes.initialValueTemplates?.[0]).toMatchObject({
      templateId: 'theme-in-area',
      parameters: {areaId: 'careerArea-healthcare-science'},
    })
    const theme = await open(themes.child, 'theme-physiological-sciences')
    const specialisms = await open(item(theme, 'specialisms').child)
    expect(await ids(specialismsUnderFilter, specialisms.options?.params ?? {})).toEqual([
      'specialism-cardiac-sciences',
    ])
    expect(specialisms.initialValueTemplates?.[0]).toMatchObject({
      templateId: 'specialism-under',
      parameters: {parentId: 'theme-physiological-sciences'},
    })
    const specialism = await open(specialisms.child, 'specialism-cardiac-sciences')
    const routes = await open(item(specialism, 'trainingRoute-under').child)
    expect(await ids(placedUnderFilter, routes.options?.params ?? {})).toEqual([
      'trainingRoute-cardiographer-cardiac-sciences',
      'trainingRoute-ptp-cardiac-sciences',
      'trainingRoute-stp-cardiac-sciences',
      'trainingRoute-hsst-cardiac-sciences',
    ])
    // Roles found in every specialism sit at the area, not in cardiac sciences.
    const areaRoles = await open(item(area, 'careerRole-under').child)
    expect(await ids(placedUnderFilter, areaRoles.options?.params ?? {})).toContain(
      'careerRole-clinical-scientist',
    )
    const roles = await open(item(specialism, 'careerRole-under').child)
    expect(await ids(placedUnderFilter, roles.options?.params ?? {})).toEqual([
      'careerRole-cardiographer',
    ])
  })

  it('opens a programme with every specialism’s route through it', async () => {
    const programmes = await open(item(await root(), 'programmes').child)
    const all = await open(item(programmes, 'all-programmes').child)
    const stp = await open(all.child, 'programme-stp')
    expect(stp.items?.map((i) => i.id)).toEqual(['programme', 'routes'])
    const routes = await open(item(stp, 'routes').child)
    expect(routes.options?.filter).toBe(routesOfProgrammeFilter)
    expect(await ids(routesOfProgrammeFilter, routes.options?.params ?? {})).toEqual([
      'trainingRoute-stp-cardiac-sciences',
    ])
    expect(routes.initialValueTemplates?.[0]).toMatchObject({
      templateId: 'route-of-programme',
      parameters: {programmeId: 'programme-stp'},
    })
  })

  it('"used by" lists each referring document once, drafts folded in', async () => {
    const result = await evaluate(parse(usedByQuery), {
      dataset: seed,
      params: {id: 'programme-stp'},
    })
    const rows = (await result.get()) as {_id: string; _type: string}[]
    expect(rows.map((r) => r._id).sort()).toEqual([
      'careerRole-clinical-scientist',
      'framework-modernising-scientific-careers',
      'page-training-development-registration-cardiac-sciences',
      'trainingRoute-stp-cardiac-sciences',
    ])
    expect(
      distinctDocuments([
        {_id: 'drafts.programme-x', _type: 'programme'},
        {_id: 'programme-x', _type: 'programme'},
      ]),
    ).toEqual([{_id: 'programme-x', _type: 'programme'}])
  })
})

describe('templates', () => {
  it('drops the settings template and adds the structure templates', async () => {
    const {source} = await builder()
    const templateIds = source.templates.map((t) => t.id)
    expect(templateIds).not.toContain('settings')
    expect(templateIds).toEqual(
      expect.arrayContaining(['page', 'programme', 'page-in-specialism', 'programme-at-level']),
    )
  })

  it('start a page in its specialism and a programme at its level', async () => {
    const {source} = await builder()
    const value = (id: string, params: Record<string, unknown>) => {
      const template = source.templates.find((t) => t.id === id)
      if (typeof template?.value !== 'function') throw new Error(`no template ${id}`)
      return template.value(params, {} as never)
    }
    expect(await value('page-in-specialism', {specialismId: 'specialism-x'})).toEqual({
      partOf: {_type: 'reference', _ref: 'specialism-x'},
    })
    expect(await value('role-under', {placementId: 'careerArea-x'})).toEqual({
      partOf: {_type: 'reference', _ref: 'careerArea-x'},
    })
    expect(await value('programme-at-level', {careerLevel: 'scientist'})).toEqual({
      careerLevel: 'scientist',
    })
  })
})
