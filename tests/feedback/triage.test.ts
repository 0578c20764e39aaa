/**
 * Every transition of the workflow, written to a real lake the way the Studio's actions write
 * it: `applyTransition` builds the patch, a reviewer's client commits it with the revision lock.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type FeedbackStatus, feedbackWorkflow} from '../../feedback/workflow'
import {applyTransition} from '../../feedback/transitions'
import {startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let admin: SanityClient
let reviewer: SanityClient

interface Stored {
  status?: string
  resolutionNote?: string
  spamReason?: string
  duplicateOf?: unknown
}

beforeAll(async () => {
  lake = await startTestLake()
  admin = lake.client()
  reviewer = lake.client({token: lake.createToken('reviewer')})
  await admin.createOrReplace({
    _id: 'feedback.original',
    _type: 'feedbackSubmission',
    status: 'new',
    path: '/a',
  })
})
afterAll(async () => lake?.close())

async function reportIn(status: FeedbackStatus, n: string) {
  return admin.createOrReplace({
    _id: `feedback.t-${n}`,
    _type: 'feedbackSubmission',
    status,
    path: '/a',
    whatWentWrong: 'x',
  })
}

const edges = feedbackWorkflow.flatMap((from) =>
  from.transitions.map((to) => [from.id, to] as const),
)

describe('every transition against the lake', () => {
  it('covers all the workflow’s edges', () => {
    expect(edges.length).toBe(feedbackWorkflow.reduce((n, s) => n + s.transitions.length, 0))
    expect(edges.length).toBeGreaterThan(10)
  })

  it.each(edges)('%s → %s', async (from, to) => {
    const before = await reportIn(from, `${from}-${to}`)
    const result = applyTransition(before, to, {
      role: 'reviewer',
      note: `Moved to ${to}`,
      duplicateOf: 'feedback.original',
    })
    if (!result.ok) throw new Error(result.reason)
    const {id, ifRevisionID, set} = result.patch
    await reviewer
      .patch(id)
      .ifRevisionId(ifRevisionID ?? '')
      .set(set)
      .commit()
    const after = await admin.getDocument<Stored>(id)
    expect(after?.status).toBe(to)
    if (to === 'resolved') expect(after?.resolutionNote).toBe('Moved to resolved')
    if (to === 'spam') expect(after?.spamReason).toBe('Moved to spam')
    if (to === 'duplicate')
      expect(after?.duplicateOf).toEqual({
        _type: 'reference',
        _ref: 'feedback.original',
        _weak: true,
      })
  })

  it('a disallowed transition is refused before anything is written', async () => {
    const before = await reportIn('new', 'disallowed')
    const result = applyTransition(before, 'resolved', {role: 'reviewer', note: 'done'})
    expect(result).toMatchObject({ok: false})
    expect((await admin.getDocument(before._id))?._rev).toBe(before._rev)
  })

  it('a transition built on a stale revision fails with 409 (someone else moved it first)', async () => {
    const before = await reportIn('new', 'stale')
    const first = applyTransition(before, 'triaged', {role: 'reviewer'})
    const second = applyTransition(before, 'spam', {role: 'reviewer', note: 'ad'})
    if (!first.ok || !second.ok) throw new Error('both should be allowed from new')
    await reviewer.patch(first.patch.id).ifRevisionId(before._rev).set(first.patch.set).commit()
    await expect(
      reviewer.patch(second.patch.id).ifRevisionId(before._rev).set(second.patch.set).commit(),
    ).rejects.toMatchObject({statusCode: 409})
    expect((await admin.getDocument<Stored>(before._id))?.status).toBe('triaged')
  })

  it('a viewer cannot write a transition at all', async () => {
    const before = await reportIn('new', 'viewer')
    const viewer = lake.client({token: lake.createToken('viewer')})
    await expect(viewer.patch(before._id).set({status: 'triaged'}).commit()).rejects.toMatchObject({
      statusCode: 403,
    })
  })
})
