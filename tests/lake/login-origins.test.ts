/**
 * Issue #17, hot reload: a Studio served from another loopback origin (`npm run studio:dev`,
 * `sanity dev` on http://localhost:3333) signs in through the lake's login page. The page's CSP
 * `form-action` governs where the form's 303 may lead, so it must list that Studio's origin,
 * exactly, and no origin that is not loopback; the 303 carries the one-time `#sid=` there.
 */
import {readFileSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake

beforeAll(async () => {
  lake = await startTestLake({dev: true})
})
afterAll(() => lake.close())

const currentCode = () => readFileSync(lake.developerCodeFile ?? '', 'utf8').trim()

function formAction(csp: string | null): string[] {
  const directive = (csp ?? '').split(';').find((part) => part.trim().startsWith('form-action'))
  return (directive ?? '').trim().split(/\s+/).slice(1)
}

async function loginPage(origin: string) {
  return lakeFetch(lake, `/auth/login?origin=${encodeURIComponent(origin)}`)
}

const submit = (fields: Record<string, string>) =>
  lakeFetch(lake, '/auth/login', {
    method: 'POST',
    redirect: 'manual',
    headers: {'content-type': 'application/x-www-form-urlencoded', origin: lake.url},
    body: new URLSearchParams(fields).toString(),
  })

describe('the login page for a Studio on another origin', () => {
  it.each([
    ['http://localhost:3333/studio/structure', 'http://localhost:3333'],
    ['http://127.0.0.1:3334/studio', 'http://127.0.0.1:3334'],
    ['http://studio.localhost:5173/', 'http://studio.localhost:5173'],
    ['http://[::1]:3333/studio', 'http://[::1]:3333'],
  ])('lets the form lead back to %s, and to nowhere else', async (returnUrl, origin) => {
    const page = await loginPage(returnUrl)
    expect(page.status).toBe(200)
    expect(formAction(page.headers.get('content-security-policy'))).toEqual(["'self'", origin])
  })

  it('lists only itself when the Studio is its own', async () => {
    const page = await loginPage(`${lake.url}/studio/`)
    expect(formAction(page.headers.get('content-security-policy'))).toEqual(["'self'"])
  })

  it.each([
    'https://evil.example/studio',
    'http://localhost.evil.example:3333/',
    'http://127.0.0.1.nip.io:3333/',
    'javascript:alert(1)',
    'http://10.0.0.5:3333/studio',
  ])('refuses %s: the form leads only to the lake’s own Studio', async (returnUrl) => {
    const page = await loginPage(returnUrl)
    expect(formAction(page.headers.get('content-security-policy'))).toEqual(["'self'"])
    expect(page.text).toContain(`value="${lake.url}/studio/"`)
    expect(page.text).not.toContain(new URL(returnUrl).host || 'javascript')

    // Even posted directly, the sign-in goes back to the lake's own Studio, with no handoff code.
    const res = await submit({developer: '1', code: currentCode(), origin: returnUrl})
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${lake.url}/studio/`)
  })

  it('signs in as the local developer and sends the handoff code to that origin only', async () => {
    const returnUrl = 'http://localhost:3333/studio/structure'
    const page = await loginPage(returnUrl)
    // The form carries the validated return URL, as a browser would post it.
    expect(page.text).toContain(`name="origin" value="${returnUrl}"`)
    const res = await submit({
      developer: '1',
      code: currentCode(),
      role: 'editor',
      origin: returnUrl,
    })
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') ?? '')
    // The origin the page's CSP allowed is the one the 303 leads to.
    expect(formAction(page.headers.get('content-security-policy'))).toContain(location.origin)
    expect(location.origin + location.pathname).toBe(returnUrl)
    const sid = /^#sid=([\w-]{20,})$/.exec(location.hash)?.[1] ?? ''
    const exchanged = await lakeFetch(lake, `/v2021-06-07/auth/fetch?sid=${sid}`)
    const {token} = exchanged.json() as {token: string}
    const me = await lakeFetch(lake, '/v2021-06-07/users/me', {token})
    expect(me.json()).toMatchObject({id: 'p-localdev-editor', role: 'editor'})
  })
})
