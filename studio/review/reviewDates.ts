/**
 * Page review governance as plain date arithmetic on `YYYY-MM-DD` strings (the schema's `date`
 * type), so the badge, the action and the "Review due" list agree and can be tested alone.
 */

/** How long a reviewed page stays current unless the page sets its own interval. */
export const REVIEW_INTERVAL_MONTHS = 12

/** Today as the schema stores dates, in UTC so every editor's Studio agrees. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** `from` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(from: string, months: number): string {
  const [year, month, day] = from.split('-').map(Number) as [number, number, number]
  const target = new Date(Date.UTC(year, month - 1 + months, 1))
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate()
  target.setUTCDate(Math.min(day, lastDay))
  return isoDate(target)
}

/**
 * The page's own review interval in months when it has a usable one (`reviewIntervalMonths`, a
 * whole number from 1 to 60), else the default. Anything else is ignored rather than trusted: a
 * typo must not push the next review decades away.
 */
export function reviewIntervalOf(page: Record<string, unknown> | null | undefined): number {
  const months = page?.['reviewIntervalMonths']
  return typeof months === 'number' && Number.isInteger(months) && months >= 1 && months <= 60
    ? months
    : REVIEW_INTERVAL_MONTHS
}

/** The dates "Mark reviewed" writes. */
export function reviewedOn(
  today: string,
  months: number = REVIEW_INTERVAL_MONTHS,
): {lastReviewed: string; nextReviewDue: string} {
  return {lastReviewed: today, nextReviewDue: addMonths(today, months)}
}

/** A page is due when its review date has come, or when it has none at all. */
export function isReviewDue(nextReviewDue: unknown, today: string): boolean {
  return typeof nextReviewDue !== 'string' || nextReviewDue <= today
}
