/**
 * Issue #11 in a browser: a reviewer opens a report the intake filed and finds what the public
 * sent, its status and its assignee read-only, no Delete (nor Duplicate, nor Erase) among its
 * actions, and the audit trail listing each move, including the one they just made. An
 * administrator's "Erase report" replaces the report and its reporter's address with their
 * erasure records, in one transaction.
 *
 * Needs Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium) and a built Studio (`E2E_STUDIO_DIR`,
 * default `studio-dist/`; the e2e global setup builds it).
 */
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'

import type {SanityClient} from '@sanity/client'
import {type Browser, chromium, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {INTAKE_IDENTITY} from '../../app/lake'
import {CONTACT_ERASURE_TYPE, contactIdFor, contactOf} from '../../feedback/contact'
import {fileReport, moveReport} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'
import {chooseAction} from './studioActions'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const STUDIO_DIR = resolve(process.env['E2E_STUDIO_DIR'] ?? 'studio-dist')
const ID = 'feedback.e2e-integrity'
const WRONG = 'The HCPC register link opens a page that no longer exists'
const reviewerName = 'Rita Reviewer'
const ERASED_ID = 'feedback.e2e-erase'
const ERASED_TEXT = 'The page about echocardiography training says the course is closed'
const ADDRESS = 'erase.me@example.org'

let lake: TestLake
let browser: Browser
let reviewerToken: string
let reviewer: SanityClient

beforeAll(async () => {
  lake = await startTestLake({studioDir: STUDIO_DIR})
  await fileReport(lake, {
    _id: ID,
    whatDoing: 'Checking how to register as a clinical scientist',
    whatWentWrong: WRONG,
    url: 'https://www.healthcareers.nhs.uk/cardiac-sciences',
    path: '/cardiac-sciences',
  })
  reviewerToken = lake.createToken('reviewer', reviewerName)
  reviewer = lake.client({token: reviewerToken})
  // Filed as the intake files one with an address: the report and its contact together.
  await lake.session(INTAKE_IDENTITY).mutate([
    {
      createIfNotExists: {
        _id: ERASED_ID,
        _type: 'feedbackSubmission',
        status: 'new',
        url: 'https://www.healthcareers.nhs.uk/a',
        path: '/a',
        whatDoing: 'Reading about training',
        whatWentWrong: ERASED_TEXT,
        category: 'content-wrong',
        contactConsent: true,
        submittedAt: new Date().toISOString(),
        fingerprint: 'f2',
        userAgent: 'Tests/1.0',
        piiMasked: false,
      },
    },
    {create: {...contactOf(ERASED_ID, ADDRESS)}},
  ])
  // The first move, and the assignment, made as the Studio's actions make them.
  await moveReport(reviewer, ID, 'triaged')
  await reviewer.patch(ID).set({assignee: 'p-someone'}).commit()
  browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox']})
})

afterAll(async () => {
  await browser?.close()
  await lake?.close()
})

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${lake.url}/studio/`)
  await page.getByText('Local lake').click()
  await page.locator('#token').fill(token)
  await page.getByRole('button', {name: 'Sign in'}).click()
  await page.waitForURL(/\/studio/)
}

const menuItems = (page: Page) => page.locator('[role="menuitem"]:visible')

/** The action menu's item texts, opened afresh (items re-render as the document changes). */
async function actionTexts(page: Page): Promise<string[]> {
  if ((await menuItems(page).count()) > 0) await page.keyboard.press('Escape')
  await expect.poll(() => menuItems(page).count()).toBe(0)
  await page.locator('[data-testid="action-menu-button"]').last().click()
  await menuItems(page).first().waitFor()
  const texts = await menuItems(page).allInnerTexts()
  await page.keyboard.press('Escape')
  await expect.poll(() => menuItems(page).count()).toBe(0)
  return texts.map((t) => t.trim())
}

async function stored(): Promise<Record<string, unknown> | undefined> {
  return lake.client().getDocument<Record<string, unknown>>(ID)
}

describe("a reviewer's report form", () => {
  it.skipIf(!existsSync(CHROMIUM) || !existsSync(STUDIO_DIR))(
    "shows the public's fields, status and assignee read-only, offers no Delete, and lists each move",
    async () => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: {width: 1400, height: 1000},
      })
      const page = await context.newPage()
      await signIn(page, reviewerToken)
      await page.goto(`${lake.url}/studio/structure/feedback;feedback-triaged`)
      await page.getByText(WRONG).first().click({timeout: 30_000})
      await page.waitForURL(/feedback\.e2e-integrity/)

      // Every field on one screen.
      await page.getByRole('tab', {name: 'All fields'}).click()

      // What the public sent, the status and the assignee: shown, and not editable.
      const inputs = {
        whatWentWrong: page.locator('textarea#whatWentWrong'),
        whatDoing: page.locator('textarea#whatDoing'),
        url: page.locator('input#url'),
        path: page.locator('input#path'),
        userAgent: page.locator('input#userAgent'),
        status: page.locator('#status'),
        assignee: page.locator('input#assignee'),
      }
      await expect.poll(() => inputs.whatWentWrong.inputValue(), {timeout: 30_000}).toBe(WRONG)
      await expect.poll(() => inputs.assignee.inputValue()).toBe('p-someone')
      for (const [name, input] of Object.entries(inputs)) {
        await input.waitFor({timeout: 10_000})
        expect(await input.isEditable(), `${name} is read-only`).toBe(false)
      }

      // The actions: the workflow's moves, assign, note; nothing the lake would refuse.
      const texts = await actionTexts(page)
      expect(texts).toContain('Next step: In progress')
      for (const refused of ['Delete', 'Duplicate', 'Unpublish', 'Erase report']) {
        expect(
          texts.some((t) => t.startsWith(refused)),
          refused,
        ).toBe(false)
      }

      // A move made here joins the audit trail, after the earlier one.
      await page.locator('[data-testid="action-menu-button"]').last().click()
      await menuItems(page).filter({hasText: 'Next step: In progress'}).first().click()
      await expect
        .poll(async () => (await stored())?.['status'], {timeout: 30_000})
        .toBe('in-progress')
      const trail = page.locator('[data-testid="pane-content"]')
      await trail.getByText('New → Triaged').first().waitFor({timeout: 30_000})
      await trail.getByText('Triaged → In progress').first().waitFor({timeout: 30_000})
      expect(await trail.getByText(`by ${reviewerName}`).count()).toBeGreaterThanOrEqual(2)
      expect((await stored())?.['auditTrail']).toMatchObject([
        {from: 'new', to: 'triaged', byName: reviewerName},
        {from: 'triaged', to: 'in-progress', byName: reviewerName},
      ])
      await context.close()
    },
  )
})

describe("an administrator's Erase report", () => {
  it.skipIf(!existsSync(CHROMIUM) || !existsSync(STUDIO_DIR))(
    'replaces the report and its address with their erasure records, asking why first',
    async () => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: {width: 1400, height: 1000},
      })
      const page = await context.newPage()
      await signIn(page, lake.adminToken)
      await page.goto(`${lake.url}/studio/structure/feedback;feedback-new`)
      await page.getByText(ERASED_TEXT).first().click({timeout: 30_000})
      await page.waitForURL(/feedback\.e2e-erase/)
      await chooseAction(page, 'Erase report')
      const dialog = page.getByRole('dialog')
      // No reason, no erasure.
      await dialog.getByRole('button', {name: 'Erase report'}).click()
      await dialog.getByText('Say why the report is erased').waitFor()
      expect((await lake.client().getDocument(ERASED_ID))?._type).toBe('feedbackSubmission')
      await dialog.locator('textarea').fill('The reporter asked us to')
      await dialog.getByRole('button', {name: 'Erase report'}).click()
      await expect
        .poll(async () => (await lake.client().getDocument(ERASED_ID))?._type, {timeout: 30_000})
        .toBe('feedbackErasure')
      const address = await lake.client().getDocument(contactIdFor(ERASED_ID))
      expect(address?._type).toBe(CONTACT_ERASURE_TYPE)
      expect(JSON.stringify(address)).not.toContain(ADDRESS)
      // One transaction wrote both.
      const erasedRev = (await lake.client().getDocument(ERASED_ID))?._rev
      expect(address?._rev).toBe(erasedRev)
      await context.close()
    },
  )
})
