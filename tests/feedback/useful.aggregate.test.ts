import {describe, expect, it} from 'vitest'

import {
  pagesMostNotUseful,
  type UsefulCount,
  usefulSummaries,
  usefulSummary,
  windowStart,
} from '../../feedback/useful'

const TODAY = '2026-11-29'
const count = (pageId: string, day: string, yes: number, no: number, title = pageId) =>
  ({pageId, title, day, yes, no}) satisfies UsefulCount

const counts: UsefulCount[] = [
  count('page-a', '2026-11-29', 8, 2, 'Cardiac sciences'),
  count('page-a', '2026-11-23', 1, 1, 'Cardiac sciences'), // the 7th day back: inside 7 days
  count('page-a', '2026-11-22', 0, 10, 'Cardiac sciences'), // the 8th: outside 7, inside 30
  count('page-b', '2026-11-01', 0, 4, 'Training routes'), // inside 30 days (29 days back)
  count('page-b', '2026-10-30', 0, 3, 'Training routes'), // the 31st day back: inside 90 only
  count('page-c', '2026-08-31', 0, 50, 'Registers'), // the 91st day back: outside every window
  count('page-c', '2026-11-30', 0, 99, 'Registers'), // tomorrow (a clock ahead): not counted
]

describe('usefulness over a window', () => {
  it('counts the days ending today, both ends included', () => {
    expect(windowStart(TODAY, 7)).toBe('2026-11-23')
    expect(usefulSummary(counts, TODAY, 7)).toEqual({yes: 9, no: 3, percentUseful: 75})
    expect(usefulSummary(counts, TODAY, 30)).toEqual({yes: 9, no: 17, percentUseful: 35})
    expect(usefulSummary(counts, TODAY, 90)).toEqual({yes: 9, no: 20, percentUseful: 31})
  })

  it('says nothing rather than 0% when nobody answered', () => {
    expect(usefulSummary([], TODAY, 7)).toEqual({yes: 0, no: 0, percentUseful: null})
  })

  it('gives the 7, 30 and 90 day windows the Studio shows', () => {
    expect(usefulSummaries(counts, TODAY).map((w) => [w.days, w.summary.no])).toEqual([
      [7, 3],
      [30, 17],
      [90, 20],
    ])
  })
})

describe('the pages with the most "No" answers', () => {
  it('adds up each page over the window, most "No" first', () => {
    expect(pagesMostNotUseful(counts, TODAY, 90)).toEqual([
      {pageId: 'page-a', title: 'Cardiac sciences', yes: 9, no: 13, percentUseful: 41},
      {pageId: 'page-b', title: 'Training routes', yes: 0, no: 7, percentUseful: 0},
    ])
    expect(pagesMostNotUseful(counts, TODAY, 7).map((p) => p.pageId)).toEqual(['page-a'])
  })

  it('leaves out pages nobody said "No" to, breaks ties by fewer "yes", and keeps the limit', () => {
    const tied = [
      count('page-x', TODAY, 5, 2),
      count('page-y', TODAY, 1, 2),
      count('page-z', TODAY, 9, 0),
    ]
    expect(pagesMostNotUseful(tied, TODAY, 7).map((p) => p.pageId)).toEqual(['page-y', 'page-x'])
    expect(pagesMostNotUseful(tied, TODAY, 7, 1).map((p) => p.pageId)).toEqual(['page-y'])
  })
})
