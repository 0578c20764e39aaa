import {CheckmarkCircleIcon} from '@sanity/icons/CheckmarkCircle'
import {
  type DocumentActionDescription,
  type DocumentActionProps,
  useDocumentOperation,
} from 'sanity'

import {isoDate, reviewedOn} from './reviewDates'

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

/**
 * Sets the review dates on the published page and publishes at once, so marking a page reviewed
 * never leaves a stray draft behind.
 */
export function useMarkReviewedAction(props: DocumentActionProps): DocumentActionDescription {
  const {patch, publish} = useDocumentOperation(props.id, props.type)
  const blocker = markReviewedBlocker({
    published: Boolean(props.published),
    hasDraft: Boolean(props.draft),
  })
  return {
    label: 'Mark reviewed',
    icon: CheckmarkCircleIcon,
    disabled: Boolean(blocker) || Boolean(patch.disabled) || Boolean(publish.disabled),
    title:
      blocker ?? 'Record that the content was checked today; the next review is due in a year.',
    onHandle: () => {
      patch.execute([{set: reviewedOn(isoDate(new Date()))}])
      publish.execute()
      props.onComplete()
    },
  } satisfies DocumentActionDescription
}
