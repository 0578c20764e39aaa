/**
 * The feedback write policy as a pure function (`feedback/policy.ts`): each rule of issue #11's
 * finding 3, on one change at a time, with the lake's clock fixed.
 */
import {describe, expect, it} from 'vitest'

import {auditEntry, erasureOf, INTAKE_WRITER_ID, sameValue} from '../../feedback/integrity'
import {type FeedbackChange, feedbackWriteRefusal} from '../../feedback/policy'
import type {FeedbackWriter} from '../../feedback/integrity'

const NOW = Date.parse('2026-11-29T12:00:00.000Z')
const AT = '2026-11-29T12:00:00.000Z'
const intake: FeedbackWriter = {id: INTAKE_WRITER_ID, name: 'Feedback intake', role: 'reviewer'}
const rita: FeedbackWriter = {id: 'p-rita', name: 'Rita', role: 'reviewer'}
const ed: FeedbackWriter = {id: 'p-ed', name: 'Ed', role: 'editor'}
const ada: FeedbackWriter = {id: 'p-ada', name: 'Ada', role: 'administrator'}

const report = (extra: Record<string, unknown> = {}): {_id: string} & Record<string, unknown> => ({
  _id: 'feedback.x',
  _type: 'feedbackSubmission',
  status: 'new',
  whatWentWrong: 'Broken link',
  submittedAt: '2026-11-28T09:00:00.000Z',
  category: 'broken-link',
  page: {_type: 'reference', _ref: 'page-a', _weak: true},
  userAgent: 'Firefox',
  ...extra,
})

const change = (
  previous: object | null,
  result: object | null,
  documentId = 'feedback.x',
): FeedbackChange[] => [{documentId, previous, result}] as unknown as FeedbackChange[]

const refusal = (changes: FeedbackChange[], writer: FeedbackWriter) =>
  feedbackWriteRefusal(changes, writer, {intakeWriters: [INTAKE_WRITER_ID], now: NOW})

const moved = (from: Record<string, unknown>, to: string, by = rita, extra = {}) => ({
  ...from,
  status: to,
  ...extra,
  auditTrail: [
    ...((from['auditTrail'] as unknown[]) ?? []),
    auditEntry({from: from['status'], to: to as 'triaged', by, at: AT, key: 'k1'}),
  ],
})

describe('feedbackWriteRefusal', () => {
  it('lets the intake file a report in its states; refuses editors and reviewers', () => {
    expect(refusal(change(null, report()), intake)).toBeUndefined()
    expect(refusal(change(null, report()), rita)).toMatchObject({status: 403})
    expect(refusal(change(null, report({status: 'spam', spamReason: 'x'})), ed)).toMatchObject({
      status: 403,
    })
    expect(refusal(change(null, report({status: 'duplicate'})), intake)).toMatchObject({
      status: 409,
      description: expect.stringMatching(/which report it duplicates/),
    })
    expect(refusal(change(null, report({status: 'triaged'})), ada)?.description).toMatch(
      /New reports start as/,
    )
  })

  it('ignores documents outside feedback', () => {
    expect(refusal(change(null, {_id: 'page-a', _type: 'page'}, 'page-a'), rita)).toBeUndefined()
  })

  it("refuses any change to the public's fields, from anyone", () => {
    for (const writer of [rita, ed, ada]) {
      expect(refusal(change(report(), report({whatWentWrong: 'Other'})), writer)).toMatchObject({
        status: 409,
        description: expect.stringContaining('"whatWentWrong" is what the public sent'),
      })
      expect(refusal(change(report(), report({submittedAt: AT})), writer)).toMatchObject({
        status: 409,
      })
    }
    // Fields that are not the public's are the reviewers' to change.
    expect(refusal(change(report(), report({assignee: 'p-rita'})), rita)).toBeUndefined()
  })

  it('refuses writing a draft or version of a report; deleting a stray one is fine', () => {
    expect(refusal(change(null, report(), 'drafts.feedback.x'), rita)?.description).toMatch(
      /edited live/,
    )
    expect(refusal(change(report(), null, 'drafts.feedback.x'), rita)).toBeUndefined()
  })

  it('needs exactly one audit entry per move, by the mover, now, with the note', () => {
    expect(refusal(change(report(), moved(report(), 'triaged')), rita)).toBeUndefined()
    expect(refusal(change(report(), report({status: 'triaged'})), rita)?.description).toMatch(
      /appends one entry/,
    )
    expect(refusal(change(report(), moved(report(), 'triaged', ed)), rita)?.description).toMatch(
      /by "p-rita"/,
    )
    const late = moved(report(), 'triaged')
    ;(late.auditTrail[0] as {at: string}).at = '2026-11-29T11:00:00.000Z'
    expect(refusal(change(report(), late), rita)?.description).toMatch(/at: the time of the move/)
    const inProgress = report({status: 'in-progress'})
    const resolved = moved(inProgress, 'resolved', rita, {resolutionNote: 'Fixed'})
    expect(refusal(change(inProgress, resolved), rita)?.description).toMatch(/note "Fixed"/)
    // Won't fix: the note is recommended, so an entry with the note given or with none will do,
    // even when the note is the one an earlier resolve left.
    const reopened = report({status: 'triaged', resolutionNote: 'Old'})
    const declined = moved(reopened, 'wont-fix')
    expect(refusal(change(reopened, declined), rita)).toBeUndefined()
    const withNote = {
      ...declined,
      auditTrail: [{...(declined.auditTrail[0] as object), note: 'Old'}],
    }
    expect(refusal(change(reopened, withNote), rita)).toBeUndefined()
    const otherNote = {
      ...declined,
      auditTrail: [{...(declined.auditTrail[0] as object), note: 'x'}],
    }
    expect(refusal(change(reopened, otherNote), rita)?.description).toMatch(/no note or note "Old"/)
  })

  it('keeps audit entries as written, and adds none without a move', () => {
    const triaged = moved(report(), 'triaged')
    const edited = {...triaged, auditTrail: [{...(triaged.auditTrail[0] as object), by: 'p-other'}]}
    expect(refusal(change(triaged, edited), ada)?.description).toMatch(/cannot be edited/)
    expect(refusal(change(triaged, {...triaged, auditTrail: []}), ada)?.description).toMatch(
      /cannot be edited or removed/,
    )
    expect(
      refusal(change(report(), {...moved(report(), 'triaged'), status: 'new'}), rita),
    ).toMatchObject({description: expect.stringMatching(/does not move/)})
  })

  it('keeps what a state needs on every edit: a resolved report keeps its note', () => {
    const resolved = report({status: 'resolved', resolutionNote: 'Fixed'})
    const without = {...resolved, resolutionNote: undefined}
    expect(refusal(change(resolved, without), ada)?.description).toMatch(/needs a resolution note/)
  })

  it('refuses deleting a report, or an erasure record, to everyone', () => {
    expect(refusal(change(report(), null), ada)?.description).toMatch(/erases one instead/)
    const record = erasureOf(report(), {by: ada, at: AT, reason: 'Asked'})
    expect(refusal(change(record, null), ada)?.description).toMatch(/erasure record is kept/)
    expect(refusal(change(record, {...record, reason: 'Other'}), ada)?.description).toMatch(
      /cannot be changed/,
    )
  })

  it('accepts exactly the erasure record, from an administrator, with a reason', () => {
    const record = erasureOf(report({status: 'triaged'}), {by: ada, at: AT, reason: 'Asked'})
    expect(record).toEqual({
      _id: 'feedback.x',
      _type: 'feedbackErasure',
      status: 'triaged',
      category: 'broken-link',
      page: {_type: 'reference', _ref: 'page-a', _weak: true},
      submittedAt: '2026-11-28T09:00:00.000Z',
      erasedAt: AT,
      erasedBy: 'p-ada',
      erasedByName: 'Ada',
      reason: 'Asked',
    })
    const previous = report({status: 'triaged'})
    expect(refusal(change(previous, record), ada)).toBeUndefined()
    expect(refusal(change(previous, record), rita)).toMatchObject({status: 403})
    expect(refusal(change(previous, {...record, userAgent: 'Firefox'}), ada)?.description).toMatch(
      /holds exactly/,
    )
    expect(refusal(change(previous, {...record, reason: ''}), ada)?.description).toMatch(/Say why/)
    expect(refusal(change(null, record), ada)?.description).toMatch(/replaces an existing report/)
  })
})

describe('sameValue', () => {
  it('compares JSON values structurally, key order aside', () => {
    expect(sameValue({a: 1, b: [1, {c: 2}]}, {b: [1, {c: 2}], a: 1})).toBe(true)
    expect(sameValue({a: 1}, {a: 1, b: 2})).toBe(false)
    expect(sameValue([1, 2], [2, 1])).toBe(false)
    expect(sameValue({a: undefined}, {})).toBe(true)
  })
})
