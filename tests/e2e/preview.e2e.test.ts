/**
 * Preview and visual editing as an editor meets them, in Debian's Chromium against `npm run dev`:
 * the Studio (https, the lake's origin) opens the cardiac sciences page in its Presentation tool,
 * whose frame is the frontend (http, another origin) in draft mode. Typing in the title changes
 * the frame before anything is published; clicking a body paragraph in the frame opens that
 * block in the form; and a public page left open (no draft mode) shows a published change
 * without being reloaded. Screenshots go to `test-output/e2e/`.
 */
import {mkdirSync} from 'node:fs'
import {join, resolve} from 'node:path'

import type {SanityClient} from '@sanity/client'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createContentClient} from '../../lib/client'
import {DRAFT_MODE_COOKIE} from '../../web/draftMode'
import {type DevStack, launchChromium, startDevStack} from './devStack'

const OUTPUT = resolve('test-output/e2e')
const PAGE_ID = 'page-training-development-registration-cardiac-sciences'
const PAGE_PATH = '/training-development-registration-cardiac-sciences'
const PAGE_TITLE = 'Training, development and registration (cardiac sciences)'

let stack: DevStack
let browser: Browser
let admin: SanityClient
let anonymous: SanityClient

beforeAll(async () => {
  mkdirSync(OUTPUT, {recursive: true})
  stack = await startDevStack()
  const clientOptions = {lakeUrl: stack.lakeUrl, lakeDataDir: stack.dataDir}
  admin = createContentClient({...clientOptions, token: stack.token, perspective: 'raw'})
  anonymous = createContentClient({...clientOptions, perspective: 'published'})
  browser = await launchChromium({trustLake: true})
})

afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({path: join(OUTPUT, `${name}.png`)})
}

/** The Presentation tool on the page, its frame showing the frontend's page (signed in). */
async function openPresentation(): Promise<{context: BrowserContext; page: Page}> {
  const context = await browser.newContext({
    viewport: {width: 1600, height: 1000},
    ignoreHTTPSErrors: true,
  })
  const page = await context.newPage()
  const preview = encodeURIComponent(`${stack.webUrl}${PAGE_PATH}`)
  await page.goto(
    `${stack.studioUrl}/presentation/page/${PAGE_ID}?preview=${preview}#token=${stack.token}`,
  )
  return {context, page}
}

function previewFrame(page: Page) {
  return page.frameLocator(`iframe[src^="${stack.webUrl}"]`)
}

/**
 * Waits until the overlays have connected to the Studio: hovering the title then outlines it.
 * Edits made before that reach the Studio but not the frame (Presentation tells a frame of
 * changes only once it is connected).
 */
async function overlaysConnected(page: Page): Promise<void> {
  const frame = previewFrame(page)
  await expect
    .poll(
      async () => {
        await frame.locator('h1').first().hover()
        return frame.locator('[data-sanity-overlay-element]').count()
      },
      {timeout: 120_000, interval: 500},
    )
    .toBeGreaterThan(0)
}

describe('preview and visual editing', () => {
  it('a. the title typed in the form shows in the preview before it is published', async () => {
    const {context, page} = await openPresentation()
    try {
      const frame = previewFrame(page)
      await frame.locator('h1').filter({hasText: PAGE_TITLE}).waitFor({timeout: 120_000})
      // Draft mode: the frontend says so, and its cookie is the frame's (partitioned, HttpOnly).
      await frame.locator('.draft-mode').waitFor({timeout: 30_000})
      const cookies = await context.cookies(stack.webUrl)
      expect(cookies.find((cookie) => cookie.name === DRAFT_MODE_COOKIE)?.httpOnly).toBe(true)
      await overlaysConnected(page)
      await shot(page, 'preview-a1-presentation-open')

      const added = ` (draft ${Date.now()})`
      const title = page.locator('input#title')
      await title.waitFor({timeout: 60_000})
      await title.click()
      await title.press('End')
      await title.pressSequentially(added, {delay: 30})
      await frame
        .locator('h1')
        .filter({hasText: `${PAGE_TITLE}${added}`})
        .waitFor({timeout: 60_000})
      await shot(page, 'preview-a2-typed-title-shown')
      // Not published: the public still reads the old title, the draft holds the new one.
      expect(await anonymous.fetch('*[_id == $id][0].title', {id: PAGE_ID})).toBe(PAGE_TITLE)
      expect(await admin.fetch('*[_id == $id][0].title', {id: `drafts.${PAGE_ID}`})).toBe(
        `${PAGE_TITLE}${added}`,
      )
    } finally {
      await context.close()
    }
  })

  it('b. clicking a body paragraph in the preview opens that block in the form', async () => {
    const {context, page} = await openPresentation()
    try {
      const frame = previewFrame(page)
      const paragraph = frame.locator('article p[data-sanity*="path=body:"]').first()
      await paragraph.waitFor({timeout: 120_000})
      const attribute = (await paragraph.getAttribute('data-sanity')) ?? ''
      const key = /path=body:([\w-]+)/.exec(attribute)?.[1]
      expect(key).toBeTruthy()
      const text = ((await paragraph.textContent()) ?? '').trim()
      await overlaysConnected(page)
      // The overlays take the click and tell the Studio which block it was.
      await paragraph.hover()
      await paragraph.click()
      // The Studio's address names the block (`body[_key=="…"]…`) ...
      await page.waitForURL(
        (url) => decodeURIComponent(url.href).includes(`body[_key=="${key}"]`),
        {timeout: 60_000},
      )
      // ... and the caret is in that block of the body's editor, in view.
      await expect
        .poll(
          () =>
            page.evaluate(() => {
              const anchor = document.getSelection()?.anchorNode
              const element = anchor instanceof Element ? anchor : anchor?.parentElement
              const block = element?.closest('[data-testid="text-block__text"]')
              if (!block?.closest('[data-testid="field-body"]')) return null
              const box = block.getBoundingClientRect()
              const inView = box.top >= 0 && box.bottom <= window.innerHeight
              return inView ? block.textContent : null
            }),
          {timeout: 30_000, interval: 250},
        )
        .toContain(text.slice(0, 40))
      await shot(page, 'preview-b-block-opened')
    } finally {
      await context.close()
    }
  })

  it('c. a public page left open shows a published change without a reload', async () => {
    const context = await browser.newContext({viewport: {width: 1200, height: 900}})
    try {
      const page = await context.newPage()
      await page.goto(`${stack.webUrl}${PAGE_PATH}`)
      expect(await page.locator('.draft-mode').count()).toBe(0)
      // A mark on the window: a reload would wipe it.
      await page.evaluate(() => {
        ;(window as unknown as {notReloaded: boolean}).notReloaded = true
      })
      // The live script is listening (it marks the page on the relay's welcome).
      await page.locator('html[data-live="listening"]').waitFor({timeout: 30_000})
      const summary = `Published while the page was open (${Date.now()}).`
      await admin.patch(PAGE_ID).set({summary}).commit()
      await page.locator('p.summary').filter({hasText: summary}).waitFor({timeout: 60_000})
      expect(
        await page.evaluate(() => (window as unknown as {notReloaded?: boolean}).notReloaded),
      ).toBe(true)
      await shot(page, 'preview-c-public-page-updated')
    } finally {
      await context.close()
    }
  })
})
