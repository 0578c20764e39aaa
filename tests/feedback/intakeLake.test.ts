/**
 * The two ways the intake reaches a lake (`server/intake/lake.ts`) give the same answers: through
 * `@sanity/client` with a reviewer token, and straight on the store inside the lake's process.
 * Both read published documents only, and both write under the reviewer's rules.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {INTAKE_IDENTITY, intakeLakeFromSession} from '../../app/lake'
import {type IntakeLake, intakeLakeFromClient} from '../../intake/lake'
import {intakeContext} from '../../intake/queries'
import {intakeToken} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let ways: [string, IntakeLake][]

beforeAll(async () => {
  lake = await startTestLake()
  await lake
    .client()
    .mutate([
      {createOrReplace: {_id: 'page-a', _type: 'page', title: 'A', slug: {current: 'a'}}},
      {createOrReplace: {_id: 'drafts.page-b', _type: 'page', title: 'B', slug: {current: 'b'}}},
    ])
  ways = [
    ['client', intakeLakeFromClient(lake.client({token: intakeToken(lake)}))],
    ['store', intakeLakeFromSession(lake.session(INTAKE_IDENTITY))],
  ]
})
afterAll(async () => lake?.close())

describe('the intake reaches the lake through the client or the store alike', () => {
  it('finds published pages only', async () => {
    for (const [way, target] of ways) {
      const report = {id: 'feedback.x', fingerprint: 'f', since: '2026-01-01T00:00:00Z'}
      const a = await intakeContext(target, {...report, path: '/section/a'})
      expect(a.page?._id, way).toBe('page-a')
      expect((await intakeContext(target, {...report, path: '/b'})).page, way).toBeNull()
      // The site's root has no slug: no page, and no error.
      expect(await intakeContext(target, {...report, path: '/'}), way).toEqual({
        page: null,
        earlier: null,
      })
    }
  })

  it('finds the earliest recent copy by path and fingerprint, never itself nor spam', async () => {
    const report = (id: string, submittedAt: string, extra: Record<string, unknown> = {}) => ({
      _id: id,
      _type: 'feedbackSubmission',
      status: 'new',
      path: '/copies',
      fingerprint: 'same-text',
      submittedAt,
      ...extra,
    })
    await lake.client().mutate([
      {createOrReplace: report('feedback.old', '2026-01-01T09:00:00Z')},
      {
        createOrReplace: report('feedback.spam', '2026-01-01T10:01:00Z', {
          status: 'spam',
          spamReason: 'Honeypot',
        }),
      },
      {createOrReplace: report('feedback.first', '2026-01-01T10:02:00Z')},
      {createOrReplace: report('feedback.second', '2026-01-01T10:03:00Z')},
      {createOrReplace: report('feedback.other', '2026-01-01T10:00:00Z', {fingerprint: 'x'})},
    ])
    const since = '2026-01-01T10:00:00Z'
    for (const [way, target] of ways) {
      const ask = (id: string, fingerprint = 'same-text') =>
        intakeContext(target, {id, path: '/copies', fingerprint, since})
      expect((await ask('feedback.new')).earlier, way).toMatchObject({_id: 'feedback.first'})
      expect((await ask('feedback.first')).earlier, way).toMatchObject({_id: 'feedback.second'})
      expect((await ask('feedback.new', 'unseen')).earlier, way).toBeNull()
    }
  })

  it('creates a report once under its id, durably, and reads it back', async () => {
    for (const [way, target] of ways) {
      const report = {_id: `feedback.same-${way}`, _type: 'feedbackSubmission', status: 'new'}
      await target.createIfNotExists(report)
      await target.createIfNotExists({...report, status: 'triaged'})
      expect(await target.getDocument(report._id), way).toMatchObject({status: 'new'})
      expect(await lake.client().getDocument(report._id), way).toMatchObject({status: 'new'})
    }
  })

  it('may not write anything but feedback, nor skip the workflow', async () => {
    for (const [way, target] of ways) {
      await expect(
        target.createIfNotExists({_id: `page-${way}`, _type: 'page'}),
        way,
      ).rejects.toMatchObject({statusCode: 403})
      // A report is born "new": one stored straight as "resolved" is refused.
      await expect(
        target.createIfNotExists({
          _id: `feedback.resolved-${way}`,
          _type: 'feedbackSubmission',
          status: 'resolved',
        }),
        way,
      ).rejects.toMatchObject({statusCode: 409})
      expect(await lake.client().getDocument(`page-${way}`)).toBeUndefined()
    }
  })
})
