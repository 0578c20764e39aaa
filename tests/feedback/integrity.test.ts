/**
 * Issue #11, finding 3, against the careers lake over HTTPS with the stock `@sanity/client` and a
 * token of each role: what the public told us cannot be rewritten, deleted or made up, the
 * workflow holds on creation and on every edit, each move leaves one audit entry that nobody
 * edits, and the only way out is an administrator's erasure, which leaves a record without
 * personal data.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {INTAKE_IDENTITY} from '../../app/lake'
import {auditEntry, erasureOf} from '../../feedback/integrity'
import {fileReport, moveReport, whoAmI} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let admin: SanityClient
let editor: SanityClient
let reviewer: SanityClient
let viewer: SanityClient

beforeAll(async () => {
  lake = await startTestLake()
  admin = lake.client()
  editor = lake.client({token: lake.createToken('editor')})
  reviewer = lake.client({token: lake.createToken('reviewer')})
  viewer = lake.client({token: lake.createToken('viewer')})
})
afterAll(async () => lake?.close())

const publicWords = {
  whatDoing: 'Looking for how to register',
  whatWentWrong: 'The HCPC link goes nowhere',
  submittedAt: '2026-11-20T09:00:00.000Z',
  page: {_type: 'reference', _ref: 'page-a', _weak: true},
}

type Stored = {_id: string; _type: string} & Record<string, unknown>

async function report(id: string, fields: Record<string, unknown> = {}): Promise<Stored> {
  await fileReport(lake, {_id: id, ...publicWords, ...fields})
  return (await admin.getDocument(id)) as Stored
}

describe("the public's words", () => {
  it.each([
    ['whatWentWrong', 'Nothing, really'],
    ['whatDoing', 'Something else'],
    ['submittedAt', '2020-01-01T00:00:00.000Z'],
    ['url', 'https://example.com/elsewhere'],
    ['path', '/elsewhere'],
    ['category', 'could-be-improved'],
    ['contactConsent', true],
    ['userAgent', 'Rewritten'],
    ['fingerprint', 'forged'],
    ['page', {_type: 'reference', _ref: 'other-page', _weak: true}],
  ])('no role rewrites %s after intake', async (field, value) => {
    const id = `feedback.rewrite-${field}`
    const before = await report(id)
    for (const client of [reviewer, editor, admin]) {
      const refused = client
        .patch(id)
        .set({[field]: value})
        .commit()
      await expect(refused).rejects.toMatchObject({statusCode: 409})
      await expect(refused).rejects.toThrow(`"${field}" is what the public sent`)
    }
    await expect(reviewer.patch(id).unset([field]).commit()).rejects.toMatchObject({
      statusCode: 409,
    })
    expect(await admin.getDocument(id)).toEqual(before)
  })

  it('nobody replaces a report with other words, and a draft of one cannot hold them either', async () => {
    const id = 'feedback.replace'
    const before = await report(id)
    const rewritten = {...before, whatWentWrong: 'Rewritten by staff'}
    for (const client of [reviewer, editor, admin]) {
      await expect(client.createOrReplace(rewritten)).rejects.toMatchObject({statusCode: 409})
      await expect(
        client.createOrReplace({...rewritten, _id: `drafts.${id}`}),
      ).rejects.toMatchObject({statusCode: 409})
    }
    await expect(reviewer.createOrReplace({...before, _id: `drafts.${id}`})).rejects.toThrow(
      /edited live/,
    )
    expect(await admin.getDocument(id)).toEqual(before)
    expect(await admin.getDocument(`drafts.${id}`)).toBeUndefined()
  })

  it('only the intake files a report: no role creates one, in any state', async () => {
    const made = {_type: 'feedbackSubmission', ...publicWords}
    const attempts: [SanityClient, Record<string, unknown>][] = [
      [reviewer, {_id: 'feedback.made-new', status: 'new'}],
      [editor, {_id: 'feedback.made-spam', status: 'spam', spamReason: 'looks odd'}],
      [editor, {_id: 'feedback.made-duplicate', status: 'duplicate'}],
    ]
    for (const [client, fields] of attempts) {
      const refused = client.create({...made, ...fields})
      await expect(refused).rejects.toMatchObject({statusCode: 403})
      await expect(refused).rejects.toThrow(/Only the feedback intake files reports/)
      expect(await admin.getDocument(fields['_id'] as string)).toBeUndefined()
    }
    await expect(viewer.create({...made, _id: 'feedback.made-viewer'})).rejects.toMatchObject({
      statusCode: 403,
    })
    // An administrator's token is how the frontend's intake reaches a lake: it files reports only
    // as the intake does.
    await expect(
      admin.create({...made, _id: 'feedback.made-admin', status: 'resolved', resolutionNote: 'x'}),
    ).rejects.toThrow(/New reports start as/)
  })

  it('a reviewer cannot delete a report and file it again as new', async () => {
    const id = 'feedback.recreate'
    const filed = await report(id)
    // A new report replaced whole by a "new" one of the reviewer's making.
    await expect(
      reviewer.createOrReplace({
        _id: id,
        _type: 'feedbackSubmission',
        status: 'new',
        whatWentWrong: 'Something the public never said',
      }),
    ).rejects.toMatchObject({statusCode: 409})
    expect(await admin.getDocument(id)).toEqual(filed)
    await moveReport(reviewer, id, 'triaged')
    const before = (await admin.getDocument(id)) as Stored
    await expect(reviewer.delete(id)).rejects.toMatchObject({statusCode: 403})
    await expect(
      reviewer
        .transaction()
        .delete(id)
        .create({_id: id, _type: 'feedbackSubmission', status: 'new', ...publicWords})
        .commit(),
    ).rejects.toMatchObject({statusCode: 409})
    await expect(
      reviewer.createOrReplace({...before, status: 'new', auditTrail: []}),
    ).rejects.toMatchObject({statusCode: 409})
    expect(await admin.getDocument(id)).toEqual(before)
  })
})

describe('the workflow holds in every state a report reaches', () => {
  it('even the intake files reports only in the states it may choose, with what they need', async () => {
    const intake = lake.session(INTAKE_IDENTITY)
    const file = (fields: Record<string, unknown>) =>
      intake.mutate([{create: {_type: 'feedbackSubmission', ...publicWords, ...fields}}])
    await expect(file({_id: 'feedback.i-resolved', status: 'resolved'})).rejects.toMatchObject({
      statusCode: 409,
    })
    await expect(file({_id: 'feedback.i-dup', status: 'duplicate'})).rejects.toThrow(
      /which report it duplicates/,
    )
    await expect(file({_id: 'feedback.i-spam', status: 'spam'})).rejects.toThrow(/needs a reason/)
    const entry = auditEntry({
      from: 'new',
      to: 'triaged',
      by: INTAKE_IDENTITY,
      at: new Date().toISOString(),
    })
    await expect(
      file({_id: 'feedback.i-trail', status: 'new', auditTrail: [entry]}),
    ).rejects.toThrow(/no moves/)
  })

  it('a resolved report keeps its resolution note', async () => {
    const id = 'feedback.keeps-note'
    await report(id)
    await moveReport(reviewer, id, 'triaged')
    await moveReport(reviewer, id, 'in-progress')
    await moveReport(reviewer, id, 'resolved', {note: 'Fixed the HCPC link'})
    for (const client of [reviewer, editor, admin]) {
      const refused = client.patch(id).unset(['resolutionNote']).commit()
      await expect(refused).rejects.toMatchObject({statusCode: 409})
      await expect(refused).rejects.toThrow(/needs a resolution note/)
      await expect(client.patch(id).set({resolutionNote: '  '}).commit()).rejects.toMatchObject({
        statusCode: 409,
      })
    }
    expect(await admin.getDocument(id)).toMatchObject({resolutionNote: 'Fixed the HCPC link'})
  })

  it('a spam report keeps its reason, a duplicate its original', async () => {
    await report('feedback.original')
    await report('feedback.spam-kept')
    await report('feedback.dup-kept')
    await moveReport(reviewer, 'feedback.spam-kept', 'spam', {note: 'Advert'})
    await moveReport(reviewer, 'feedback.dup-kept', 'duplicate', {duplicateOf: 'feedback.original'})
    await expect(
      reviewer.patch('feedback.spam-kept').unset(['spamReason']).commit(),
    ).rejects.toMatchObject({statusCode: 409})
    await expect(
      editor.patch('feedback.dup-kept').unset(['duplicateOf']).commit(),
    ).rejects.toMatchObject({statusCode: 409})
  })
})

describe('the audit trail', () => {
  it('records each move: who, from, to, when and with which note', async () => {
    const id = 'feedback.trail'
    await report(id)
    const me = await whoAmI(reviewer)
    await moveReport(reviewer, id, 'triaged')
    await moveReport(reviewer, id, 'in-progress')
    await moveReport(reviewer, id, 'resolved', {note: 'Link replaced'})
    const trail = (await admin.getDocument(id))?.['auditTrail'] as Record<string, unknown>[]
    expect(trail.map(({from, to, by, byName, note}) => ({from, to, by, byName, note}))).toEqual([
      {from: 'new', to: 'triaged', by: me.id, byName: me.name, note: undefined},
      {from: 'triaged', to: 'in-progress', by: me.id, byName: me.name, note: undefined},
      {from: 'in-progress', to: 'resolved', by: me.id, byName: me.name, note: 'Link replaced'},
    ])
  })

  it('refuses a move without its entry, and an entry without a move', async () => {
    const id = 'feedback.no-entry'
    await report(id)
    const moved = reviewer.patch(id).set({status: 'triaged'}).commit()
    await expect(moved).rejects.toMatchObject({statusCode: 409})
    await expect(moved).rejects.toThrow(/appends one entry to its audit trail/)
    const me = await whoAmI(reviewer)
    const entry = auditEntry({from: 'new', to: 'triaged', by: me, at: new Date().toISOString()})
    await expect(
      reviewer.patch(id).setIfMissing({auditTrail: []}).append('auditTrail', [entry]).commit(),
    ).rejects.toThrow(/does not move the report/)
    expect(await admin.getDocument(id)).toMatchObject({status: 'new'})
  })

  it('refuses an entry in someone else’s name, backdated, or for another move', async () => {
    const id = 'feedback.forged-entry'
    await report(id)
    const me = await whoAmI(reviewer)
    const now = new Date().toISOString()
    const forged = [
      auditEntry({from: 'new', to: 'triaged', by: {id: 'p-someone-else'}, at: now}),
      auditEntry({from: 'new', to: 'triaged', by: me, at: '2020-01-01T00:00:00.000Z'}),
      auditEntry({from: 'new', to: 'spam', by: me, at: now}),
      auditEntry({from: 'triaged', to: 'triaged', by: me, at: now}),
    ]
    for (const entry of forged) {
      await expect(
        reviewer
          .patch(id)
          .set({status: 'triaged'})
          .setIfMissing({auditTrail: []})
          .append('auditTrail', [entry])
          .commit(),
      ).rejects.toThrow(/audit trail entry must have/)
    }
    expect(await admin.getDocument(id)).toMatchObject({status: 'new'})
  })

  it('no role edits or removes an entry', async () => {
    const id = 'feedback.trail-kept'
    await report(id)
    await moveReport(reviewer, id, 'triaged')
    const before = await admin.getDocument(id)
    const key = (before?.['auditTrail'] as {_key: string}[])[0]?._key
    for (const client of [reviewer, editor, admin]) {
      await expect(
        client
          .patch(id)
          .set({[`auditTrail[_key=="${key}"].by`]: 'p-nobody'})
          .commit(),
      ).rejects.toThrow(/cannot be edited or removed/)
      await expect(client.patch(id).unset(['auditTrail']).commit()).rejects.toMatchObject({
        statusCode: 409,
      })
      await expect(
        client
          .patch(id)
          .unset([`auditTrail[_key=="${key}"]`])
          .commit(),
      ).rejects.toMatchObject({statusCode: 409})
    }
    expect(await admin.getDocument(id)).toEqual(before)
  })
})

describe('erasure', () => {
  it('no role deletes a report, not even an administrator: it is erased instead', async () => {
    const id = 'feedback.not-deleted'
    const before = await report(id)
    for (const client of [reviewer, editor]) {
      await expect(client.delete(id)).rejects.toMatchObject({statusCode: 403})
    }
    const refused = admin.delete(id)
    await expect(refused).rejects.toMatchObject({statusCode: 409})
    await expect(refused).rejects.toThrow(/erases one instead/)
    await expect(
      admin.action({
        actionType: 'sanity.action.document.delete',
        publishedId: id,
        includeDrafts: [],
      }),
    ).rejects.toMatchObject({statusCode: 409})
    expect(await admin.getDocument(id)).toEqual(before)
  })

  it('an administrator erases a report with a reason, leaving a record with no personal data', async () => {
    const id = 'feedback.erased'
    await report(id)
    await moveReport(reviewer, id, 'triaged')
    const before = (await admin.getDocument(id)) as Stored
    const me = await whoAmI(admin)
    const at = new Date().toISOString()

    // Reviewers and editors may not; an administrator must give a reason and sign it as themself.
    const reviewerMe = await whoAmI(reviewer)
    await expect(
      reviewer.createOrReplace(erasureOf(before, {by: reviewerMe, at, reason: 'Asked to'})),
    ).rejects.toMatchObject({statusCode: 403})
    await expect(
      admin.createOrReplace(erasureOf(before, {by: me, at, reason: ' '})),
    ).rejects.toThrow(/Say why the report is erased/)
    await expect(
      admin.createOrReplace(erasureOf(before, {by: {id: 'p-someone-else'}, at, reason: 'Asked'})),
    ).rejects.toThrow(/erasedBy/)
    await expect(
      admin.createOrReplace({
        ...erasureOf(before, {by: me, at, reason: 'Asked'}),
        whatWentWrong: before['whatWentWrong'],
      }),
    ).rejects.toMatchObject({statusCode: 409})
    expect(await admin.getDocument(id)).toEqual(before)

    await admin.createOrReplace(
      erasureOf(before, {by: me, at, reason: 'The reporter asked us to remove it'}),
    )
    const record = await admin.getDocument(id)
    expect(record).toMatchObject({
      _id: id,
      _type: 'feedbackErasure',
      status: 'triaged',
      category: 'broken-link',
      page: {_ref: 'page-a'},
      submittedAt: publicWords.submittedAt,
      erasedAt: at,
      erasedBy: me.id,
      erasedByName: me.name,
      reason: 'The reporter asked us to remove it',
    })
    const text = JSON.stringify(record)
    for (const personal of ['Looking for how to register', 'HCPC link', 'Tests/1.0', '/a']) {
      expect(text).not.toContain(personal)
    }

    // The record stays as it is, and the report cannot come back under its id.
    await expect(admin.delete(id)).rejects.toThrow(/erasure record is kept/)
    await expect(admin.patch(id).set({reason: 'Other'}).commit()).rejects.toThrow(
      /cannot be changed/,
    )
    await expect(admin.createOrReplace(before)).rejects.toMatchObject({statusCode: 409})
    await expect(
      lake.session(INTAKE_IDENTITY).mutate([{createOrReplace: {...before}}]),
    ).rejects.toMatchObject({statusCode: 409})
    expect(await admin.getDocument(id)).toEqual(record)
  })

  it('an erasure record is made only from a report', async () => {
    const me = await whoAmI(admin)
    await expect(
      admin.create(
        erasureOf({_id: 'feedback.never-was'}, {by: me, at: new Date().toISOString(), reason: 'x'}),
      ),
    ).rejects.toThrow(/replaces an existing report/)
  })
})
