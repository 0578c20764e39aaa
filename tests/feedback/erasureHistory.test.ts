/**
 * Erasing a report erases what the public wrote from the lake's history too (`redactsHistory` in
 * `app/lake.ts`): after an administrator erases a report and its reporter's address, the text
 * and the address are in no earlier revision (`?revision=`, `?time=`), not in the transaction
 * log, not in a live resume, not in an export, and in no table of the SQLite file; the lake
 * still restarts. Stock `@sanity/client` and plain HTTPS against a real careers lake.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {contactIdFor, reportErasures} from '../../feedback/contact'
import {submissionId} from '../../intake/id'
import {exportDocuments} from '../../scripts/lib/exportDataset'
import {intakeToken, moveReport, whoAmI} from '../helpers/feedback'
import {columnsHolding} from '../helpers/sqliteText'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'
import {JSON_TYPE, mountIntake, type MountedIntake, post} from './helpers'

const SITE = 'https://www.healthcareers.nhs.uk'
// Words the PII masking leaves alone, found nowhere else in a lake.
const TEXT = 'Marmalade quokkas nibble the lanterns'
const EMAIL = 'quokka.lantern@example.org'

const DAY = 24 * 60 * 60 * 1000
let now = Date.now()
const clock = () => now

const dataDir = mkdtempSync(join(tmpdir(), 'lake-erasure-'))
let lake: TestLake
let admin: SanityClient
let intake: MountedIntake
let reportId: string
let contactId: string
/** Each revision of the report and of its address before erasure, with its time. */
const earlier: {id: string; rev: string; time: string}[] = []
let firstTransaction: string

async function historyAt(id: string, query: string): Promise<string> {
  const response = await lakeFetch(
    lake,
    `/v2025-02-19/data/history/production/documents/${id}?${query}`,
    {token: lake.adminToken},
  )
  expect(response.status).toBe(200)
  return response.text
}

async function transactionLog(): Promise<string> {
  const response = await lakeFetch(
    lake,
    `/v2025-02-19/data/history/production/transactions/${reportId},${contactId}` +
      '?excludeContent=false&effectFormat=mendoza',
    {token: lake.adminToken},
  )
  expect(response.status).toBe(200)
  return response.text
}

/** What a live listener resuming after the report's filing is sent first (welcome and replay). */
async function liveResume(): Promise<string> {
  const controller = new AbortController()
  const response = await fetch(`${lake.url}/v2021-03-25/data/live/events/production`, {
    headers: {authorization: `Bearer ${lake.adminToken}`, 'last-event-id': firstTransaction},
    signal: controller.signal,
  })
  const reader = response.body!.getReader()
  let text = ''
  // The welcome and the replay are written in one piece; reading up to the welcome reads them.
  while (!text.includes('event: welcome')) {
    const {value, done} = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  controller.abort()
  return text
}

async function exported(): Promise<string> {
  const documents: unknown[] = []
  for await (const document of exportDocuments(admin)) documents.push(document)
  return JSON.stringify(documents)
}

async function expectNowhere(secret: string): Promise<void> {
  for (const {id, rev, time} of earlier) {
    expect(await historyAt(id, `revision=${rev}`), `${id} at ${rev}`).not.toContain(secret)
    expect(
      await historyAt(id, `time=${encodeURIComponent(time)}`),
      `${id} at ${time}`,
    ).not.toContain(secret)
  }
  expect(await transactionLog()).not.toContain(secret)
  expect(await liveResume()).not.toContain(secret)
  expect(await exported()).not.toContain(secret)
  expect(columnsHolding(dataDir, secret)).toEqual([])
}

async function remember(id: string): Promise<void> {
  const document = await admin.getDocument(id)
  if (!document) throw new Error(`No ${id}`)
  earlier.push({id, rev: document._rev, time: document._updatedAt})
}

beforeAll(async () => {
  lake = await startTestLake({dataDir, clock, contactSweepIntervalMs: 0})
  admin = lake.client()
  await admin.createOrReplace({
    _id: 'page-a',
    _type: 'page',
    title: 'A',
    slug: {_type: 'slug', current: 'a'},
  })
  intake = await mountIntake({
    client: lake.client({token: intakeToken(lake)}),
    rateLimit: false,
    siteUrl: SITE,
    clock,
  })
  const fields = {
    url: `${SITE}/a`,
    whatDoing: 'Reading about training',
    whatWentWrong: TEXT,
    renderedAt: String(Date.now() - 30_000),
    idempotencyKey: `erasure-${Date.now()}`,
    contactConsent: 'yes',
    contactEmail: EMAIL,
  }
  const res = await post(intake.url, JSON.stringify(fields), JSON_TYPE)
  expect(res.status).toBe(201)
  reportId = submissionId(fields.idempotencyKey)
  contactId = contactIdFor(reportId)
  await remember(reportId)
  await remember(contactId)
  firstTransaction = earlier[0]!.rev
  await moveReport(admin, reportId, 'triaged')
  await remember(reportId)
  await moveReport(admin, reportId, 'in-progress')
  await remember(reportId)
})

afterAll(async () => {
  await intake?.close()
  await lake?.close()
  rmSync(dataDir, {recursive: true, force: true})
})

describe('before erasure', () => {
  it('history holds what the public wrote (so the checks below can fail)', async () => {
    expect(await historyAt(reportId, `revision=${earlier[0]!.rev}`)).toContain(TEXT)
    expect(await transactionLog()).toContain(TEXT)
    expect(await transactionLog()).toContain(EMAIL)
    expect(columnsHolding(dataDir, TEXT)).toContain('revisions.json')
  })
})

describe('after an administrator erases the report, and its address with it', () => {
  beforeAll(async () => {
    const me = await whoAmI(admin)
    const at = new Date().toISOString()
    const report = await admin.getDocument(reportId)
    const contact = await admin.getDocument(contactId)
    // What the Studio's "Erase report" writes: both records in one transaction.
    const records = reportErasures(report!, contact, {by: me, at, reason: 'The reporter asked'})
    expect(records.map((record) => record._id)).toEqual([reportId, contactId])
    await records
      .reduce(
        (transaction, record) => transaction.createOrReplace<typeof record>(record),
        admin.transaction(),
      )
      .commit()
  })

  it('the text and the address appear nowhere', async () => {
    await expectNowhere(TEXT)
    await expectNowhere(EMAIL)
  })

  it('earlier revisions read as the documented placeholder', async () => {
    const {documents} = JSON.parse(await historyAt(reportId, `revision=${earlier[0]!.rev}`)) as {
      documents: unknown[]
    }
    expect(documents).toEqual([
      {
        _id: reportId,
        _type: 'feedbackSubmission',
        _rev: earlier[0]!.rev,
        _createdAt: expect.any(String),
        _updatedAt: expect.any(String),
        _redacted: true,
      },
    ])
    // The log keeps who wrote what kind of change, and when.
    const log = (await transactionLog())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {id: string; documentIDs: string[]})
    expect(log.map((entry) => entry.id)).toContain(firstTransaction)
    // Filed, two moves, and one erasure of the report and its address together.
    expect(log).toHaveLength(4)
  })

  it('the lake restarts on the erased history, still without the text', async () => {
    await lake.close()
    await intake.close()
    lake = await startTestLake({dataDir, clock, contactSweepIntervalMs: 0})
    admin = lake.client()
    intake = await mountIntake({
      client: lake.client({token: intakeToken(lake)}),
      rateLimit: false,
      siteUrl: SITE,
      clock,
    })
    expect(await admin.getDocument(reportId)).toMatchObject({_type: 'feedbackErasure'})
    await expectNowhere(TEXT)
    await expectNowhere(EMAIL)
  })
})

describe('an address the retention sweep erases', () => {
  it('is gone from history too', async () => {
    const email = 'marmalade.sweep@example.org'
    const fields = {
      url: `${SITE}/a`,
      whatDoing: 'Reading about training',
      whatWentWrong: 'The register link is broken',
      renderedAt: String(now - 30_000),
      idempotencyKey: `sweep-${Date.now()}`,
      contactConsent: 'yes',
      contactEmail: email,
    }
    expect((await post(intake.url, JSON.stringify(fields), JSON_TYPE)).status).toBe(201)
    const id = submissionId(fields.idempotencyKey)
    await moveReport(admin, id, 'triaged')
    await moveReport(admin, id, 'wont-fix', {note: 'Not ours'})
    expect(columnsHolding(dataDir, email)).not.toEqual([])
    now += 91 * DAY
    expect(await lake.sweepContacts()).toBeGreaterThanOrEqual(1)
    expect(await admin.getDocument(contactIdFor(id))).toMatchObject({
      _type: 'feedbackContactErasure',
    })
    expect(columnsHolding(dataDir, email)).toEqual([])
  })
})
