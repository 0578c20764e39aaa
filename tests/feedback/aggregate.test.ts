import {describe, expect, it} from 'vitest'

import {aggregateFeedback, weekStart} from '../../studio/feedback/aggregate'

const now = Date.parse('2026-11-25T12:00:00Z') // a Wednesday
const rows = [
  {status: 'new', path: '/a', pageTitle: 'Page A', submittedAt: '2026-11-25T09:00:00Z'},
  {status: 'new', path: '/a', pageTitle: 'Page A', submittedAt: '2026-11-24T09:00:00Z'},
  {status: 'resolved', path: '/b', pageTitle: 'Page B', submittedAt: '2026-11-17T09:00:00Z'},
  {status: 'spam', path: '/a', submittedAt: '2026-11-25T10:00:00Z'},
  {status: 'triaged', path: '/c', pageTitle: 'Page C', submittedAt: '2026-10-10T09:00:00Z'},
  {status: 'new', path: '/old', submittedAt: '2026-01-01T09:00:00Z'},
]

describe('weekStart', () => {
  it('is the Monday of the week, 00:00 UTC', () => {
    expect(new Date(weekStart(now)).toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(new Date(weekStart(Date.parse('2026-11-23T00:00:00Z'))).toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    )
    expect(new Date(weekStart(Date.parse('2026-11-22T23:59:59Z'))).toISOString()).toBe(
      '2026-11-16T00:00:00.000Z',
    )
  })
})

describe('aggregateFeedback', () => {
  it('counts the last 7 days by state (spam in its own bar only) and by page', () => {
    const o = aggregateFeedback(rows, {now, days: 7})
    expect(o.total).toBe(2)
    expect(o.open).toBe(2)
    expect(Object.fromEntries(o.byState.map((b) => [b.key, b.count]))).toMatchObject({
      new: 2,
      resolved: 0,
      spam: 1,
    })
    expect(o.byPage).toEqual([{key: '/a', label: 'Page A', count: 2}])
  })

  it('widens to 30 and 90 days', () => {
    expect(aggregateFeedback(rows, {now, days: 30}).total).toBe(3)
    const o90 = aggregateFeedback(rows, {now, days: 90})
    expect(o90.total).toBe(4)
    expect(o90.byPage.map((b) => b.key)).toEqual(['/a', '/b', '/c'])
  })

  it('has a bar for every week in the window, empty weeks included, oldest first', () => {
    const o = aggregateFeedback(rows, {now, days: 30})
    // 30 days before Wednesday 25 November is Monday 26 October.
    expect(o.byWeek.map((w) => w.label)).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ])
    expect(o.byWeek.map((w) => w.count)).toEqual([0, 0, 0, 1, 2])
  })

  it('lists every workflow state, even at zero, and limits pages to the top N', () => {
    const many = Array.from({length: 15}, (_, i) => ({
      status: 'new',
      path: `/p${i}`,
      submittedAt: '2026-11-25T09:00:00Z',
    }))
    const o = aggregateFeedback(many, {now, days: 7, topPages: 10})
    expect(o.byState).toHaveLength(8)
    expect(o.byPage).toHaveLength(10)
  })
})
