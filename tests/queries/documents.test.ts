/**
 * The query behind each public route (`queries/documents.ts`), over the seed with groq-js, with
 * exact results written out; then each through `@sanity/client` against a seeded lake, as the
 * anonymous frontend reads it, equal to groq-js.
 */
import {evaluate, parse} from 'groq-js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {
  careerAreaQuery,
  careerRoleQuery,
  frameworkQuery,
  organisationQuery,
  programmeQuery,
  qualificationQuery,
  readableIdsQuery,
  registrationQuery,
  sitemapQuery,
  specialismQuery,
  storedDocumentQuery,
  themeQuery,
  trainingRouteQuery,
  typeIndexQuery,
} from '../../queries/documents'
import {routeForPath} from '../../queries/paths'
import {loadSeedDocuments, seedDataset} from '../../scripts/seed'
import {startTestLake, type TestLake} from '../helpers/lake'

const seed = loadSeedDocuments()

async function groq(query: string, params: Record<string, unknown> = {}): Promise<unknown> {
  return (await evaluate(parse(query), {dataset: seed, params})).get()
}

/** The params a path gives its route's query. */
function paramsFor(path: string): {key: string; id: string} {
  const route = routeForPath(path)
  if (!route) throw new Error(`no route for ${path}`)
  return {key: route.key, id: route.id}
}

const cases = [
  {name: 'careerAreaQuery', query: careerAreaQuery, path: '/areas/healthcare-science'},
  {name: 'themeQuery', query: themeQuery, path: '/themes/physiological-sciences'},
  {name: 'specialismQuery', query: specialismQuery, path: '/specialisms/cardiac-sciences'},
  {name: 'programmeQuery', query: programmeQuery, path: '/programmes/stp'},
  {name: 'trainingRouteQuery', query: trainingRouteQuery, path: '/routes/ptp-cardiac-sciences'},
  {name: 'careerRoleQuery', query: careerRoleQuery, path: '/roles/clinical-scientist'},
  {
    name: 'qualificationQuery',
    query: qualificationQuery,
    path: '/qualifications/ahcs-certificate-of-attainment',
  },
  {
    name: 'registrationQuery',
    query: registrationQuery,
    path: '/registrations/hcpc-clinical-scientists',
  },
  {name: 'organisationQuery', query: organisationQuery, path: '/organisations/hcpc'},
  {
    name: 'frameworkQuery',
    query: frameworkQuery,
    path: '/frameworks/modernising-scientific-careers',
  },
]

describe('route queries over the seed (groq-js), exact results', () => {
  it.each(cases)('$name finds its document by the key in $path', async ({query, path}) => {
    expect(await groq(query, paramsFor(path))).toMatchSnapshot()
  })

  it.each(cases)('$name answers null for an unknown key', async ({query}) => {
    expect(await groq(query, {key: 'nope', id: 'nope'})).toBeNull()
  })

  it('finds a document with a slug by its id-derived key too (the server then redirects)', async () => {
    const role = (await groq(careerRoleQuery, paramsFor('/roles/cardiographer'))) as {_id: string}
    expect(role._id).toBe('careerRole-cardiographer')
    // `careerRole-healthcare-science-assistant-associate` has the slug `…-assistant-or-associate`.
    const byId = (await groq(
      careerRoleQuery,
      paramsFor('/roles/healthcare-science-assistant-associate'),
    )) as {_id: string; slug: string}
    expect(byId).toMatchObject({
      _id: 'careerRole-healthcare-science-assistant-associate',
      slug: 'healthcare-science-assistant-or-associate',
    })
  })

  it('sitemapQuery lists every public document, nothing else', async () => {
    expect(await groq(sitemapQuery)).toMatchSnapshot()
  })

  it('typeIndexQuery lists one type by name', async () => {
    expect(await groq(typeIndexQuery, {type: 'programme'})).toEqual([
      {
        _id: 'programme-asp',
        _type: 'programme',
        slug: null,
        title: 'Accredited Scientific Practice',
      },
      {
        _id: 'programme-hsst',
        _type: 'programme',
        slug: null,
        title: 'Higher Specialist Scientist Training',
      },
      {
        _id: 'programme-ptp',
        _type: 'programme',
        slug: null,
        title: 'NHS Practitioner Training Programme',
      },
      {
        _id: 'programme-stp',
        _type: 'programme',
        slug: null,
        title: 'NHS Scientist Training Programme',
      },
    ])
  })

  it('storedDocumentQuery and readableIdsQuery', async () => {
    expect(await groq(storedDocumentQuery, {id: 'organisation-hcpc'})).toMatchObject({
      _id: 'organisation-hcpc',
      acronym: 'HCPC',
    })
    expect(await groq(readableIdsQuery, {ids: ['organisation-hcpc', 'organisation-gone']})).toEqual(
      [{_id: 'organisation-hcpc', _updatedAt: null}],
    )
  })
})

describe('route queries against a running lake, read anonymously', () => {
  let lake: TestLake
  beforeAll(async () => {
    lake = await startTestLake()
    await seedDataset(lake.client())
  })
  afterAll(() => lake?.close())

  it.each([...cases, {name: 'sitemapQuery', query: sitemapQuery, path: '/'}])(
    '$name equals groq-js over the seed',
    async ({query, path}) => {
      const params = path === '/' ? {} : paramsFor(path)
      const published = lake.client({token: null, perspective: 'published'})
      const fromLake: unknown = await published.fetch(query, params)
      const expected = await groq(query, params)
      // The lake stamps _updatedAt; groq-js over the seed file has none.
      const strip = (value: unknown): unknown =>
        JSON.parse(JSON.stringify(value), (key, v: unknown) =>
          key === '_updatedAt' ? undefined : v,
        )
      expect(strip(fromLake)).toEqual(strip(expected))
    },
  )
})
