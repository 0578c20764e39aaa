/**
 * Every transition of the workflow, written to a real lake the way the Studio's actions write
 * it: `applyTransition` builds the patch, a reviewer's client commits it with the revision lock.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type FeedbackStatus, feedbackWorkflow} from '../../feedback/workflow'
import {applyTransition} from '../../feedback/transitions'
import {fileReport, reportInState, whoAmI} from '../helpers/feedback'
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
  await fileReport(lake, {_id: 'feedback.original'})
})
afterAll(async () => lake?.close())

/** A report the intake filed, moved by an administrator into `status`. */
async function reportIn(status: FeedbackStatus, n: string) {
  const id = `feedback.t-${n}`
  await reportInState(lake, admin, {_id: id}, status)
  return (await admin.getDocument(id)) as {_id: string; _rev: string; status: string}
}

/** Who moves, and when: the audit entry every move carries (the lake refuses one without). */
async function mover() {
  return {by: await whoAmI(reviewer), at: new Date().toISOString()}
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
      ...(await mover()),
    })
    if (!result.ok) throw new Error(result.reason)
    const {id, ifRevisionID, set, audit} = result.patch
    await reviewer
      .patch(id)
      .ifRevisionId(ifRevisionID ?? '')
      .set(set)
      .setIfMissing({auditTrail: []})
      .append('auditTrail', [audit])
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
    const first = applyTransition(before, 'triaged', {role: 'reviewer', ...(await mover())})
    const second = applyTransition(before, 'spam', {
      role: 'reviewer',
      note: 'ad',
      ...(await mover()),
    })
    if (!first.ok || !second.ok) throw new Error('both should be allowed from new')
    const write = ({id, set, audit}: typeof first.patch) =>
      reviewer
        .patch(id)
        .ifRevisionId(before._rev)
        .set(set)
        .setIfMissing({auditTrail: []})
        .append('auditTrail', [audit])
        .commit()
    await write(first.patch)
    await expect(write(second.patch)).rejects.toMatchObject({statusCode: 409})
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
