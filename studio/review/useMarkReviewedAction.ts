import {CheckmarkCircleIcon} from '@sanity/icons/CheckmarkCircle'
import {useEffect, useState} from 'react'
import {
  type DocumentActionDescription,
  type DocumentActionProps,
  useDocumentOperation,
} from 'sanity'

import {isoDate, reviewedOn, reviewIntervalOf} from './reviewDates'

/** Why "Mark reviewed" cannot run now, or undefined when it can. */
export function markReviewedBlocker(state: {
  published: boolean
  hasDraft: boolean
}): string | undefined {
  if (!state.published) return 'Publish the page first: only a published page can be reviewed.'
  if (state.hasDraft) {
    return 'The page has unpublished changes: publish or discard them, then mark it reviewed.'
  }
  return undefined
}

type Stage = 'patching' | 'publishing'

/**
 * Sets the review dates and publishes them, so marking a page reviewed never leaves a stray
 * draft behind. The patch creates the draft; publishing has to wait until the document store
 * sees it (before that, publish is disabled with "no changes"), hence the pending dates.
 */
export function useMarkReviewedAction(props: DocumentActionProps): DocumentActionDescription {
  const {patch, publish} = useDocumentOperation(props.id, props.type)
  const [pending, setPending] = useState<{nextReviewDue: string; stage: Stage} | null>(null)
  const {draft, published, onComplete} = props

  useEffect(() => {
    if (!pending) return
    const {nextReviewDue, stage} = pending
    if (stage === 'patching' && draft?.['nextReviewDue'] === nextReviewDue && !publish.disabled) {
      setPending({nextReviewDue, stage: 'publishing'})
      publish.execute()
    } else if (stage === 'publishing' && !draft && published?.['nextReviewDue'] === nextReviewDue) {
      setPending(null)
      onComplete()
    }
  }, [pending, draft, published, publish, onComplete])

  const blocker = markReviewedBlocker({
    published: Boolean(props.published),
    hasDraft: Boolean(props.draft),
  })
  const months = reviewIntervalOf(props.published)
  return {
    label: pending ? 'Marking reviewed…' : 'Mark reviewed',
    icon: CheckmarkCircleIcon,
    disabled: Boolean(pending) || Boolean(blocker) || Boolean(patch.disabled),
    title:
      blocker ??
      `Record that the content was checked today; the next review is due in ${months} months.`,
    onHandle: () => {
      const dates = reviewedOn(isoDate(new Date()), months)
      setPending({nextReviewDue: dates.nextReviewDue, stage: 'patching'})
      patch.execute([{set: dates}])
    },
  } satisfies DocumentActionDescription
}
