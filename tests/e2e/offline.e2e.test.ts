/**
 * Issue #17: in local mode the Studio stays on the machine. Chromium records every request (and
 * websocket) the Studio makes while an editor signs in on the lake's login page, opens and edits a
 * page, uploads its image with alternative text, publishes it and opens the feedback inbox; any host other than the lake's and the
 * frontend's fails the test. The stock build asks Sanity's CDN for `bridge.js`, the Inter font and
 * a version check, and Sanity's API for a feedback probe, all on the first load, so a regression in
 * `scripts/lib/offlineStudio.ts` or `studio/offline/keepOnMachine.ts` shows up here.
 *
 * Needs Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium). Runs `scripts/dev.ts` (`npm run dev`)
 * on free ports in a fresh data directory; the global setup builds `studio-dist/` when stale.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import type {SanityClient} from '@sanity/client'
import type {Browser} from 'playwright-core'
import sharp from 'sharp'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createContentClient} from '../../lib/client'
import {isLoopbackHost} from '../../studio/offline/keepOnMachine'
import {type DevStack, launchChromium, startDevStack} from './devStack'
import {settlesTo} from './studioActions'

const OUTPUT = resolve('test-output/e2e')
const PAGE_ID = 'page-training-development-registration-cardiac-sciences'

let stack: DevStack
let browser: Browser
let anonymous: SanityClient
let admin: SanityClient

beforeAll(async () => {
  mkdirSync(OUTPUT, {recursive: true})
  stack = await startDevStack()
  const clientOptions = {lakeUrl: stack.lakeUrl, lakeDataDir: stack.dataDir}
  anonymous = createContentClient({...clientOptions, perspective: 'published'})
  admin = createContentClient({...clientOptions, token: stack.token, perspective: 'raw'})
  browser = await launchChromium({trustLake: true})
})

afterAll(async () => {
  await browser?.close()
  const output = stack?.output() ?? ''
  await stack?.stop()
  if (output.includes('[npm run dev exited')) console.log(`npm run dev output:\n${output}`)
})

describe('a Studio that stays on the machine', () => {
  it('signs in, edits, uploads an image, publishes and opens the inbox asking only the lake and the frontend', async () => {
    const context = await browser.newContext({
      viewport: {width: 1400, height: 900},
      ignoreHTTPSErrors: true,
    })
    // Every request of every page and worker in the context, before anything is loaded.
    const requested: string[] = []
    context.on('request', (request) => requested.push(request.url()))
    const page = await context.newPage()
    page.on('websocket', (socket) => requested.push(socket.url()))

    // Sign-in: the lake's login page, "Continue as local developer" with the printed code.
    await page.goto(`${stack.lakeUrl}/studio/`)
    await page.getByText('Local lake').click({timeout: 60_000})
    const code = readFileSync(join(stack.dataDir, 'developer-sign-in-code'), 'utf8').trim()
    await page.locator('#code').fill(code)
    await page.locator('#role').selectOption('administrator')
    await page.getByRole('button', {name: 'Continue as local developer'}).click()
    await page.locator('[data-testid="studio-navbar"]').waitFor({timeout: 60_000})

    // Editing and publishing a page.
    await page.goto(`${stack.lakeUrl}/studio/structure/pages;all-pages;${PAGE_ID}`)
    const summary = page.locator('textarea#summary')
    await summary.waitFor({timeout: 60_000})
    const text = `Offline summary ${Date.now()}`
    await summary.fill(text)
    // An image, uploaded to the lake, with the alternative text the schema requires.
    const png = await sharp({
      create: {width: 64, height: 48, channels: 3, background: {r: 200, g: 30, b: 60}},
    })
      .png()
      .toBuffer()
    // The page's one image field (hotspot, crop, alt and decorative are its own sub-fields).
    await page
      .locator('[data-testid="image-input"] [data-testid="file-button-input"]')
      .setInputFiles({name: 'ecg.png', mimeType: 'image/png', buffer: png})
    // The upload is done when the draft refers to the stored asset.
    await expect
      .poll(
        () =>
          admin.fetch<string | null>('*[_id == $id][0].image.asset._ref', {
            id: `drafts.${PAGE_ID}`,
          }),
        {timeout: 60_000},
      )
      .toMatch(/^image-[0-9a-f]{40}-64x48-png$/)
      .catch(async (error: unknown) => {
        await page.screenshot({path: join(OUTPUT, 'offline-upload-failed.png')})
        throw error
      })
    const alt = page.locator('[data-testid="field-image.alt"] input')
    await alt.waitFor({timeout: 60_000})
    await alt.fill('An ECG trace on a monitor')
    const publish = page.locator('[data-testid="action-publish"]')
    await settlesTo(publish, true)
    await publish.click()
    await expect
      .poll(
        () =>
          anonymous.fetch<{summary: string; alt?: string; url?: string}>(
            '*[_id == $id][0]{summary, "alt": image.alt, "url": image.asset->url}',
            {id: PAGE_ID},
          ),
        {timeout: 30_000},
      )
      .toMatchObject({summary: text, alt: 'An ECG trace on a monitor'})
    const {url} = await anonymous.fetch<{url: string}>(
      '*[_id == $id][0]{"url": image.asset->url}',
      {id: PAGE_ID},
    )
    // The published image is public, served by the lake, resized as @sanity/image-url asks.
    expect(new URL(url).port).toBe(new URL(stack.lakeUrl).port)
    const resized = await fetch(`${url}?w=32`)
    expect(resized.status).toBe(200)
    const meta = await sharp(Buffer.from(await resized.arrayBuffer())).metadata()
    expect([meta.width, meta.height]).toEqual([32, 24])

    // Triage: the feedback inbox.
    await page.goto(`${stack.lakeUrl}/studio/structure/feedback;feedback-open`)
    await page.locator('[data-testid="document-list-pane"]').waitFor({timeout: 60_000})

    // Inter is in use, and came from the lake.
    const interLoaded = await page.evaluate(() =>
      [...document.fonts].some((font) => font.family === 'Inter' && font.status === 'loaded'),
    )
    await page.screenshot({path: join(OUTPUT, 'offline-inbox.png')})
    await context.close()

    writeFileSync(join(OUTPUT, 'offline-requests.txt'), `${requested.join('\n')}\n`)
    // The lake and the frontend, by the ports they listen on. The lake also answers as
    // `local.localhost:<port>`: Sanity's SDK puts the project id in front of the API host for its
    // own /users/me probe (it ignores the Studio's client factory), and Chromium resolves every
    // `*.localhost` name to loopback itself, without asking DNS.
    const ports = new Set([new URL(stack.lakeUrl).port, new URL(stack.webUrl).port])
    const offMachine = requested.filter((url) => {
      const parsed = new URL(url)
      if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false
      return !(isLoopbackHost(parsed.hostname) && ports.has(parsed.port))
    })
    expect(offMachine).toEqual([])
    expect(interLoaded).toBe(true)
    expect(
      requested.some((url) => url.startsWith(`${stack.lakeUrl}/studio/static/fonts/inter-`)),
    ).toBe(true)
    // The recording saw the Studio at work: its queries and its commits.
    expect(requested.some((url) => url.includes('/data/query/'))).toBe(true)
    expect(requested.some((url) => url.includes('/data/actions/'))).toBe(true)
  })
})
