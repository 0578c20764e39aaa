/**
 * The frontend when content is not as it should be: references the reader cannot follow,
 * documents with nothing but an id, a lake that cannot be reached; plus the head search engines
 * read and HTTP caching. A real lake, seeded with the seed, and the real frontend over HTTP.
 *
 * A dangling *strong* reference cannot be written (the lake keeps referential integrity), so it
 * is made as a disk fault or an older version would leave it: the target's row is deleted from
 * the store's SQLite file while the lake is stopped (as `tests/hostile/startup.test.ts` plants
 * rows), and the lake is started again on that file.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {PUBLIC_TYPES, documentPath} from '../../queries/paths'
import {seedDataset} from '../../scripts/seed'
import {databasePath} from '../../server/store/db'
import {startWeb, type RunningWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'
import {visibleText} from './visibleText'

const SITE = 'https://careers.example'
const SEED_PAGE = '/training-development-registration-cardiac-sciences'
const dataDir = mkdtempSync(join(tmpdir(), 'web-resilience-'))
let lake: TestLake
let web: RunningWeb
const logs: string[] = []

/** A body paragraph whose one span links to `target` (`weak` as the Studio writes for drafts). */
function linkedParagraph(text: string, target: string, weak = false) {
  return [
    {
      _type: 'block',
      _key: 'p1',
      style: 'normal',
      markDefs: [
        {
          _type: 'link',
          _key: 'l1',
          linkType: 'internal',
          internal: {_type: 'reference', _ref: target, ...(weak ? {_weak: true} : {})},
        },
      ],
      children: [{_type: 'span', _key: 's1', text, marks: ['l1']}],
    },
  ]
}

beforeAll(async () => {
  const first = await startTestLake({dataDir})
  const admin = first.client()
  await seedDataset(admin)
  const tx = admin.transaction()
  // Dangling strong: the role exists now; its row is taken out of the file below.
  tx.createOrReplace({_id: 'careerRole-doomed', _type: 'careerRole', name: 'Doomed role'})
  tx.createOrReplace({
    _id: 'page-dangling-strong',
    _type: 'page',
    title: 'A page whose role was lost',
    slug: {_type: 'slug', current: 'dangling-strong'},
    body: linkedParagraph('The doomed role, as text', 'careerRole-doomed'),
    relatedRoles: [{_type: 'reference', _key: 'r1', _ref: 'careerRole-doomed'}],
    findOutMore: [
      {
        _type: 'link',
        _key: 'f1',
        linkType: 'internal',
        label: 'More on the doomed role',
        internal: {_type: 'reference', _ref: 'careerRole-doomed'},
      },
    ],
  })
  // Dangling weak: the targets never existed.
  tx.createOrReplace({
    _id: 'page-dangling-weak',
    _type: 'page',
    title: 'A page with weak references to nothing',
    slug: {_type: 'slug', current: 'dangling-weak'},
    body: linkedParagraph('The vanished qualification, as text', 'qualification-vanished', true),
    relatedRoutes: [
      {_type: 'reference', _key: 'r1', _ref: 'trainingRoute-vanished', _weak: true},
      {_type: 'reference', _key: 'r2', _ref: 'trainingRoute-stp-cardiac-sciences'},
    ],
  })
  // Unpublished: only the draft of the target exists (the Studio references it weakly).
  tx.createOrReplace({
    _id: 'drafts.qualification-draft-only',
    _type: 'qualification',
    name: 'A qualification still in draft',
  })
  tx.createOrReplace({
    _id: 'trainingRoute-unpublished-award',
    _type: 'trainingRoute',
    name: 'A route awarding a draft',
    awards: [
      {_type: 'reference', _key: 'a1', _ref: 'qualification-draft-only', _weak: true},
      {_type: 'reference', _key: 'a2', _ref: 'qualification-msc-clinical-science-cardiac'},
    ],
    summary: 'See the draft qualification.',
  })
  // Nothing but an id and a type, for every public type.
  for (const type of PUBLIC_TYPES) tx.createOrReplace({_id: `${type}-empty`, _type: type})
  // A page the editor asked search engines to leave out.
  tx.createOrReplace({
    _id: 'page-hidden',
    _type: 'page',
    title: 'Hidden from search',
    slug: {_type: 'slug', current: 'hidden'},
    seo: {_type: 'seo', noIndex: true},
  })
  await tx.commit()
  await first.close()

  const db = new DatabaseSync(databasePath(dataDir))
  db.prepare('DELETE FROM documents WHERE id = ?').run('careerRole-doomed')
  db.close()

  lake = await startTestLake({dataDir})
  web = await startWeb({
    port: 0,
    lakeUrl: lake.url,
    lakeDataDir: lake.dataDir,
    siteUrl: SITE,
    log: (message) => logs.push(message),
  })
}, 60_000)

afterAll(async () => {
  await web?.close()
  await lake?.close()
  rmSync(dataDir, {recursive: true, force: true})
})

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${web.url}${path}`, {headers, redirect: 'manual'})
  return {response, html: await response.text()}
}

describe('references the reader cannot follow', () => {
  it('a dangling strong reference: the page answers, the link is text, the ids are logged', async () => {
    expect(await lake.client().getDocument('careerRole-doomed')).toBeUndefined()
    const {response, html} = await get('/dangling-strong')
    expect(response.status).toBe(200)
    expect(visibleText(html)).toContain('The doomed role, as text')
    expect(visibleText(html)).toContain('More on the doomed role')
    expect(html).not.toContain('/roles/doomed')
    expect(html).not.toContain('Related roles')
    expect(
      logs.some((l) => l.includes('page-dangling-strong') && l.includes('careerRole-doomed')),
    ).toBe(true)
  })

  it('a dangling weak reference: the page answers, the rest of the list is shown, ids logged', async () => {
    const {response, html} = await get('/dangling-weak')
    expect(response.status).toBe(200)
    expect(visibleText(html)).toContain('The vanished qualification, as text')
    expect(html).toContain('href="/routes/stp-cardiac-sciences"')
    const line = logs.find((l) => l.includes('page-dangling-weak'))
    expect(line).toContain('qualification-vanished')
    expect(line).toContain('trainingRoute-vanished')
  })

  it('an unpublished target (only drafts.x): not linked, not reachable, logged', async () => {
    const {response, html} = await get('/routes/unpublished-award')
    expect(response.status).toBe(200)
    expect(html).toContain('href="/qualifications/msc-clinical-science-cardiac"')
    expect(html).not.toContain('draft-only')
    expect(visibleText(html)).not.toContain('still in draft')
    expect((await get('/qualifications/draft-only')).response.status).toBe(404)
    expect(
      logs.some(
        (l) =>
          l.includes('trainingRoute-unpublished-award') && l.includes('qualification-draft-only'),
      ),
    ).toBe(true)
  })

  it.each(PUBLIC_TYPES)('a %s with every optional field empty has a page', async (type) => {
    const path = documentPath({_id: `${type}-empty`, _type: type})!
    const {response, html} = await get(path)
    expect(response.status).toBe(200)
    expect(html.match(/<h1[ >]/g)).toHaveLength(1)
    expect(visibleText(html)).not.toMatch(/\b(null|undefined|NaN)\b|\[object/)
  })
})

describe('errors in the site layout', () => {
  it('a 404 has the site header, says what happened and offers a way on', async () => {
    const {response, html} = await get('/programmes/no-such-programme')
    expect(response.status).toBe(404)
    expect(html).toContain('<header><a href="/">Health Careers</a></header>')
    expect(html).toContain('<h1>Page not found</h1>')
    expect(html).toContain('<meta name="robots" content="noindex"/>')
    expect(html).toMatch(/<a href="\/">Browse all careers<\/a>/)
  })

  it('answers 503 with a page saying so when the lake cannot be reached', async () => {
    // A port nothing listens on: the connection is refused, as when the lake is down.
    const closed = await startTestLake()
    const url = closed.url
    await closed.close()
    const orphan = await startWeb({port: 0, lakeUrl: url, lakeDataDir: closed.dataDir})
    try {
      const response = await fetch(`${orphan.url}${SEED_PAGE}`)
      const html = await response.text()
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('30')
      expect(html).toContain('<header><a href="/">Health Careers</a></header>')
      expect(html).toContain('The careers content cannot be reached at the moment.')
    } finally {
      await orphan.close()
    }
  }, 60_000)
})

describe('search engines and sharing', () => {
  it('the seed page: title and description from SEO, canonical, Open Graph, breadcrumbs', async () => {
    const {html} = await get(SEED_PAGE)
    expect(html).toContain(
      '<title>Training and registration in cardiac sciences | Health Careers</title>',
    )
    expect(html).toContain(
      '<meta name="description" content="How cardiographers, assistants, practitioners and clinical scientists train in cardiac sciences, and how to register with the HCPC or AHCS."/>',
    )
    expect(html).toContain(`<link rel="canonical" href="${SITE}${SEED_PAGE}"/>`)
    expect(html).toContain(`<meta property="og:url" content="${SITE}${SEED_PAGE}"/>`)
    expect(html).not.toContain('name="robots"')
    const jsonLd = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map(
      (m) => JSON.parse(m[1]!) as {'@type': string; itemListElement?: {name: string}[]},
    )
    expect(jsonLd[0]?.['@type']).toBe('BreadcrumbList')
    expect(jsonLd[0]?.itemListElement?.map((item) => item.name)).toEqual([
      'Home',
      'Healthcare science',
      'Physiological sciences',
      'cardiac sciences',
      'Training, development and registration (cardiac sciences)',
    ])
  })

  it.each([
    ['/programmes/stp', 'EducationalOccupationalProgram'],
    ['/routes/stp-cardiac-sciences', 'EducationalOccupationalProgram'],
    ['/roles/clinical-scientist', 'Occupation'],
    ['/qualifications/msc-clinical-science-cardiac', 'EducationalOccupationalCredential'],
    ['/organisations/hcpc', 'Organization'],
  ])('%s carries JSON-LD of type %s', async (path, type) => {
    const {html} = await get(path)
    const types = [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/g)].map(
      (m) => (JSON.parse(m[1]!) as {'@type': string})['@type'],
    )
    expect(types).toEqual(['BreadcrumbList', type])
  })

  it("a shared document's breadcrumbs run through the list of its kind", async () => {
    const {html} = await get('/registrations/hcpc-clinical-scientists')
    expect(html).toContain(
      '<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/registrations">Professional registration</a></li><li><span aria-current="page">HCPC register of clinical scientists</span></li></ol></nav>',
    )
  })

  it('noindex where the editor asks, and left out of the sitemap', async () => {
    const {html} = await get('/hidden')
    expect(html).toContain('<meta name="robots" content="noindex"/>')
    const sitemap = (await get('/sitemap.xml')).html
    expect(sitemap).not.toContain(`${SITE}/hidden<`)
    expect(sitemap).toContain(`<loc>${SITE}${SEED_PAGE}</loc><lastmod>`)
  })

  it('a slug-less address of a document with a slug moves to its one address', async () => {
    const {response} = await get('/roles/healthcare-science-assistant-associate')
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toBe(
      '/roles/healthcare-science-assistant-or-associate',
    )
  })
})

describe('HTTP caching', () => {
  it('the seed page (it has the feedback form): a stable ETag, never stored, 304 when asked', async () => {
    const first = await get(SEED_PAGE)
    const second = await get(SEED_PAGE)
    const etag = first.response.headers.get('etag')
    expect(etag).toMatch(/^"[\w-]+"$/)
    // Each render has its own form key, yet the validator is the same: it leaves that out.
    expect(second.response.headers.get('etag')).toBe(etag)
    expect(first.html).not.toBe(second.html)
    // Never stored: a stored copy would send its form key twice (see CACHE_NEVER_STORED).
    expect(first.response.headers.get('cache-control')).toBe('private, no-store')
    const lastModified = first.response.headers.get('last-modified')
    expect(lastModified).toMatch(/GMT$/)

    const revalidated = await get(SEED_PAGE, {'if-none-match': etag!})
    expect(revalidated.response.status).toBe(304)
    expect(revalidated.html).toBe('')
    expect((await get(SEED_PAGE, {'if-none-match': '"other"'})).response.status).toBe(200)
    expect((await get(SEED_PAGE, {'if-modified-since': lastModified!})).response.status).toBe(304)
    expect(
      (await get(SEED_PAGE, {'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT'})).response
        .status,
    ).toBe(200)
  })

  it('pages without a form may be shared by a CDN, and change their ETag when content does', async () => {
    const before = await get('/organisations/hcpc')
    expect(before.response.headers.get('cache-control')).toBe(
      'public, max-age=60, stale-while-revalidate=300',
    )
    // The draft-mode cookie changes the page: a CDN keys on it.
    expect(before.response.headers.get('vary')).toMatch(/\bCookie\b/)
    await lake
      .client()
      .patch('organisation-hcpc')
      .set({description: 'Regulates 15 professions.'})
      .commit()
    const after = await get('/organisations/hcpc', {
      'if-none-match': before.response.headers.get('etag')!,
    })
    expect(after.response.status).toBe(200)
    expect(after.html).toContain('Regulates 15 professions.')
    expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'))
  })
})
