/** The report's workflow state as a badge, in the state's own colour. */
import type {DocumentBadgeComponent} from 'sanity'

import {workflowState} from '../../feedback/workflow'
import {FEEDBACK_TYPE} from './queries'

export const useFeedbackStatusBadge: DocumentBadgeComponent = (props) => {
  if (props.type !== FEEDBACK_TYPE) return null
  const state = workflowState((props.published ?? props.draft)?.['status'])
  if (!state) return null
  return {label: state.title, color: state.color, title: state.description}
}
