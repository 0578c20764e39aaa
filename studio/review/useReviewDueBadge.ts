import type {DocumentBadgeDescription, DocumentBadgeProps} from 'sanity'

import {isoDate, isReviewDue} from './reviewDates'

/** "Review due" on pages whose next review date has come (published or draft, as edited). */
export function useReviewDueBadge(props: DocumentBadgeProps): DocumentBadgeDescription | null {
  const page = props.draft ?? props.published
  if (!page || !isReviewDue(page['nextReviewDue'], isoDate(new Date()))) return null
  return {
    label: 'Review due',
    title: page['nextReviewDue']
      ? `The next review was due on ${String(page['nextReviewDue'])}`
      : 'This page has no review date',
    color: 'warning',
  }
}
