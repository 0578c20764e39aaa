/**
 * Reaching the reporter: the address is taken only with consent, kept in its own document that
 * only reviewers and administrators can read (stock `@sanity/client`, one token per role), never
 * changed, and erased by the careers lake's sweep a set time after the report is closed, leaving
 * a record. The lake's clock is one the test moves.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CONTACT_ERASURE_TYPE, contactIdFor, reportErasures} from '../../feedback/contact'
import {submissionId} from '../../intake/id'
import {intakeToken, moveReport, whoAmI} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'
import {form, FORM, JSON_TYPE, mountIntake, type MountedIntake, post} from './helpers'

const DAY = 24 * 60 * 60 * 1000
const SITE = 'https://www.healthcareers.nhs.uk'

let now = Date.now()
let lake: TestLake
let admin: SanityClient
let reviewer: SanityClient
let editor: SanityClient
let viewer: SanityClient
let anonymous: SanityClient
let intake: MountedIntake

beforeAll(async () => {
  lake = await startTestLake({
    clock: () => now,
    contactRetentionDays: 90,
    contactSweepIntervalMs: 0,
  })
  admin = lake.client()
  reviewer = lake.client({token: lake.createToken('reviewer')})
  editor = lake.client({token: lake.createToken('editor')})
  viewer = lake.client({token: lake.createToken('viewer')})
  anonymous = lake.client({token: null})
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
    clock: () => now,
  })
})

afterAll(async () => {
  await intake?.close()
  await lake?.close()
})

let serial = 0
function report(extra: Record<string, string> = {}) {
  serial++
  return {
    url: `${SITE}/a`,
    whatDoing: `Reading the page, visit ${serial}`,
    whatWentWrong: `The register link is broken (case ${serial})`,
    renderedAt: String(now - 30_000),
    idempotencyKey: `contact-${serial}-${Date.now()}`,
    ...extra,
  }
}

describe('an email address only with consent', () => {
  it('refuses an address without consent (422 naming contactEmail) and stores nothing', async () => {
    const fields = report({contactEmail: 'jane@example.com'})
    const res = await post(intake.url, JSON.stringify(fields), JSON_TYPE)
    expect(res.status).toBe(422)
    expect(res.json()).toMatchObject({error: {field: 'contactEmail'}})
    const id = submissionId(fields.idempotencyKey)
    expect(await admin.getDocument(id)).toBeUndefined()
    expect(await admin.getDocument(contactIdFor(id))).toBeUndefined()
  })

  it('refuses an address that is not one (422 naming contactEmail), with the form again', async () => {
    const fields = report({contactConsent: 'yes', contactEmail: 'jane at example'})
    const res = await post(intake.url, form(fields), FORM)
    expect(res.status).toBe(422)
    expect(res.body).toContain('Enter an email address in the correct format')
    expect(res.body).toContain('href="#contactEmail"')
    expect(res.body).toContain('value="jane at example"')
    expect(await admin.getDocument(submissionId(fields.idempotencyKey))).toBeUndefined()
  })

  it('keeps the address unmasked in its own document, beside a report that has none', async () => {
    const fields = report({contactConsent: 'yes', contactEmail: 'jane.doe@example.com'})
    const res = await post(intake.url, JSON.stringify(fields), JSON_TYPE)
    expect(res.status).toBe(201)
    const id = submissionId(fields.idempotencyKey)
    const stored = await admin.getDocument(id)
    expect(JSON.stringify(stored)).not.toContain('jane.doe@example.com')
    expect(await admin.getDocument(contactIdFor(id))).toMatchObject({
      _type: 'feedbackContact',
      email: 'jane.doe@example.com',
      report: {_ref: id},
    })
  })
})

describe('who can read an address', () => {
  let contactId: string
  beforeAll(async () => {
    const fields = report({contactConsent: 'yes', contactEmail: 'reader@example.org'})
    await post(intake.url, JSON.stringify(fields), JSON_TYPE)
    contactId = contactIdFor(submissionId(fields.idempotencyKey))
  })

  it('a reviewer (and an administrator) can', async () => {
    expect(await reviewer.getDocument(contactId)).toMatchObject({email: 'reader@example.org'})
    expect(await reviewer.fetch(`*[_id == $id][0].email`, {id: contactId})).toBe(
      'reader@example.org',
    )
    expect(await admin.getDocument(contactId)).toMatchObject({email: 'reader@example.org'})
  })

  it('an editor, a viewer and the public cannot', async () => {
    for (const client of [editor, viewer, anonymous]) {
      expect(await client.getDocument(contactId)).toBeUndefined()
      expect(await client.fetch(`*[_type == "feedbackContact"].email`)).toEqual([])
    }
  })

  it('nobody changes it, not even a reviewer or an administrator', async () => {
    for (const client of [reviewer, admin]) {
      await expect(
        client.patch(contactId).set({email: 'someone.else@example.org'}).commit(),
      ).rejects.toThrow(/cannot be changed/)
    }
    await expect(admin.delete(contactId)).rejects.toThrow()
    expect(await admin.getDocument(contactId)).toMatchObject({email: 'reader@example.org'})
  })

  it('only the intake records one', async () => {
    await expect(
      reviewer.create({
        _id: 'feedbackContact.made-up',
        _type: 'feedbackContact',
        report: {_type: 'reference', _ref: 'feedback.made-up', _weak: true},
        email: 'made@example.org',
      }),
    ).rejects.toThrow(/Only the feedback intake/)
  })
})

describe('erasure after the retention period', () => {
  it('erases the address 90 days after the report is closed, with a record, and not before', async () => {
    const fields = report({contactConsent: 'yes', contactEmail: 'closing@example.org'})
    await post(intake.url, JSON.stringify(fields), JSON_TYPE)
    const id = submissionId(fields.idempotencyKey)
    const contactId = contactIdFor(id)
    const open = report({contactConsent: 'yes', contactEmail: 'still-open@example.org'})
    await post(intake.url, JSON.stringify(open), JSON_TYPE)
    const openContact = contactIdFor(submissionId(open.idempotencyKey))

    now = Date.now()
    await moveReport(reviewer, id, 'triaged')
    await moveReport(reviewer, id, 'wont-fix', {note: 'The link is the register’s own'})
    // Closed at the time of the move (the Studio stamps it): count the days from then.
    now = Date.parse((await admin.getDocument<{auditTrail: {at: string}[]}>(id))!.auditTrail[1]!.at)

    now += 89 * DAY
    await lake.sweepContacts()
    expect(await reviewer.getDocument(contactId)).toMatchObject({email: 'closing@example.org'})

    now += 1 * DAY
    expect(await lake.sweepContacts(), lake.logs.join('\n')).toBeGreaterThanOrEqual(1)
    const record = await admin.getDocument(contactId)
    expect(record).toMatchObject({
      _type: CONTACT_ERASURE_TYPE,
      report: {_ref: id},
      erasedBy: 'feedback-retention',
      reason: 'Kept 90 days after the report was closed.',
    })
    expect(JSON.stringify(record)).not.toContain('closing@example.org')
    // A report still open keeps its reporter's address, however old.
    expect(await reviewer.getDocument(openContact)).toMatchObject({
      email: 'still-open@example.org',
    })
  })

  it('the erasure record is kept: nobody brings the address back or deletes the record', async () => {
    const [record] = await admin.fetch<{_id: string}[]>(`*[_type == $type][0...1]{_id}`, {
      type: CONTACT_ERASURE_TYPE,
    })
    expect(record).toBeDefined()
    await expect(admin.delete(record!._id)).rejects.toThrow(/Insufficient permissions/)
    await expect(
      admin.createOrReplace({
        _id: record!._id,
        _type: 'feedbackContact',
        report: {_type: 'reference', _ref: 'feedback.x', _weak: true},
        email: 'back@example.org',
      }),
    ).rejects.toThrow(/kept unchanged/)
  })
})

describe("erasing a report takes its reporter's address with it", () => {
  const filedReport = {_id: 'feedback.abc', _type: 'feedbackSubmission', status: 'new'}
  const erasure = {by: {id: 'p-admin', name: 'Admin'}, at: '2026-11-30T00:00:00Z', reason: 'Asked'}
  const contact = {
    _id: contactIdFor(filedReport._id),
    _type: 'feedbackContact',
    report: {_type: 'reference', _ref: filedReport._id, _weak: true},
    email: 'someone@example.org',
  }

  it('writes both erasure records, neither holding the address', () => {
    const records = reportErasures(filedReport, contact, erasure)
    expect(records.map((record) => [record._id, record._type])).toEqual([
      [filedReport._id, 'feedbackErasure'],
      [contact._id, CONTACT_ERASURE_TYPE],
    ])
    expect(JSON.stringify(records)).not.toContain('someone@example.org')
  })

  it('writes the report record alone when there is no address, or it is erased or not its own', () => {
    expect(reportErasures(filedReport, null, erasure)).toHaveLength(1)
    expect(
      reportErasures(filedReport, {...contact, _type: CONTACT_ERASURE_TYPE}, erasure),
    ).toHaveLength(1)
    expect(
      reportErasures(filedReport, {...contact, report: {_ref: 'feedback.other'}}, erasure),
    ).toHaveLength(1)
  })

  it('the lake takes both in one transaction from an administrator, and nobody else', async () => {
    const fields = report({contactConsent: 'yes', contactEmail: 'erase.me@example.org'})
    const res = await post(intake.url, JSON.stringify(fields), JSON_TYPE)
    expect(res.status).toBe(201)
    const reportId = submissionId(fields.idempotencyKey)
    const filed = await admin.getDocument(reportId)
    const address = await admin.getDocument(contactIdFor(reportId))
    // The lake checks the erasure's time against its own clock.
    const me = await whoAmI(admin)
    const records = reportErasures(filed!, address, {
      ...erasure,
      by: me,
      at: new Date(now).toISOString(),
    })
    expect(records).toHaveLength(2)
    const write = (client: SanityClient) =>
      records
        .reduce(
          (transaction, record) => transaction.createOrReplace<typeof record>(record),
          client.transaction(),
        )
        .commit()
    await expect(write(reviewer)).rejects.toMatchObject({statusCode: 403})
    await write(admin)
    expect(await admin.getDocument(contactIdFor(reportId))).toMatchObject({
      _type: CONTACT_ERASURE_TYPE,
    })
  })
})
