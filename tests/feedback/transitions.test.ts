import {describe, expect, it} from 'vitest'

import {feedbackWorkflow} from '../../feedback/workflow'
import {applyTransition, checkFeedbackChange, transitionBlocker} from '../../feedback/transitions'

const doc = (status: string, extra = {}) => ({_id: 'feedback.x', _rev: 'r1', status, ...extra})
const everything = {note: 'Fixed the link', duplicateOf: 'feedback.original'}

describe('applyTransition', () => {
  it('moves new → triaged with an optimistic lock on the revision', () => {
    expect(applyTransition(doc('new'), 'triaged', {role: 'reviewer'})).toEqual({
      ok: true,
      patch: {id: 'feedback.x', ifRevisionID: 'r1', set: {status: 'triaged'}},
    })
  })

  it('refuses a move the workflow does not allow, saying where it can go', () => {
    expect(applyTransition(doc('new'), 'resolved', {...everything, role: 'editor'})).toEqual({
      ok: false,
      reason:
        'A "New" report cannot move to "Resolved"; it can move to "Triaged", "Duplicate", "Spam" or "Not a page problem".',
    })
  })

  it('refuses staying put', () => {
    expect(applyTransition(doc('triaged'), 'triaged')).toMatchObject({
      ok: false,
      reason: 'The report is already "Triaged".',
    })
  })

  it('lets only administrators and reviewers mark spam, and needs a reason', () => {
    expect(applyTransition(doc('new'), 'spam', {role: 'editor', note: 'ad'})).toEqual({
      ok: false,
      reason: 'Only administrators and reviewers can mark reports "Spam".',
    })
    expect(applyTransition(doc('new'), 'spam', {role: 'reviewer'})).toMatchObject({ok: false})
    expect(applyTransition(doc('new'), 'spam', {role: 'reviewer', note: 'advert'})).toMatchObject({
      ok: true,
      patch: {set: {status: 'spam', spamReason: 'advert'}},
    })
  })

  it('refuses viewers and anonymous callers everything', () => {
    expect(applyTransition(doc('new'), 'triaged', {role: 'viewer'})).toMatchObject({ok: false})
    expect(applyTransition(doc('new'), 'triaged', {role: 'anonymous'})).toMatchObject({ok: false})
  })

  it('needs a resolution note to resolve, and records it', () => {
    expect(applyTransition(doc('in-progress'), 'resolved', {note: '  '})).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Say what was changed'),
    })
    expect(
      applyTransition(doc('in-progress'), 'resolved', {note: 'Updated the HSST link'}),
    ).toMatchObject({
      ok: true,
      patch: {set: {status: 'resolved', resolutionNote: 'Updated the HSST link'}},
    })
  })

  it("records a won't-fix note when given, but does not require one", () => {
    expect(applyTransition(doc('triaged'), 'wont-fix')).toMatchObject({
      ok: true,
      patch: {set: {status: 'wont-fix'}},
    })
    expect(applyTransition(doc('triaged'), 'wont-fix', {note: 'By design'})).toMatchObject({
      patch: {set: {resolutionNote: 'By design'}},
    })
  })

  it('needs the original for a duplicate, and not itself', () => {
    expect(applyTransition(doc('new'), 'duplicate')).toMatchObject({ok: false})
    expect(applyTransition(doc('new'), 'duplicate', {duplicateOf: 'feedback.x'})).toMatchObject({
      ok: false,
      reason: 'A report cannot be a duplicate of itself.',
    })
    expect(applyTransition(doc('new'), 'duplicate', {duplicateOf: 'feedback.y'})).toMatchObject({
      patch: {set: {duplicateOf: {_type: 'reference', _ref: 'feedback.y', _weak: true}}},
    })
  })

  it('allows exactly the workflow’s transitions, for an administrator with everything supplied', () => {
    for (const from of feedbackWorkflow) {
      const allowed = feedbackWorkflow
        .filter(
          (to) => applyTransition(doc(from.id), to.id, {...everything, role: 'administrator'}).ok,
        )
        .map((to) => to.id)
      expect(allowed, from.id).toEqual(
        feedbackWorkflow.filter((s) => from.transitions.includes(s.id)).map((s) => s.id),
      )
    }
  })
})

describe('transitionBlocker', () => {
  it('treats a missing status as new', () => {
    expect(transitionBlocker(undefined, 'triaged')).toBeUndefined()
  })
})

describe('checkFeedbackChange (for the lake’s write path)', () => {
  it('lets the intake create reports only in its own statuses', () => {
    expect(checkFeedbackChange(null, doc('new'))).toBe(true)
    expect(checkFeedbackChange(null, doc('spam', {spamReason: 'Honeypot'}))).toBe(true)
    expect(checkFeedbackChange(null, doc('spam'))).toMatch(/needs a reason/)
    expect(checkFeedbackChange(null, doc('resolved'))).toMatch(/New reports start as/)
    expect(checkFeedbackChange(null, doc('resolved'), 'reviewer')).toMatch(/New reports start as/)
    // Whoever files it: a report starts where the intake starts it.
    expect(checkFeedbackChange(null, doc('resolved'), 'administrator')).toMatch(
      /New reports start as/,
    )
  })
  it('refuses a status jump the workflow does not allow, whoever writes it', () => {
    expect(
      checkFeedbackChange(doc('new'), doc('resolved', {resolutionNote: 'x'}), 'administrator'),
    ).toMatch(/cannot move/)
  })
  it('refuses a resolve without a note and spam from an editor', () => {
    expect(checkFeedbackChange(doc('in-progress'), doc('resolved'), 'editor')).toMatch(
      /resolution note/,
    )
    expect(checkFeedbackChange(doc('new'), doc('spam', {spamReason: 'x'}), 'editor')).toMatch(
      /Only administrators and reviewers/,
    )
  })
  it('ignores changes that keep the status, and deletions', () => {
    expect(checkFeedbackChange(doc('new'), doc('new', {assignee: 'p-1'}), 'reviewer')).toBe(true)
    expect(checkFeedbackChange(doc('new'), null, 'administrator')).toBe(true)
  })
  it('refuses unknown statuses', () => {
    expect(checkFeedbackChange(doc('new'), doc('done'), 'administrator')).toMatch(
      /not a workflow state/,
    )
  })
})

describe('roles held together', () => {
  it('allows a move when any of a person’s roles allows it', async () => {
    const {blockerForRoles, effectiveRole} = await import('../../feedback/transitions')
    expect(blockerForRoles('new', 'spam', ['editor'])).toMatch(/Only administrators and reviewers/)
    expect(blockerForRoles('new', 'spam', ['editor', 'reviewer'])).toBeUndefined()
    expect(effectiveRole('new', 'spam', ['editor', 'reviewer'])).toBe('reviewer')
    // Roles the workflow does not know (hosted custom roles): the workflow alone decides.
    expect(blockerForRoles('new', 'spam', ['developer'])).toBeUndefined()
    expect(blockerForRoles('new', 'resolved', ['developer'])).toMatch(/cannot move/)
  })
  it('names the usual next step', async () => {
    const {naturalNextStatus} = await import('../../feedback/transitions')
    expect(naturalNextStatus('new')).toBe('triaged')
    expect(naturalNextStatus('in-progress')).toBe('resolved')
    expect(naturalNextStatus(undefined)).toBe('triaged')
  })
})
