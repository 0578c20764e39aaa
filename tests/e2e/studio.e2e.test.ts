/**
 * The Studio as editors use it, in Debian's Chromium against `npm run dev` on loopback: the
 * seeded pages are listed, a page edit is published and read back by a public GROQ query, a
 * specialism's route through a national programme is created with the qualification it awards, a validation error
 * blocks publishing with its editor-facing message, and a second browser sees an edit live.
 *
 * Needs Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium). The global setup builds
 * `studio-dist/` when stale, so `scripts/dev.ts` starts without building. Screenshots and step
 * timings go to `test-output/e2e/`.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import type {SanityClient} from '@sanity/client'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createContentClient} from '../../lib/client'
import {addMonths} from '../../studio/review/reviewDates'
import {type DevStack, launchChromium, startDevStack} from './devStack'
import {eventually, settlesTo} from './studioActions'

const OUTPUT = resolve('test-output/e2e')
const PAGE_ID = 'page-training-development-registration-cardiac-sciences'
const PAGE_TITLE = 'Training, development and registration (cardiac sciences)'
const QUALIFICATION_ID = 'qualification-msc-clinical-science-cardiac'
const TITLE_REQUIRED = 'Every page needs a title: it is the heading and the browser tab.'

let stack: DevStack
let browser: Browser
let admin: SanityClient
let anonymous: SanityClient
const timings: Record<string, number> = {}

/** A signed-in editor's browser context (the Studio takes the token from `#token=`). */
async function openStudio(path: string): Promise<{context: BrowserContext; page: Page}> {
  const context = await browser.newContext({
    viewport: {width: 1400, height: 900},
    ignoreHTTPSErrors: true,
  })
  const page = await context.newPage()
  await page.goto(`${stack.studioUrl}/${path}#token=${stack.token}`)
  return {context, page}
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({path: join(OUTPUT, `${name}.png`)})
}

/** Runs a step and records how long it took (reported in `test-output/e2e/timings.json`). */
async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now()
  try {
    return await step()
  } finally {
    timings[name] = Date.now() - started
  }
}

/**
 * Publish is briefly enabled after an edit, before validation has run on the new value: wait
 * until it has stayed enabled for a second.
 */
const documentPath = (id: string) => `structure/pages;all-pages;${id}`

beforeAll(async () => {
  mkdirSync(OUTPUT, {recursive: true})
  stack = await timed('start npm run dev', startDevStack)
  const clientOptions = {lakeUrl: stack.lakeUrl, lakeDataDir: stack.dataDir}
  admin = createContentClient({...clientOptions, token: stack.token, perspective: 'raw'})
  anonymous = createContentClient({...clientOptions, perspective: 'published'})
  browser = await launchChromium({trustLake: true})
})

afterAll(async () => {
  await browser?.close()
  const output = stack?.output() ?? ''
  await stack?.stop()
  writeFileSync(join(OUTPUT, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`)
  console.log('Studio e2e step timings (ms):', timings)
  if (output.includes('[npm run dev exited')) console.log(`npm run dev output:\n${output}`)
})

describe('the Studio against the local lake', () => {
  it('1. loads authenticated and lists the seeded pages', async () => {
    const seeded = await admin.fetch<string[]>(
      '*[_type == "page" && !(_id in path("drafts.**"))].title',
    )
    expect(seeded).toContain(PAGE_TITLE)
    const {context, page} = await openStudio('structure/pages;all-pages')
    const list = page.locator('[data-testid="document-list-pane"]')
    await timed('1 studio loads and lists pages', async () => {
      for (const title of seeded) await list.getByText(title).first().waitFor({timeout: 60_000})
    })
    // Authenticated: the navbar, not the sign-in screen, and the lake knows who is asking.
    expect(await page.locator('[data-testid="studio-navbar"]').isVisible()).toBe(true)
    expect(await page.getByText('Choose login provider').count()).toBe(0)
    await shot(page, '01-pages-listed')
    await context.close()
  })

  it('2. an edit to the cardiac sciences body is published and public GROQ sees it', async () => {
    const stamp = `Checked in the browser test ${Date.now()}.`
    const {context, page} = await openStudio(documentPath(PAGE_ID))
    await timed('2 edit body, publish, public query sees it', async () => {
      const firstBlock = page.locator('[data-testid="field-body"] [data-testid="text-block__text"]')
      await firstBlock.first().waitFor({timeout: 60_000})
      // The first block is the "Training and development" heading: plain text, no links to hit.
      // Clicking at its far right puts the caret after the last character.
      const box = await firstBlock.first().boundingBox()
      if (!box) throw new Error('The body has no visible first block')
      await firstBlock.first().click({position: {x: box.width - 2, y: box.height / 2}})
      await page.keyboard.type(` ${stamp}`)
      const publish = page.locator('[data-testid="action-publish"]')
      await settlesTo(publish, true)
      await shot(page, '02a-body-edited')
      await publish.click()
      const text = await eventually('the public query to see the edit', async () => {
        const body = await anonymous.fetch<string | null>(
          '*[_id == $id][0]{"text": pt::text(body)}.text',
          {id: PAGE_ID},
        )
        return body?.includes(stamp) ? body : undefined
      })
      expect(text).toContain(`Training and development ${stamp}`)
    })
    // Published, not left as a draft: the public answer came from the published document.
    expect(await admin.getDocument(`drafts.${PAGE_ID}`)).toBeUndefined()
    await shot(page, '02b-published')
    await context.close()
  })

  it('3. an editor browses to a specialism, adds its route through a national programme with its awards, and publishes', async () => {
    const name = `STP in cardiac sciences (test ${Date.now()})`
    const {context, page} = await openStudio(
      'structure/by-area;careerArea-healthcare-science;themes;theme-physiological-sciences;specialisms;specialism-cardiac-sciences;trainingRoute-under',
    )
    const created = await timed(
      '3 create route, link specialism and qualification, publish',
      async () => {
        // The lists above stay open to the left; the specialism's routes are the last pane.
        const pane = page.locator('[data-testid="document-list-pane"]').last()
        await pane.waitFor({timeout: 60_000})
        // The list's own "new" button files the route under the specialism (template).
        await page.locator('[data-testid="action-intent-button"]').last().click()
        // Sanity gives each top-level field's input the field's name as its id.
        const nameInput = page.locator('input#name')
        await nameInput.waitFor({timeout: 30_000})
        await nameInput.fill(name)
        // The specialism comes from where the editor started; the programme is chosen.
        await page.locator('input#programme').fill('STP')
        await page
          .getByRole('option')
          .filter({hasText: /Scientist Training Programme/})
          .first()
          .click({timeout: 20_000})
        await eventually('the programme to be saved in the draft', async () => {
          const draft = await admin.fetch<string | null>(
            '*[_type == "trainingRoute" && name == $name][0].programme._ref',
            {name},
          )
          return draft ?? undefined
        })
        await page.locator('textarea#summary').fill('Three years, salaried, in cardiac science.')
        await page.getByRole('tab', {name: 'Awards and roles'}).click()
        const awards = page.locator('[data-testid="field-awards"]')
        await awards.getByRole('button', {name: /Add item/}).click()
        await awards.locator('input').last().fill('MSc')
        await page.getByRole('option').filter({hasText: /MSc/}).first().click({timeout: 20_000})
        await eventually('the award to be saved in the draft', async () => {
          const draft = await admin.fetch<string | null>(
            '*[_type == "trainingRoute" && name == $name][0].awards[0]._ref',
            {name},
          )
          return draft ?? undefined
        })
        await shot(page, '03a-route-filled')
        const publish = page.locator('[data-testid="action-publish"]')
        await settlesTo(publish, true)
        await publish.click()
        return eventually('the route to be published', async () => {
          const doc = await admin.fetch<Record<string, unknown> | null>(
            '*[_type == "trainingRoute" && name == $name && !(_id in path("drafts.**"))][0]',
            {name},
          )
          return doc ?? undefined
        })
      },
    )
    expect(created['programme']).toMatchObject({_ref: 'programme-stp'})
    expect(created['partOf']).toMatchObject({_ref: 'specialism-cardiac-sciences'})
    const publicView = await anonymous.fetch<{awards: string[]; programme: string} | null>(
      '*[_type == "trainingRoute" && name == $name][0]{"awards": awards[]->_id, "programme": programme->acronym}',
      {name},
    )
    expect(publicView).toEqual({awards: [QUALIFICATION_ID], programme: 'STP'})
    await shot(page, '03b-route-published')
    await context.close()
  })

  it('4. a validation error blocks publishing and tells the editor why', async () => {
    const {context, page} = await openStudio(documentPath(PAGE_ID))
    await timed('4 validation error blocks publish', async () => {
      const title = page.locator('[data-testid="field-title"] input')
      await title.waitFor({timeout: 60_000})
      await title.fill('')
      const errorIcon = page.locator(
        '[data-testid="field-title"] [data-testid="input-validation-icon-error"]',
      )
      await errorIcon.waitFor({timeout: 20_000})
      await errorIcon.hover()
      await page.getByText(TITLE_REQUIRED).first().waitFor({state: 'visible', timeout: 10_000})
      const publish = page.locator('[data-testid="action-publish"]')
      // The draft exists (the edit was saved) yet publishing stays off while the error stands.
      await eventually('the draft to be saved', async () =>
        (await admin.getDocument(`drafts.${PAGE_ID}`)) ? true : undefined,
      )
      await page.waitForTimeout(1000)
      expect(await publish.isDisabled()).toBe(true)
    })
    await shot(page, '04-validation-blocks-publish')
    const published = await anonymous.fetch<string>('*[_id == $id][0].title', {id: PAGE_ID})
    expect(published).toBe(PAGE_TITLE)
    // Leave the page as it was for the next step.
    await admin.delete(`drafts.${PAGE_ID}`)
    await context.close()
  })

  it('5. a second browser sees the first one’s edit in real time', async () => {
    const summary = `Live summary ${Date.now()}`
    const first = await openStudio(documentPath(PAGE_ID))
    const second = await openStudio(documentPath(PAGE_ID))
    const firstSummary = first.page.locator('textarea#summary')
    const secondSummary = second.page.locator('textarea#summary')
    await timed('5a two contexts open the page', () =>
      Promise.all([
        firstSummary.waitFor({timeout: 60_000}),
        secondSummary.waitFor({timeout: 60_000}),
      ]),
    )
    await timed('5b edit reaches the second context', async () => {
      await firstSummary.fill(summary)
      await expect.poll(() => secondSummary.inputValue(), {timeout: 20_000}).toBe(summary)
    })
    await shot(first.page, '05a-first-context-edits')
    await shot(second.page, '05b-second-context-sees-it')
    await first.context.close()
    await second.context.close()
  })

  it('6. a page past its review date is listed, badged, and "Mark reviewed" publishes new dates', async () => {
    // Discard step 5's draft and make the published page overdue.
    await admin.delete(`drafts.${PAGE_ID}`)
    await admin
      .patch(PAGE_ID)
      .set({lastReviewed: '2025-01-10', nextReviewDue: '2026-01-10'})
      .commit()
    const {context, page} = await openStudio('structure/pages;pages-review-due')
    const today = new Date().toISOString().slice(0, 10)
    await timed('6 review due listed, mark reviewed', async () => {
      await page
        .locator('[data-testid="document-list-pane"]')
        .getByText(PAGE_TITLE)
        .first()
        .click({timeout: 60_000})
      const footer = page.locator('[data-testid="pane-footer"]')
      await footer.getByText('Review due', {exact: true}).waitFor({timeout: 30_000})
      await shot(page, '06a-review-due')
      await page.locator('[data-testid="action-menu-button"]').last().click()
      await page.getByRole('menuitem', {name: /Mark reviewed/}).click()
      await eventually('the review dates to be published', async () => {
        const doc = await anonymous.fetch<{lastReviewed?: string} | null>(
          '*[_id == $id][0]{lastReviewed}',
          {id: PAGE_ID},
        )
        return doc?.lastReviewed === today ? true : undefined
      })
    })
    const published = await admin.getDocument(PAGE_ID)
    expect(published?.['nextReviewDue']).toBe(addMonths(today, 12))
    await eventually('the draft to be gone', async () =>
      (await admin.getDocument(`drafts.${PAGE_ID}`)) ? undefined : true,
    )
    await shot(page, '06b-marked-reviewed')
    await context.close()
  })
})
