/**
 * The whole loop in a browser: a reader posts the page's feedback form (no JavaScript), the
 * report appears in the Studio's inbox, and a reviewer signed in with their own token triages it,
 * starts it, tries a move the workflow forbids, and resolves it with a note.
 *
 * Needs Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium) and a built Studio whose config
 * wires `studio/feedback` (`E2E_STUDIO_DIR`, default `studio-dist/`; the e2e global setup builds
 * it). The page with the form is the real frontend's (`web/server`), whose intake writes to the
 * lake exactly as `npm run dev` wires it.
 */
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import {type Browser, chromium, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createFeedbackIntakeFromEnv} from '../../intake/mount'
import {type RunningWeb, startWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'
import {chooseAction, menuItem, menuOpen, signIn} from './studioActions'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const STUDIO_DIR = resolve(process.env['E2E_STUDIO_DIR'] ?? 'studio-dist')
const PAGE_PATH = '/cardiac-sciences'

let lake: TestLake
let web: RunningWeb
let browser: Browser
const reviewerName = 'Rita Reviewer'

beforeAll(async () => {
  process.env['FEEDBACK_RATE_LIMIT'] = '100/60'
  lake = await startTestLake({studioDir: STUDIO_DIR})
  const admin = lake.client()
  await admin.createOrReplace({
    _id: 'page-cardiac-sciences',
    _type: 'page',
    title: 'Cardiac sciences',
    slug: {_type: 'slug', current: 'cardiac-sciences'},
  })
  web = await startWeb({
    port: 0,
    lakeUrl: lake.url,
    lakeDataDir: lake.dataDir,
    feedbackHandler: createFeedbackIntakeFromEnv({lakeUrl: lake.url, lakeDataDir: lake.dataDir}),
  })
  browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox']})
})

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await lake?.close()
})

/** Waits until the Studio shows the report's new state in its status badge. */
async function badgeShows(page: Page, title: string): Promise<void> {
  await page.locator('[data-testid="pane-footer"]').getByText(title, {exact: true}).waitFor()
}

async function statusOf(id: string): Promise<Record<string, unknown> | undefined> {
  return lake.client().getDocument<Record<string, unknown>>(id)
}

describe('feedback, from the page to resolved', () => {
  it.skipIf(!existsSync(CHROMIUM) || !existsSync(STUDIO_DIR))(
    'a form post appears in the inbox and is triaged, started and resolved',
    async () => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: {width: 1400, height: 900},
      })
      const page = await context.newPage()

      // The reader: no JavaScript needed, the form posts and is redirected back.
      await page.goto(`${web.url}${PAGE_PATH}`)
      await page.getByText('Make a comment or report a problem with this page').click()
      // A person takes longer than the intake's 4-second rule; a test filling in at once is a bot.
      await page.waitForTimeout(4_500)
      await page.getByLabel('A link is broken').check()
      await page.locator('#whatDoing').fill('Looking for the HSST entry requirements')
      await page.locator('#whatWentWrong').fill('The link to the HSST page goes to a missing page')
      await page.getByRole('button', {name: 'Send'}).click()
      await page.waitForURL(/feedback=sent/)
      expect(await page.getByRole('status').innerText()).toBe('Thank you for your feedback.')

      const [report] = await lake
        .client()
        .fetch<{_id: string; status: string; page: {_ref: string}}[]>(
          '*[_type == "feedbackSubmission"]{_id, status, page}',
        )
      expect(report).toMatchObject({status: 'new', page: {_ref: 'page-cardiac-sciences'}})
      const id = report?._id ?? ''

      // The reviewer: the report is in the "New" inbox.
      await signIn(page, lake.url, lake.createToken('reviewer', reviewerName))
      await page.goto(`${lake.url}/studio/structure/feedback;feedback-new`)
      await page
        .getByText('Assigned to me')
        .first()
        .waitFor({timeout: 30_000})
        .catch(() => {
          throw new Error(
            'The Studio shows no "Feedback" structure: sanity.config.ts must wire studio/feedback (see studio/feedback/index.ts).',
          )
        })
      await page.getByText('The link to the HSST page goes to a missing page').first().click()
      await page.waitForURL(new RegExp(id.replace('.', '\\.')))

      // A move the workflow does not allow from "New" is shown, disabled.
      await page.locator('[data-testid="action-menu-button"]').last().click()
      await expect(menuItem(page, 'Move to: Resolved').isDisabled()).resolves.toBe(true)
      await expect(menuItem(page, 'Next step: Triaged').isDisabled()).resolves.toBe(false)
      await page.keyboard.press('Escape')
      await expect.poll(() => menuOpen(page)).toBe(false)

      // Take it: it shows in "Assigned to me" for this reviewer.
      await chooseAction(page, 'Assign to me')
      await expect
        .poll(async () => (await statusOf(id))?.['assignee'], {timeout: 30_000})
        .toMatch(/^p-/)
      await page.goto(`${lake.url}/studio/structure/feedback;feedback-assigned-to-me`)
      await page.getByText('The link to the HSST page goes to a missing page').first().click()
      await page.waitForURL(new RegExp(id.replace('.', '\\.')))

      // Triage: the usual next step, first in the menu.
      await chooseAction(page, 'Next step: Triaged')
      await expect
        .poll(async () => (await statusOf(id))?.['status'], {timeout: 30_000})
        .toBe('triaged')
      await badgeShows(page, 'Triaged')

      await chooseAction(page, 'Next step: In progress')
      await expect
        .poll(async () => (await statusOf(id))?.['status'], {timeout: 30_000})
        .toBe('in-progress')
      await badgeShows(page, 'In progress')

      // Resolving asks for the note; without one it is refused.
      await chooseAction(page, 'Next step: Resolved')
      const dialog = page.getByRole('dialog')
      await dialog.getByRole('button', {name: 'Mark as "Resolved"'}).click()
      await dialog.getByText('Say what was changed').waitFor()
      expect((await statusOf(id))?.['status']).toBe('in-progress')
      await dialog.locator('textarea').fill('Pointed the HSST link at the new NSHCS page')
      await dialog.getByRole('button', {name: 'Mark as "Resolved"'}).click()
      await expect
        .poll(async () => (await statusOf(id))?.['status'], {timeout: 30_000})
        .toBe('resolved')
      expect(await statusOf(id)).toMatchObject({
        resolutionNote: 'Pointed the HSST link at the new NSHCS page',
      })

      // The resolved report has left the open inbox and shows in "Resolved".
      await page.goto(`${lake.url}/studio/structure/feedback;feedback-resolved`)
      await page.getByText('The link to the HSST page goes to a missing page').first().waitFor()
      await context.close()
    },
  )
})
