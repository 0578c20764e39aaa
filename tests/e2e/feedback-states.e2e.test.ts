/**
 * The page's feedback section in every state a reader meets (empty, filled, error, sent,
 * rate-limited, and "Is this page useful?"), with and without JavaScript, in Chromium against the
 * real frontend, its intake and a real lake. Each state passes axe-core's WCAG 2.2 A/AA rules,
 * and the radios, the checkbox and the buttons are at least 24 by 24 CSS pixels.
 */
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'

import {type Browser, type BrowserContext, chromium, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {usefulCounterId, usefulDay} from '../../feedback/useful'
import {createFeedbackIntakeFromEnv} from '../../intake/mount'
import {type RunningWeb, startWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const PAGE_PATH = '/cardiac-sciences'
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

let lake: TestLake
/** Reports limited as in production (1 a minute), and one with room for every test's report. */
let limited: RunningWeb
let roomy: RunningWeb
let browser: Browser

beforeAll(async () => {
  lake = await startTestLake()
  await lake.client().createOrReplace({
    _id: 'page-cardiac-sciences',
    _type: 'page',
    title: 'Cardiac sciences',
    slug: {_type: 'slug', current: 'cardiac-sciences'},
    summary: 'Training, development and registration in cardiac sciences.',
  })
  const start = (rateLimit: {limit: number; windowMs: number}) =>
    startWeb({
      port: 0,
      lakeUrl: lake.url,
      lakeDataDir: lake.dataDir,
      feedbackIntake: (renderPage) =>
        createFeedbackIntakeFromEnv({
          lakeUrl: lake.url,
          lakeDataDir: lake.dataDir,
          renderPage,
          rateLimit,
          // A test fills the form at once; the timing rule would file it as spam (still 303).
          spamRules: {minFillMs: 0},
        }),
    })
  limited = await start({limit: 1, windowMs: 60_000})
  roomy = await start({limit: 1000, windowMs: 60_000})
  browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox']})
})

afterAll(async () => {
  await browser?.close()
  await limited?.close()
  await roomy?.close()
  await lake?.close()
})

/** axe-core's WCAG 2.2 A/AA rules on one part of the page; the violations, summarised. */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({path: AXE})
  const results = await page.evaluate(
    async ([include, tags]) => {
      const axe = (window as unknown as {axe: {run: Function}}).axe
      return axe.run({include: [include]}, {runOnly: {type: 'tag', values: tags}})
    },
    [selector, WCAG_22_AA] as const,
  )
  return (results as {violations: {id: string; nodes: {target: string[]}[]}[]}).violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  )
}

/** Every radio, checkbox and button in the section that is smaller than 24 by 24 CSS px. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.$$eval(
    '#feedback input[type=radio], #feedback input[type=checkbox], #feedback button',
    (elements) =>
      elements.flatMap((element) => {
        const box = element.getBoundingClientRect()
        return box.width < 24 || box.height < 24
          ? [`${element.id || element.textContent}: ${box.width}x${box.height}`]
          : []
      }),
  )
}

async function openForm(page: Page): Promise<void> {
  if (!(await page.locator('#feedback details').evaluate((d) => (d as HTMLDetailsElement).open))) {
    await page.getByText('Make a comment or report a problem with this page').click()
  }
}

const modes = [
  {name: 'with JavaScript', javaScriptEnabled: true},
  {name: 'without JavaScript', javaScriptEnabled: false},
] as const

describe.skipIf(!existsSync(CHROMIUM))('the feedback section in every state', () => {
  for (const mode of modes) {
    describe(mode.name, () => {
      let context: BrowserContext
      let page: Page
      beforeAll(async () => {
        context = await browser.newContext({
          javaScriptEnabled: mode.javaScriptEnabled,
          // axe-core is injected as a script; the pages' own CSP would refuse it.
          bypassCSP: true,
        })
        page = await context.newPage()
      })
      afterAll(async () => context?.close())

      it('empty: the question and the closed form, large enough to touch', async () => {
        await page.goto(`${roomy.url}${PAGE_PATH}`)
        await expect(
          page.getByRole('heading', {name: 'Is this page useful?'}).count(),
        ).resolves.toBe(1)
        await openForm(page)
        expect(await smallTargets(page)).toEqual([])
        // axe-core runs as a page script: without JavaScript there is nothing to run it in, so
        // the same markup is checked in the JavaScript context (the server sends identical HTML).
        if (mode.javaScriptEnabled) expect(await axeViolations(page, '#feedback')).toEqual([])
      })

      it('error: the page itself again, a summary linking to each field, the form re-filled', async () => {
        await page.goto(`${roomy.url}${PAGE_PATH}`)
        await openForm(page)
        await page.locator('#whatWentWrong').fill('The HSST link goes nowhere')
        await page.locator('#contactEmail').fill('not-an-address')
        await page.locator('#contactConsent').check()
        await page.getByRole('button', {name: 'Send'}).click()
        // The 422 answer is the frontend's page: its heading, its summary, the form filled in.
        await expect(page.getByRole('heading', {level: 1}).innerText()).resolves.toBe(
          'Cardiac sciences',
        )
        const summary = page.locator('.error-summary')
        await expect(summary.innerText()).resolves.toContain('There is a problem')
        const link = summary.getByRole('link', {name: /correct format/})
        await expect(link.getAttribute('href')).resolves.toBe('#contactEmail')
        await expect(page.locator('#whatWentWrong').inputValue()).resolves.toBe(
          'The HSST link goes nowhere',
        )
        await expect(page.locator('#contactEmail').inputValue()).resolves.toBe('not-an-address')
        await expect(page.locator('#contactEmail').getAttribute('aria-invalid')).resolves.toBe(
          'true',
        )
        await expect(page.locator('#contactEmail-error').innerText()).resolves.toContain(
          'correct format',
        )
        expect(await smallTargets(page)).toEqual([])
        if (mode.javaScriptEnabled) expect(await axeViolations(page, '#feedback')).toEqual([])
      })

      it('filled and sent: back on the page at the thanks, which has focus with JavaScript', async () => {
        await page.goto(`${roomy.url}${PAGE_PATH}`)
        await openForm(page)
        await page.getByLabel('A link is broken').check()
        await page.locator('#whatDoing').fill(`Reading about training (${mode.name})`)
        await page.locator('#whatWentWrong').fill('The link to the register is broken')
        await page.locator('#contactConsent').check()
        await page.locator('#contactEmail').fill('reader@example.org')
        if (mode.javaScriptEnabled) expect(await axeViolations(page, '#feedback')).toEqual([])
        await page.getByRole('button', {name: 'Send'}).click()
        await page.waitForURL(/\?feedback=sent#feedback$/)
        const thanks = page.locator('#feedback-sent')
        await expect(thanks.getAttribute('role')).resolves.toBe('status')
        await expect(thanks.innerText()).resolves.toBe('Thank you for your feedback.')
        if (mode.javaScriptEnabled) {
          await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe(
            'feedback-sent',
          )
          expect(await axeViolations(page, '#feedback')).toEqual([])
        }
      })

      it('"No" opens the report form; "Yes" is thanked; both are counted', async () => {
        const id = usefulCounterId('page-cardiac-sciences', usefulDay(Date.now()))
        const before = (await lake.client().getDocument<{yes: number; no: number}>(id)) ?? {
          yes: 0,
          no: 0,
        }
        await page.goto(`${roomy.url}${PAGE_PATH}`)
        await page.getByRole('button', {name: /^No/}).click()
        await page.waitForURL(/\?useful=no#feedback$/)
        await expect(
          page.locator('#feedback details').evaluate((d) => (d as HTMLDetailsElement).open),
        ).resolves.toBe(true)
        await page.goto(`${roomy.url}${PAGE_PATH}`)
        await page.getByRole('button', {name: /^Yes/}).click()
        await page.waitForURL(/\?useful=yes#useful$/)
        await expect(page.locator('#useful [role=status]').innerText()).resolves.toBe(
          'Thank you for telling us.',
        )
        if (mode.javaScriptEnabled) expect(await axeViolations(page, '#feedback')).toEqual([])
        const after = await lake.client().getDocument<{yes: number; no: number}>(id)
        expect(after).toMatchObject({yes: before.yes + 1, no: before.no + 1})
      })
    })
  }

  it('rate-limited: a page in the site layout saying when to try again, with a way back', async () => {
    for (const javaScriptEnabled of [false, true]) {
      const context = await browser.newContext({javaScriptEnabled, bypassCSP: true})
      const page = await context.newPage()
      for (let attempt = 0; attempt < 2; attempt++) {
        await page.goto(`${limited.url}${PAGE_PATH}`)
        await openForm(page)
        await page
          .locator('#whatWentWrong')
          .fill(`Report ${attempt} (${String(javaScriptEnabled)})`)
        await page.getByRole('button', {name: 'Send'}).click()
        await page.waitForLoadState()
      }
      await expect(page.getByRole('heading', {level: 1}).innerText()).resolves.toBe(
        'You have sent a lot of feedback',
      )
      await expect(page.locator('main').innerText()).resolves.toMatch(
        /You can send another report in (1 minute|\d+ seconds)\./,
      )
      const back = page.getByRole('link', {name: 'Go back to the page'})
      await expect(back.getAttribute('href')).resolves.toBe(PAGE_PATH)
      if (javaScriptEnabled) expect(await axeViolations(page, 'main')).toEqual([])
      await context.close()
    }
  })
})
