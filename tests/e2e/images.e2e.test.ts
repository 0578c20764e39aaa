/**
 * An image from the Studio to the public site, in Debian's Chromium against `npm run dev`: an
 * editor uploads a PNG into a career role's image field, cannot publish it without alternative
 * text, adds it, publishes; a reader then opens the role's public page and the browser loads the
 * image resized, from the site's own origin.
 *
 * The reader's browser context does not ignore certificate errors (only the Studio's does, as an
 * editor who accepted the lake's certificate would): the image must reach a reader who never
 * trusted the lake's self-signed certificate, which is why the frontend proxies `/images/...`.
 */
import {mkdirSync} from 'node:fs'
import {join, resolve} from 'node:path'

import type {SanityClient} from '@sanity/client'
import type {Browser, Page, Response} from 'playwright-core'
import sharp from 'sharp'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createContentClient} from '../../lib/client'
import {type DevStack, launchChromium, startDevStack} from './devStack'
import {eventually, settlesTo} from './studioActions'

const OUTPUT = resolve('test-output/e2e')
const ALT = 'A clinical scientist checking a heart trace on a monitor'
const ALT_REQUIRED = 'Describe the image for people who cannot see it'

let stack: DevStack
let browser: Browser
let admin: SanityClient
let anonymous: SanityClient
let role: {_id: string; slug: string; title: string}

/** A 1600×900 PNG from raw pixels: large enough that the page asks for smaller widths. */
async function pngFile(): Promise<Buffer> {
  const [width, height] = [1600, 900]
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3
      pixels[at] = Math.floor((x / width) * 255)
      pixels[at + 1] = Math.floor((y / height) * 255)
      pixels[at + 2] = 160
    }
  }
  return sharp(pixels, {raw: {width, height, channels: 3}})
    .png()
    .toBuffer()
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({path: join(OUTPUT, `${name}.png`)})
}

beforeAll(async () => {
  mkdirSync(OUTPUT, {recursive: true})
  stack = await startDevStack()
  const clientOptions = {lakeUrl: stack.lakeUrl, lakeDataDir: stack.dataDir}
  admin = createContentClient({...clientOptions, token: stack.token, perspective: 'raw'})
  anonymous = createContentClient({...clientOptions, perspective: 'published'})
  role = await admin.fetch(
    '*[_type == "careerRole" && defined(slug.current) && !(_id in path("drafts.**"))] | order(_id asc)[0]{_id, "slug": slug.current, "title": name}',
  )
  // The reader's context must not trust the lake's certificate (the editor's ignores its errors).
  browser = await launchChromium({trustLake: false})
})

afterAll(async () => {
  await browser?.close()
  const output = stack?.output() ?? ''
  await stack?.stop()
  if (output.includes('[npm run dev exited')) console.log(`npm run dev output:\n${output}`)
})

describe('an image from the Studio to the public page', () => {
  it('an editor uploads an image, cannot publish without alt text, adds it and publishes', async () => {
    const context = await browser.newContext({
      viewport: {width: 1400, height: 900},
      // The editor has accepted the lake's certificate, as README's set-up asks.
      ignoreHTTPSErrors: true,
    })
    const page = await context.newPage()
    await page.goto(`${stack.studioUrl}/structure/careerRole;${role._id}#token=${stack.token}`)
    // The role's one file input is its image field's (hidden behind "Upload").
    const fileInput = page.locator('input[type="file"]').first()
    await fileInput.waitFor({state: 'attached', timeout: 60_000}).catch(async (error: unknown) => {
      await shot(page, 'images-00-no-image-field')
      throw error
    })
    await fileInput.setInputFiles({
      name: 'clinical-scientist.png',
      mimeType: 'image/png',
      buffer: await pngFile(),
    })
    const assetId = await eventually('the upload to reach the draft', async () => {
      const draft = await admin.getDocument<{image?: {asset?: {_ref?: string}}}>(
        `drafts.${role._id}`,
      )
      return draft?.image?.asset?._ref
    })
    expect(assetId).toMatch(/^image-[0-9a-f]{40}-1600x900-png$/)

    // Not decorative and no alt text: the field says why, and Publish stays off.
    const publish = page.locator('[data-testid="action-publish"]')
    const altField = page.locator('[data-testid="field-image.alt"]')
    await altField.waitFor({timeout: 20_000})
    const altError = altField.locator('[data-testid="input-validation-icon-error"]')
    await altError.waitFor({timeout: 20_000})
    await altError.hover()
    await page.getByText(ALT_REQUIRED).first().waitFor({state: 'visible', timeout: 10_000})
    await settlesTo(publish, false)
    await shot(page, 'images-01-alt-required')
    expect(await anonymous.fetch('*[_id == $id][0].image', {id: role._id})).toBeNull()

    await altField.locator('input').fill(ALT)
    await settlesTo(publish, true)
    await publish.click()
    await eventually('the public to see the published image', async () => {
      const alt = await anonymous.fetch<string | null>('*[_id == $id][0].image.alt', {
        id: role._id,
      })
      return alt === ALT ? alt : undefined
    })
    await shot(page, 'images-02-published')
    await context.close()
  })

  it('a reader sees it resized on the public page, loaded from the site’s own origin', async () => {
    const context = await browser.newContext({viewport: {width: 800, height: 700}})
    const page = await context.newPage()
    const images = new Map<string, Response>()
    page.on('response', (response) => {
      if (response.request().resourceType() === 'image') images.set(response.url(), response)
    })
    await page.goto(`${stack.webUrl}/roles/${role.slug}`)
    const img = page.locator(`img[alt="${ALT}"]`)
    await img.waitFor({state: 'attached', timeout: 20_000})
    expect(await img.getAttribute('loading')).toBe('lazy')
    expect(await img.getAttribute('decoding')).toBe('async')
    expect(await img.getAttribute('width')).toBe('1600')
    expect(await img.getAttribute('height')).toBe('900')
    const srcset = (await img.getAttribute('srcset')) ?? ''
    const widths = srcset.split(', ').map((entry) => entry.split(' ')[1])
    expect(widths).toEqual(['160w', '320w', '480w', '640w', '960w', '1280w', '1600w'])
    for (const entry of srcset.split(', ')) {
      const [url = '', descriptor = ''] = entry.split(' ')
      expect(url).toMatch(/^\/images\/local\/production\/[0-9a-f]{40}-1600x900\.png\?/)
      expect(url).toContain(`w=${descriptor.slice(0, -1)}`)
    }
    // Lazy: scrolled into view, the browser picks one width for its viewport and loads it.
    await img.scrollIntoViewIfNeeded()
    const loaded = await eventually('the image to load', async () => {
      const state = await img.evaluate((element: HTMLImageElement) => ({
        complete: element.complete,
        naturalWidth: element.naturalWidth,
        currentSrc: element.currentSrc,
      }))
      return state.complete && state.naturalWidth > 0 ? state : undefined
    })
    const chosen = new URL(loaded.currentSrc)
    expect(chosen.origin).toBe(new URL(stack.webUrl).origin)
    const askedWidth = Number(chosen.searchParams.get('w'))
    expect(askedWidth).toBeLessThan(1600)
    // naturalWidth is in CSS pixels (the srcset width over the density it gave); the bytes say
    // what the lake made.
    expect(loaded.naturalWidth).toBeGreaterThan(0)
    const response = images.get(loaded.currentSrc)
    expect(response?.status()).toBe(200)
    // Chromium accepts AVIF and WebP, so `auto=format` serves one of them.
    expect(response?.headers()['content-type']).toMatch(/^image\/(avif|webp)$/)
    const decoded = await sharp(await response!.body()).metadata()
    expect(decoded.width).toBe(askedWidth)
    expect(decoded.height).toBe(Math.round((askedWidth * 900) / 1600))
    await shot(page, 'images-03-public-page')
    await context.close()
  })
})
