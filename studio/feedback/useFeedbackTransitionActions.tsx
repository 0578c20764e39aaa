/**
 * One document action per workflow state, built from the workflow data: allowed moves are
 * enabled, the others are shown disabled with a title saying why. The usual next step from the
 * current state is offered first by `useNextStepAction` (feedback is live-edited, and Studio v6
 * shows a live-edited document's actions in the menu rather than as a primary button).
 */
import type {DocumentActionComponent} from 'sanity'

import {type FeedbackWorkflowState, feedbackWorkflow} from '../../feedback/workflow'
import {naturalNextStatus} from '../../feedback/transitions'
import {useFeedbackTransition} from './useFeedbackTransition'

function transitionActionFor(state: FeedbackWorkflowState): DocumentActionComponent {
  const useTransitionAction: DocumentActionComponent = (props) => {
    const status = (props.published ?? props.draft)?.['status']
    // The primary button already offers the usual next step; do not list it twice.
    const hidden = naturalNextStatus(status) === state.id
    return useFeedbackTransition(props, hidden ? undefined : state.id, 'Move to: ')
  }
  useTransitionAction.displayName = `FeedbackTransitionTo(${state.id})`
  return useTransitionAction
}

export const feedbackTransitionActions: DocumentActionComponent[] =
  feedbackWorkflow.map(transitionActionFor)

export const useNextStepAction: DocumentActionComponent = (props) => {
  const status = (props.published ?? props.draft)?.['status']
  return useFeedbackTransition(props, naturalNextStatus(status), 'Next step: ')
}
useNextStepAction.displayName = 'FeedbackNextStep'
