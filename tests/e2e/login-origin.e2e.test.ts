/**
 * Issue #17, hot reload: in Chromium, the lake's login page signs a Studio on another loopback
 * origin in (as `npm run studio:dev` serves it). Chromium enforces the page's CSP `form-action` on
 * the form's 303 too: before the fix it blocked the redirect to the other origin. A stand-in
 * "Studio" (a plain HTTP server on another port) receives the browser with its one-time `#sid=`.
 */
import {createServer, type Server} from 'node:http'
import {readFileSync} from 'node:fs'

import {type Browser, chromium} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

let lake: TestLake
let studio: Server
let studioOrigin: string
let browser: Browser

beforeAll(async () => {
  lake = await startTestLake({dev: true})
  studio = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8')
    res.end('<!doctype html><title>Studio (sanity dev)</title><h1>Studio</h1>')
  })
  await new Promise<void>((done) => studio.listen(0, '127.0.0.1', done))
  const address = studio.address()
  if (!address || typeof address === 'string') throw new Error('The stand-in Studio has no port')
  studioOrigin = `http://127.0.0.1:${address.port}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--ignore-certificate-errors'],
  })
})

afterAll(async () => {
  await browser?.close()
  await new Promise((done) => studio?.close(done))
  await lake?.close()
})

describe('signing in a Studio on another loopback origin', () => {
  it('follows the 303 back to that origin with a one-time code that yields a session', async () => {
    const context = await browser.newContext({ignoreHTTPSErrors: true})
    const page = await context.newPage()
    const violations: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
    })
    const returnUrl = `${studioOrigin}/studio/structure`
    await page.goto(`${lake.url}/auth/login?origin=${encodeURIComponent(returnUrl)}`)
    const code = readFileSync(lake.developerCodeFile ?? '', 'utf8').trim()
    await page.locator('#code').fill(code)
    await page.getByRole('button', {name: 'Continue as local developer'}).click()
    await page.waitForURL((url) => url.origin === studioOrigin, {timeout: 30_000})

    const landed = new URL(page.url())
    expect(landed.origin + landed.pathname).toBe(returnUrl)
    const sid = /^#sid=([\w-]{20,})$/.exec(landed.hash)?.[1] ?? ''
    const exchanged = await lakeFetch(lake, `/v2021-06-07/auth/fetch?sid=${sid}`)
    const {token} = exchanged.json() as {token: string}
    const me = await lakeFetch(lake, '/v2021-06-07/users/me', {token})
    expect(me.json()).toMatchObject({id: 'p-localdev-editor'})
    expect(violations).toEqual([])
    await context.close()
  })
})
