/**
 * Draft mode over real HTTP: a careers lake (which mints the frontend's viewer token), seeded,
 * and the real frontend. Secrets are made as the Presentation tool makes them
 * (`createPreviewSecret` from `@sanity/preview-url-secret`, with an editor's token), then
 * `/api/draft-mode/enable` is asked with a valid, a wrong, an over-long and an expired one. Without
 * the signed cookie (or with a forged or expired one) nothing but published content is served,
 * and the viewer token is in no HTML or script the frontend sends.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {SanityClient} from '@sanity/client'
import {createPreviewSecret} from '@sanity/preview-url-secret/create-secret'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {PREVIEW_TOKEN_FILE} from '../../lib/client'
import {seedDataset} from '../../scripts/seed'
import {
  DRAFT_MODE_COOKIE,
  DRAFT_MODE_TTL_SECONDS,
  MAX_PREVIEW_RELEASES,
  MAX_PREVIEW_SECRET_LENGTH,
  previewPerspective,
  sameSitePath,
} from '../../web/draftMode'
import {startWeb, type RunningWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'

const PAGE_ID = 'page-training-development-registration-cardiac-sciences'
const PAGE_PATH = '/training-development-registration-cardiac-sciences'
const DRAFT_TITLE = 'A title nobody has published yet'
const STUDIO = 'https://studio.example/studio'

let lake: TestLake
let web: RunningWeb
let editor: SanityClient
let viewerToken: string
let publishedTitle: string
/** The frontend's clock, in seconds (moved to expire cookies). */
let clockOffset = 0
const now = () => Math.floor(Date.now() / 1000) + clockOffset

beforeAll(async () => {
  lake = await startTestLake()
  await seedDataset(lake.client())
  viewerToken = readFileSync(join(lake.dataDir, PREVIEW_TOKEN_FILE), 'utf8').trim()
  editor = lake.client({token: lake.createToken('editor')})
  const page = await editor.getDocument<{title: string}>(PAGE_ID)
  publishedTitle = page?.title ?? ''
  await editor.createOrReplace({
    ...(page as {title: string} & {_id: string; _type: string}),
    _id: `drafts.${PAGE_ID}`,
    title: DRAFT_TITLE,
  })
  web = await startWeb({
    port: 0,
    host: '127.0.0.1',
    lakeUrl: lake.url,
    lakeDataDir: lake.dataDir,
    studioUrl: STUDIO,
    now,
    log: () => undefined,
  })
}, 120_000)

afterAll(async () => {
  await web?.close()
  await lake?.close()
})

async function newSecret(): Promise<string> {
  const {secret} = await createPreviewSecret(editor, 'tests', STUDIO, 'p-editor')
  return secret
}

function enableUrl(secret: string | null, path = PAGE_PATH): string {
  const params = new URLSearchParams()
  if (secret !== null) params.set('sanity-preview-secret', secret)
  params.set('sanity-preview-pathname', path)
  return `${web.url}/api/draft-mode/enable?${params}`
}

async function enable(secret: string | null, path?: string) {
  return fetch(enableUrl(secret, path), {redirect: 'manual'})
}

/** The draft-mode cookie a valid secret gets, as `name=value`. */
async function draftCookie(): Promise<string> {
  const response = await enable(await newSecret())
  expect(response.status).toBe(307)
  return (response.headers.get('set-cookie') ?? '').split(';')[0] as string
}

async function page(path: string, cookie?: string) {
  const response = await fetch(`${web.url}${path}`, cookie ? {headers: {cookie}} : {})
  return {response, html: await response.text()}
}

describe('enabling draft mode', () => {
  it('takes a secret the Presentation tool stored: a cookie for the frame, and the page asked for', async () => {
    const response = await enable(await newSecret())
    expect(response.status).toBe(307)
    expect(response.headers.get('location')).toBe(PAGE_PATH)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^${DRAFT_MODE_COOKIE}=v1\\.\\d+\\.[\\w-]{43};`))
    for (const attribute of [
      'Path=/',
      `Max-Age=${DRAFT_MODE_TTL_SECONDS}`,
      'HttpOnly',
      'Secure',
      'SameSite=None',
      'Partitioned',
    ]) {
      expect(cookie.split('; ')).toContain(attribute)
    }
  })

  it('refuses a wrong secret with 401 and no cookie', async () => {
    const response = await enable('not-the-secret')
    expect(response.status).toBe(401)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.text()).toMatch(/not valid or has expired/)
  })

  it('refuses a missing secret with 401, saying where draft mode is entered from', async () => {
    const response = await enable(null)
    expect(response.status).toBe(401)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.text()).toMatch(/Missing sanity-preview-secret.*Presentation/)
  })

  it(`checks a secret of ${MAX_PREVIEW_SECRET_LENGTH} characters, and refuses a longer one unread (400)`, async () => {
    const atLimit = await enable('x'.repeat(MAX_PREVIEW_SECRET_LENGTH))
    expect(atLimit.status).toBe(401)
    const past = await enable('x'.repeat(MAX_PREVIEW_SECRET_LENGTH + 1))
    expect(past.status).toBe(400)
    expect(await past.text()).toMatch(/longer than 128 characters/)
    expect(past.headers.get('set-cookie')).toBeNull()
  })

  it('refuses a secret stored more than an hour ago (expired) with 401', async () => {
    // The lake stamps `_updatedAt` with the time of the write, never earlier than its last one:
    // a lake of its own, started and written to "two hours ago", holds an expired secret.
    vi.useFakeTimers({toFake: ['Date'], now: Date.now() - 2 * 60 * 60 * 1000})
    let past: TestLake | undefined
    let secret: string
    try {
      past = await startTestLake()
      const pastEditor = past.client({token: past.createToken('editor')})
      ;({secret} = await createPreviewSecret(pastEditor, 'tests', STUDIO, 'p-editor'))
    } finally {
      vi.useRealTimers()
    }
    const pastWeb = await startWeb({
      port: 0,
      host: '127.0.0.1',
      lakeUrl: past.url,
      lakeDataDir: past.dataDir,
    })
    try {
      const stored = await past.client().fetch<{
        _updatedAt: string
      } | null>(`*[_type == "sanity.previewUrlSecret" && secret == $secret][0]{_updatedAt}`, {
        secret,
      })
      expect(Date.parse(stored?._updatedAt ?? '')).toBeLessThan(Date.now() - 60 * 60 * 1000)
      const response = await fetch(enableUrl(secret).replace(web.url, pastWeb.url), {
        redirect: 'manual',
      })
      expect(response.status).toBe(401)
      expect(response.headers.get('set-cookie')).toBeNull()
      expect(await response.text()).toMatch(/not valid or has expired/)
    } finally {
      await pastWeb.close()
      await past.close()
    }
  })

  it('never redirects off the site, whatever path it is given', async () => {
    for (const path of [
      '//evil.example/x',
      '/.//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
    ]) {
      const response = await enable(await newSecret(), path)
      expect(response.status).toBe(307)
      const location = response.headers.get('location') ?? ''
      expect(location).toMatch(/^\/(?!\/)/)
      expect(new URL(location, web.url).origin).toBe(web.url)
    }
    expect(sameSitePath('/a?b=c#d')).toBe('/a?b=c#d')
    expect(sameSitePath(undefined)).toBe('/')
  })

  it('answers 503 when the frontend has no viewer token', async () => {
    const tokenless = await startWeb({
      port: 0,
      host: '127.0.0.1',
      lakeUrl: lake.url,
      lakeDataDir: lake.dataDir,
      previewToken: null,
    })
    try {
      const response = await fetch(
        `${tokenless.url}/api/draft-mode/enable?sanity-preview-secret=${await newSecret()}`,
        {redirect: 'manual'},
      )
      expect(response.status).toBe(503)
      expect(await response.text()).toMatch(/SANITY_API_READ_TOKEN/)
    } finally {
      await tokenless.close()
    }
  })
})

describe('the perspective the Studio asks for', () => {
  it('is published, the drafts, or a release stack over the drafts; anything else is the drafts', () => {
    expect(previewPerspective('published')).toBe('published')
    expect(previewPerspective(null)).toBe('drafts')
    expect(previewPerspective('drafts')).toBe('drafts')
    expect(previewPerspective('rA,drafts')).toEqual(['rA', 'drafts'])
    expect(previewPerspective('rA,rB')).toEqual(['rA', 'rB', 'drafts'])
    const releases = Array.from({length: MAX_PREVIEW_RELEASES}, (_, i) => `r${i}`)
    expect(previewPerspective(releases.join(','))).toEqual([...releases, 'drafts'])
    expect(previewPerspective([...releases, 'rMore'].join(','))).toBe('drafts')
    expect(previewPerspective('raw')).toBe('drafts')
    expect(previewPerspective('r A,drafts')).toBe('drafts')
    expect(previewPerspective(`r${'x'.repeat(64)}`)).toBe('drafts')
  })
})

describe('in draft mode', () => {
  it('shows drafts, never stored, with the overlays and every editable element named', async () => {
    const {response, html} = await page(PAGE_PATH, await draftCookie())
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(html).toContain(DRAFT_TITLE)
    expect(html).toContain('src="/api/visual-editing.js"')
    expect(html).not.toContain('src="/api/live.js"')
    const base = encodeURIComponent(STUDIO)
    expect(html).toContain(`<h1 data-sanity="id=${PAGE_ID};type=page;path=title;base=${base}">`)
    // Every paragraph of the body names its block (`body[_key=="…"]` in the Studio's own form).
    expect(html).toMatch(/<p data-sanity="id=[^;]+;type=page;path=body:[\w-]+;base=/)
    expect(html).toMatch(/<li data-sanity="id=[^;]+;type=page;path=findOutMore:[\w-]+;/)
    expect(html).toMatch(/data-sanity="id=programme-[^;]+;type=programme;path=summary;/)
  })

  it('shows what is published when the Studio looks at the "Published" perspective', async () => {
    const {response, html} = await page(
      `${PAGE_PATH}?sanity-preview-perspective=published`,
      await draftCookie(),
    )
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(html).toContain(publishedTitle)
    expect(html).not.toContain(DRAFT_TITLE)
  })

  it('reads a release stack the Studio looks at over the drafts (the local lake has no releases)', async () => {
    const {response, html} = await page(
      `${PAGE_PATH}?sanity-preview-perspective=rSpringLaunch,drafts`,
      await draftCookie(),
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(html).toContain(DRAFT_TITLE)
  })

  it('names the facts of a programme', async () => {
    const {html} = await page('/programmes/stp', await draftCookie())
    expect(html).toMatch(/<h1 data-sanity="id=programme-stp;type=programme;path=name;/)
    expect(html).toMatch(/<dd data-sanity="id=programme-stp;type=programme;path=careerLevel;/)
  })

  it('serves the overlays only to a draft-mode request', async () => {
    const cookie = await draftCookie()
    const withCookie = await fetch(`${web.url}/api/visual-editing.js`, {headers: {cookie}})
    expect(withCookie.status).toBe(200)
    expect(withCookie.headers.get('content-type')).toMatch(/javascript/)
    expect((await withCookie.text()).length).toBeGreaterThan(10_000)
    const without = await fetch(`${web.url}/api/visual-editing.js`)
    expect(without.status).toBe(404)
  }, 60_000)

  it('ends with disable: the cookie is cleared and the reader sent back', async () => {
    const response = await fetch(`${web.url}/api/draft-mode/disable?redirect=${PAGE_PATH}`, {
      redirect: 'manual',
    })
    expect(response.status).toBe(307)
    expect(response.headers.get('location')).toBe(PAGE_PATH)
    expect(response.headers.get('set-cookie')).toMatch(
      new RegExp(`^${DRAFT_MODE_COOKIE}=; Path=/; Max-Age=0;.*Partitioned`),
    )
  })
})

describe('without draft mode, drafts never leak', () => {
  it('a request without the cookie gets the published page, shareable, with live updates', async () => {
    const {response, html} = await page(PAGE_PATH)
    expect(html).toContain(publishedTitle)
    expect(html).not.toContain(DRAFT_TITLE)
    expect(html).not.toContain('data-sanity')
    expect(html).not.toContain('visual-editing.js')
    expect(html).toContain('src="/api/live.js"')
    expect(response.headers.get('cache-control')).toBe('private, no-store') // the page has the form
  })

  it('a forged, tampered, expired or foreign cookie reads as no cookie', async () => {
    const real = (await draftCookie()).split('=')[1] as string
    const [version, expires, mac] = real.split('.') as [string, string, string]
    const forged = [
      `${version}.${Number(expires) + 1}.${mac}`,
      `${version}.${expires}.${'A'.repeat(43)}`,
      '1',
      'true',
      `${version}.${expires}`,
    ]
    for (const value of forged) {
      const {html} = await page(PAGE_PATH, `${DRAFT_MODE_COOKIE}=${value}`)
      expect(html).not.toContain(DRAFT_TITLE)
      expect(html).toContain(publishedTitle)
    }
    // Past its lifetime, the real cookie is worth nothing either.
    clockOffset = DRAFT_MODE_TTL_SECONDS + 1
    try {
      const {html} = await page(PAGE_PATH, `${DRAFT_MODE_COOKIE}=${real}`)
      expect(html).not.toContain(DRAFT_TITLE)
    } finally {
      clockOffset = 0
    }
    // Signed for another viewer token (another deployment): not accepted here.
    const other = await startWeb({
      port: 0,
      host: '127.0.0.1',
      lakeUrl: lake.url,
      lakeDataDir: lake.dataDir,
      previewToken: lake.createToken('viewer'),
    })
    try {
      const response = await fetch(enableUrl(await newSecret()).replace(web.url, other.url), {
        redirect: 'manual',
      })
      const foreign = (response.headers.get('set-cookie') ?? '').split(';')[0] as string
      expect(foreign).toMatch(new RegExp(`^${DRAFT_MODE_COOKIE}=v1`))
      const {html} = await page(PAGE_PATH, foreign)
      expect(html).not.toContain(DRAFT_TITLE)
    } finally {
      await other.close()
    }
  })
})

describe('the viewer token', () => {
  it('appears in no page or script the frontend serves, in draft mode or out of it', async () => {
    const cookie = await draftCookie()
    const served: string[] = []
    for (const path of [PAGE_PATH, '/', '/programmes', '/programmes/stp', '/nowhere']) {
      served.push((await page(path)).html, (await page(path, cookie)).html)
    }
    for (const script of ['/api/live.js', '/api/visual-editing.js']) {
      served.push(await (await fetch(`${web.url}${script}`, {headers: {cookie}})).text())
    }
    expect(served.join('').length).toBeGreaterThan(100_000)
    for (const body of served) expect(body).not.toContain(viewerToken)
  }, 60_000)
})

describe('the secrets Presentation stores', () => {
  it('are private: not anonymous, not the public client; editors write them, the viewer reads them', async () => {
    const secret = await newSecret()
    const query = `*[_type == "sanity.previewUrlSecret" && secret == $secret]{_id, secret}`
    const anonymous = lake.client({token: null})
    expect(await anonymous.fetch(query, {secret})).toEqual([])
    expect(
      await lake.client({token: null, perspective: 'published'}).fetch(query, {secret}),
    ).toEqual([])
    const viewer = lake.client({token: viewerToken})
    const [stored] = await viewer.fetch<{_id: string; secret: string}[]>(query, {secret})
    expect(stored?.secret).toBe(secret)
    expect(await anonymous.getDocument(stored?._id ?? '')).toBeUndefined()
    // The viewer may read it, not write it.
    await expect(
      viewer.createOrReplace({_id: 'drafts.x', _type: 'sanity.previewUrlSecret', secret: 'x'}),
    ).rejects.toMatchObject({statusCode: 403})
  })
})
