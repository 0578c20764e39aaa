/**
 * Every query a site uses, run two ways: with plain groq-js over the seed dataset (exact expected
 * results written out), and through `@sanity/client` against a seeded lake (equal to groq-js).
 */
import {evaluate, parse} from 'groq-js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {sitemapQuery} from '../../queries/documents'
import {navigationQuery, pageBySlugQuery} from '../../queries/pages'
import {
  programmesByCareerLevelQuery,
  programmeWithRoutesQuery,
  qualificationByIdQuery,
  registrationFactsQuery,
  routesInSpecialismQuery,
} from '../../queries/programmes'
import {settingsQuery} from '../../queries/settings'
import {loadSeedDocuments, seedDataset} from '../../scripts/seed'
import {startTestLake, type TestLake} from '../helpers/lake'

const SLUG = 'training-development-registration-cardiac-sciences'
const seed = loadSeedDocuments()

async function groq(query: string, params: Record<string, unknown> = {}): Promise<unknown> {
  return (await evaluate(parse(query), {dataset: seed, params})).get()
}

const cases: {name: string; query: string; params?: Record<string, unknown>}[] = [
  {name: 'pageBySlugQuery', query: pageBySlugQuery, params: {slug: SLUG, id: `page-${SLUG}`}},
  {
    name: 'pageBySlugQuery (unknown slug)',
    query: pageBySlugQuery,
    params: {slug: 'nope', id: 'page-nope'},
  },
  {name: 'sitemapQuery', query: sitemapQuery},
  {name: 'navigationQuery', query: navigationQuery},
  {
    name: 'programmesByCareerLevelQuery',
    query: programmesByCareerLevelQuery,
    params: {careerLevel: 'practitioner'},
  },
  {
    name: 'qualificationByIdQuery',
    query: qualificationByIdQuery,
    params: {id: 'qualification-ahcs-certificate-of-attainment'},
  },
  {name: 'registrationFactsQuery', query: registrationFactsQuery},
  {
    name: 'programmeWithRoutesQuery',
    query: programmeWithRoutesQuery,
    params: {id: 'programme-stp'},
  },
  {
    name: 'routesInSpecialismQuery',
    query: routesInSpecialismQuery,
    params: {specialismId: 'specialism-cardiac-sciences'},
  },
  {name: 'settingsQuery', query: settingsQuery},
]

describe('queries over the seed dataset (groq-js)', () => {
  it('pageBySlugQuery resolves programmes, qualifications, organisations and links', async () => {
    const page = (await groq(pageBySlugQuery, {slug: SLUG, id: `page-${SLUG}`})) as Record<
      string,
      unknown
    >
    expect(page).toMatchObject({
      _id: 'page-training-development-registration-cardiac-sciences',
      title: 'Training, development and registration (cardiac sciences)',
      slug: SLUG,
      summary:
        'The training depends on the level at which you enter your career in cardiac science.',
      section: 'training-development-registration',
      partOf: {_type: 'specialism', title: 'cardiac sciences', slug: 'cardiac-sciences'},
    })
    const programmes = page['relatedProgrammes'] as {acronym: string}[]
    expect(programmes.map((p) => p.acronym)).toEqual(['PTP', 'STP', 'HSST', 'ASP'])
    const routes = page['relatedRoutes'] as {
      programme: {acronym: string} | null
      awards: {name: string}[]
      leadsTo: {name: string}[]
    }[]
    expect(routes.map((r) => r.programme?.acronym ?? null)).toEqual([null, 'PTP', 'STP', 'HSST'])
    expect(routes[1]?.awards.map((a) => a.name)).toEqual([
      'BSc (Hons) Healthcare Science (Cardiac Physiology)',
    ])
    expect(routes[2]?.awards.map((a) => a.name)).toEqual([
      "Master's degree in clinical science (cardiac science)",
      'AHCS Certificate of Attainment',
    ])
    expect(routes[2]?.leadsTo.map((r) => r.name)).toEqual(['Clinical scientist'])
    const links = page['findOutMore'] as {label: string; internal: {_type: string} | null}[]
    expect(links.map((l) => l.label)).toEqual([
      'Entry requirements, skills and interests (cardiac sciences)',
      'Course finder: accredited BSc Healthcare Science degrees',
      'Registering as a clinical scientist',
    ])
    expect(links[2]?.internal).toMatchObject({_type: 'registration'})
    // Links inside the body come with their targets, so the renderer needs no second query.
    const body = JSON.stringify(page['body'])
    expect(body).toContain('"_type":"organisation"')
    expect(body).toContain('"internalRef":"organisation-ahcs"')
  })

  it('unknown slugs give null', async () => {
    expect(await groq(pageBySlugQuery, {slug: 'nope', id: 'page-nope'})).toBeNull()
  })

  it('navigationQuery lists the page under its specialism', async () => {
    const navigation = (await groq(navigationQuery)) as {
      name: string
      pages: unknown[]
      specialisms: unknown[]
      themes: {name: string; specialisms: {name: string; pages: unknown[]}[]}[]
    }[]
    expect(navigation.map((a) => [a.name, a.pages, a.specialisms])).toEqual([
      ['Healthcare science', [], []],
    ])
    const themes = navigation[0]!.themes
    expect(themes.map((t) => t.name)).toEqual([
      'Clinical bioinformatics',
      'Life sciences',
      'Physical sciences and biomedical engineering',
      'Physiological sciences',
    ])
    expect(themes[3]?.specialisms).toEqual([
      {
        _id: 'specialism-cardiac-sciences',
        _type: 'specialism',
        name: 'cardiac sciences',
        slug: 'cardiac-sciences',
        pages: [
          {
            _id: `page-${SLUG}`,
            _type: 'page',
            title: 'Training, development and registration (cardiac sciences)',
            slug: SLUG,
            section: 'training-development-registration',
          },
        ],
      },
    ])
  })

  it('programmesByCareerLevelQuery filters by level', async () => {
    const practitioner = (await groq(programmesByCareerLevelQuery, {
      careerLevel: 'practitioner',
    })) as {_id: string; nationalBody: {acronym: string}}[]
    expect(practitioner.map((p) => p._id)).toEqual(['programme-ptp'])
    expect(practitioner[0]?.nationalBody.acronym).toBe('NSHCS')
    expect(await groq(programmesByCareerLevelQuery, {careerLevel: 'trainee'})).toEqual([])
  })

  it('programmeWithRoutesQuery lists every specialism’s route through a programme', async () => {
    const stp = (await groq(programmeWithRoutesQuery, {id: 'programme-stp'})) as {
      acronym: string
      routes: {_id: string; partOf: {name: string}}[]
    }
    expect(stp.acronym).toBe('STP')
    expect(stp.routes.map((r) => [r._id, r.partOf.name])).toEqual([
      ['trainingRoute-stp-cardiac-sciences', 'cardiac sciences'],
    ])
    const routes = (await groq(routesInSpecialismQuery, {
      specialismId: 'specialism-cardiac-sciences',
    })) as {_id: string}[]
    expect(routes).toHaveLength(4)
  })

  it('qualificationByIdQuery and registrationFactsQuery', async () => {
    expect(
      await groq(qualificationByIdQuery, {id: 'qualification-ahcs-certificate-of-attainment'}),
    ).toMatchObject({name: 'AHCS Certificate of Attainment', kind: 'certificate-of-attainment'})
    const facts = (await groq(registrationFactsQuery)) as {register: string; status: string}[]
    expect(facts.map((f) => [f.register, f.status])).toEqual([
      ['AHCS Accredited Register for healthcare science practitioners', 'voluntary'],
      ['HCPC register of clinical scientists', 'mandatory'],
    ])
  })

  it('settingsQuery carries the feedback form copy', async () => {
    expect(await groq(settingsQuery)).toMatchObject({
      siteTitle: 'Health Careers',
      feedbackForm: {heading: 'Help us improve'},
    })
  })
})

describe('the same queries against a running lake', () => {
  let lake: TestLake
  beforeAll(async () => {
    lake = await startTestLake()
    await seedDataset(lake.client())
  })
  afterAll(() => lake?.close())

  it.each(cases)('$name equals groq-js over the seed', async ({query, params}) => {
    const published = lake.client({token: null, perspective: 'published'})
    const fromLake = await published.fetch(query, params ?? {})
    const expected = await groq(query, params)
    // The lake stamps _rev/_updatedAt; groq-js over the seed file has none.
    const stamped = new Set(['_rev', '_updatedAt'])
    const strip = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value), (key, v: unknown) => (stamped.has(key) ? undefined : v))
    expect(strip(fromLake)).toEqual(strip(expected))
  })
})
