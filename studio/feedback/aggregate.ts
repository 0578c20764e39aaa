/**
 * The overview's numbers, as a pure function of query results: counts by state, by page and by
 * week over a window of 7, 30 or 90 days. Spam is counted only in its own state bar.
 */
import {feedbackWorkflow, type FeedbackStatus} from '../../feedback/workflow'

export const OVERVIEW_WINDOWS = [7, 30, 90] as const
export type OverviewWindow = (typeof OVERVIEW_WINDOWS)[number]

export interface OverviewRow {
  status?: string | null
  path?: string | null
  pageTitle?: string | null
  submittedAt?: string | null
}

export interface Bar {
  key: string
  label: string
  count: number
}

export interface Overview {
  total: number
  open: number
  byState: (Bar & {status: FeedbackStatus})[]
  byPage: Bar[]
  /** Oldest week first; weeks start on Monday (UTC), labelled by that date. */
  byWeek: Bar[]
}

const DAY = 86_400_000

/** Monday 00:00 UTC of the week containing `ms`. */
export function weekStart(ms: number): number {
  const day = Math.floor(ms / DAY)
  // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
  return (day - ((day + 3) % 7)) * DAY
}

export function aggregateFeedback(
  rows: readonly OverviewRow[],
  options: {now: number; days: OverviewWindow; topPages?: number},
): Overview {
  const since = options.now - options.days * DAY
  const inWindow = rows.filter((r) => {
    const at = r.submittedAt ? Date.parse(r.submittedAt) : NaN
    return at >= since && at <= options.now
  })
  const byStateCount = new Map<string, number>()
  for (const r of inWindow)
    byStateCount.set(r.status ?? 'new', (byStateCount.get(r.status ?? 'new') ?? 0) + 1)
  const byState = feedbackWorkflow.map((s) => ({
    key: s.id,
    status: s.id,
    label: s.title,
    count: byStateCount.get(s.id) ?? 0,
  }))

  const genuine = inWindow.filter((r) => r.status !== 'spam')
  const pages = new Map<string, Bar>()
  for (const r of genuine) {
    const key = r.path ?? '(unknown page)'
    const bar = pages.get(key) ?? {key, label: r.pageTitle ?? key, count: 0}
    bar.count++
    pages.set(key, bar)
  }
  const byPage = [...pages.values()]
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, options.topPages ?? 10)

  const weeks = new Map<number, number>()
  for (let w = weekStart(since); w <= options.now; w += 7 * DAY) weeks.set(w, 0)
  for (const r of genuine) {
    const w = weekStart(Date.parse(r.submittedAt ?? ''))
    weeks.set(w, (weeks.get(w) ?? 0) + 1)
  }
  const byWeek = [...weeks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([w, count]) => {
      const date = new Date(w).toISOString().slice(0, 10)
      return {key: date, label: date, count}
    })

  const openIds = new Set<string>(feedbackWorkflow.filter((s) => s.open).map((s) => s.id))
  return {
    total: genuine.length,
    open: genuine.filter((r) => openIds.has(r.status ?? 'new')).length,
    byState,
    byPage,
    byWeek,
  }
}
