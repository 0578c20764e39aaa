/** "Assign to me" (or "Unassign me" when it already is): who is handling the report. */
import {UserIcon} from '@sanity/icons/User'
import {useToast} from '@sanity/ui/toast'
import {useState} from 'react'
import {type DocumentActionComponent, useClient, useCurrentUser} from 'sanity'

import {apiVersion} from '../../lib/env'
import {FEEDBACK_TYPE} from './queries'
import {canWriteFeedback} from './roles'

export const useAssignToMeAction: DocumentActionComponent = (props) => {
  const client = useClient({apiVersion})
  const user = useCurrentUser()
  const toast = useToast()
  const [busy, setBusy] = useState(false)
  const doc = props.published ?? props.draft
  if (props.type !== FEEDBACK_TYPE || !doc || !user || !canWriteFeedback(user)) return null
  const mine = doc['assignee'] === user.id
  return {
    label: mine ? 'Unassign me' : 'Assign to me',
    icon: UserIcon,
    disabled: busy,
    title: mine ? 'Give the report back to the queue.' : 'Show it in your "Assigned to me" list.',
    onHandle: () => {
      setBusy(true)
      // The revision it was decided on: someone else taking it meanwhile fails, not overwrites.
      const patch = client.patch(doc._id).ifRevisionId(doc._rev)
      ;(mine ? patch.unset(['assignee']) : patch.set({assignee: user.id}))
        .commit()
        .catch((error: {statusCode?: number; message?: string}) =>
          toast.push({
            status: 'error',
            title: mine ? 'Not unassigned' : 'Not assigned',
            description:
              error.statusCode === 409
                ? 'Someone else changed this report a moment ago; look at it again.'
                : error.message,
          }),
        )
        .finally(() => {
          setBusy(false)
          props.onComplete()
        })
    },
  }
}
useAssignToMeAction.displayName = 'FeedbackAssignToMe'
