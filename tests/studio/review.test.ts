import {evaluate, parse} from 'groq-js'
import {describe, expect, it} from 'vitest'

import {reviewDueFilter} from '../../studio/structure/pages'
import {addMonths, isReviewDue, reviewedOn, reviewIntervalOf} from '../../studio/review/reviewDates'
import {markReviewedBlocker} from '../../studio/review/useMarkReviewedAction'

describe('review dates', () => {
  it('adds whole months, clamping to the end of shorter months', () => {
    expect(addMonths('2026-11-25', 12)).toBe('2027-11-25')
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28')
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
    expect(addMonths('2026-12-15', 3)).toBe('2027-03-15')
  })

  it('marks a page reviewed today and due again in a year', () => {
    expect(reviewedOn('2026-11-25')).toEqual({
      lastReviewed: '2026-11-25',
      nextReviewDue: '2027-11-25',
    })
  })

  it('uses the page’s own interval when it has a sensible one, else 12 months', () => {
    expect(reviewIntervalOf({reviewIntervalMonths: 6})).toBe(6)
    expect(reviewedOn('2026-11-25', 6)).toEqual({
      lastReviewed: '2026-11-25',
      nextReviewDue: '2027-05-25',
    })
    expect(reviewIntervalOf(undefined)).toBe(12)
    expect(reviewIntervalOf({})).toBe(12)
    for (const odd of [0, -3, 2.5, 600, '6', null]) {
      expect(reviewIntervalOf({reviewIntervalMonths: odd})).toBe(12)
    }
  })

  it('is due on or after the review date, or with no date at all', () => {
    expect(isReviewDue('2026-11-24', '2026-11-25')).toBe(true)
    expect(isReviewDue('2026-11-25', '2026-11-25')).toBe(true)
    expect(isReviewDue('2026-11-26', '2026-11-25')).toBe(false)
    expect(isReviewDue(undefined, '2026-11-25')).toBe(true)
  })

  it('lists the same pages as the badge marks', async () => {
    const today = '2026-11-25'
    const pages = [
      {_id: 'late', _type: 'page', nextReviewDue: '2026-01-01'},
      {_id: 'today', _type: 'page', nextReviewDue: today},
      {_id: 'later', _type: 'page', nextReviewDue: '2027-06-01'},
      {_id: 'undated', _type: 'page'},
      {_id: 'not-a-page', _type: 'programme'},
    ]
    const listed = await (
      await evaluate(parse(`*[${reviewDueFilter}]._id`), {dataset: pages, params: {today}})
    ).get()
    expect(listed).toEqual(['late', 'today', 'undated'])
    expect(pages.filter((p) => p._type === 'page' && isReviewDue(p.nextReviewDue, today))).toEqual(
      pages.filter((p) => listed.includes(p._id)),
    )
  })
})

describe('"Mark reviewed" is disabled with a reason', () => {
  it('until the page is published', () => {
    expect(markReviewedBlocker({published: false, hasDraft: true})).toMatch(
      /Publish the page first/,
    )
  })
  it('while it has unpublished changes', () => {
    expect(markReviewedBlocker({published: true, hasDraft: true})).toMatch(/unpublished changes/)
  })
  it('and enabled for a published page with no draft', () => {
    expect(markReviewedBlocker({published: true, hasDraft: false})).toBeUndefined()
  })
})
