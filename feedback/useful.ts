/**
 * "Is this page useful?": answers counted per page per day, with nothing personal kept (no
 * address, no browser), in one counter document per page per day
 * (`feedbackUseful.<pageId>.<yyyy-mm-dd>` with `yes` and `no`), so thousands of answers a day
 * make one document a page. The intake creates it if missing and increments it in one transaction;
 * `policy.ts` lets nobody else write it. The aggregations the Studio shows are here too.
 */
export const USEFUL_ID_PREFIX = 'feedbackUseful.'
export const USEFUL_TYPE = 'feedbackUseful'
export const usefulAnswers = ['yes', 'no'] as const
export type UsefulAnswer = (typeof usefulAnswers)[number]

export function isUsefulAnswer(value: unknown): value is UsefulAnswer {
  return value === 'yes' || value === 'no'
}

export function isUsefulDocumentId(id: string): boolean {
  return id.startsWith(USEFUL_ID_PREFIX) || id.includes(`.${USEFUL_ID_PREFIX}`)
}

/** The UTC day an answer counts on. */
export function usefulDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}

export function usefulCounterId(pageId: string, day: string): string {
  return `${USEFUL_ID_PREFIX}${pageId}.${day}`
}

export interface UsefulCounter {
  _id: string
  _type: typeof USEFUL_TYPE
  page: {_type: 'reference'; _ref: string; _weak: true}
  path: string
  day: string
  yes: number
  no: number
}

/** A page's counter for a day, at zero: what `createIfNotExists` writes before the `inc`. */
export function emptyUsefulCounter(pageId: string, path: string, day: string): UsefulCounter {
  return {
    _id: usefulCounterId(pageId, day),
    _type: USEFUL_TYPE,
    page: {_type: 'reference', _ref: pageId, _weak: true},
    path,
    day,
    yes: 0,
    no: 0,
  }
}

/** What the aggregations read of a counter (the Studio's query projects exactly this). */
export interface UsefulCount {
  pageId: string
  title?: string | null
  day: string
  yes: number
  no: number
}

export interface UsefulSummary {
  yes: number
  no: number
  /** Whole per cent of answers that were "yes"; `null` with no answers. */
  percentUseful: number | null
}

const DAY_MS = 24 * 60 * 60 * 1000

/** The first day (inclusive) of the `days` days ending `today`. */
export function windowStart(today: string, days: number): string {
  return usefulDay(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS)
}

function inWindow(count: UsefulCount, today: string, days: number): boolean {
  return count.day >= windowStart(today, days) && count.day <= today
}

function summaryOf(yes: number, no: number): UsefulSummary {
  const total = yes + no
  return {yes, no, percentUseful: total === 0 ? null : Math.round((yes / total) * 100)}
}

/** Answers in the `days` days ending `today` (UTC, `yyyy-mm-dd`). */
export function usefulSummary(
  counts: readonly UsefulCount[],
  today: string,
  days: number,
): UsefulSummary {
  let yes = 0
  let no = 0
  for (const count of counts) {
    if (!inWindow(count, today, days)) continue
    yes += count.yes
    no += count.no
  }
  return summaryOf(yes, no)
}

/** The windows the Studio shows. */
export const USEFUL_WINDOWS = [7, 30, 90] as const

export function usefulSummaries(
  counts: readonly UsefulCount[],
  today: string,
): {days: number; summary: UsefulSummary}[] {
  return USEFUL_WINDOWS.map((days) => ({days, summary: usefulSummary(counts, today, days)}))
}

export interface NotUsefulPage extends UsefulSummary {
  pageId: string
  title: string
}

/** The pages with the most "No" answers in the window, most first (ties: fewest "yes" first). */
export function pagesMostNotUseful(
  counts: readonly UsefulCount[],
  today: string,
  days: number,
  limit = 10,
): NotUsefulPage[] {
  const pages = new Map<string, {title: string; yes: number; no: number}>()
  for (const count of counts) {
    if (!inWindow(count, today, days)) continue
    const page = pages.get(count.pageId) ?? {title: count.title ?? count.pageId, yes: 0, no: 0}
    page.yes += count.yes
    page.no += count.no
    if (count.title) page.title = count.title
    pages.set(count.pageId, page)
  }
  return [...pages]
    .filter(([, page]) => page.no > 0)
    .map(([pageId, page]) => ({pageId, title: page.title, ...summaryOf(page.yes, page.no)}))
    .sort((a, b) => b.no - a.no || a.yes - b.yes || a.title.localeCompare(b.title))
    .slice(0, limit)
}
