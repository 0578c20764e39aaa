/** The document action and badge resolvers the Studio config plugs in (no rendering needed). */
import type {
  DocumentActionComponent,
  DocumentActionsContext,
  DocumentBadgeComponent,
  DocumentBadgesContext,
} from 'sanity'
import {describe, expect, it} from 'vitest'

import {feedbackWorkflow} from '../../feedback/workflow'
import {
  feedbackDocumentActions,
  feedbackDocumentBadges,
  feedbackOverviewTool,
} from '../../studio/feedback'

function action(name: string, key?: string): DocumentActionComponent {
  const a: DocumentActionComponent = () => null
  a.displayName = name
  if (key) a.action = key as DocumentActionComponent['action']
  return a
}
const publish = action('Publish', 'publish')
const duplicate = action('Duplicate', 'duplicate')
const del = action('Delete', 'delete')
const prev = [publish, duplicate, del]
const ctx = (schemaType: string, role = 'reviewer') =>
  ({
    schemaType,
    currentUser: {id: `p-${role}`, name: role, email: '', role, roles: [{name: role, title: role}]},
  }) as unknown as DocumentActionsContext & DocumentBadgesContext

describe('feedbackDocumentActions', () => {
  it('returns prev unchanged for other types', () => {
    expect(feedbackDocumentActions(prev, ctx('page'))).toBe(prev)
  })
  it('puts the next step first, one action per workflow state, assign and note, and drops the defaults', () => {
    const actions = feedbackDocumentActions(prev, ctx('feedbackSubmission'))
    const names = actions.map((a) => a.displayName)
    expect(names[0]).toBe('FeedbackNextStep')
    expect(names).toEqual(
      expect.arrayContaining(feedbackWorkflow.map((s) => `FeedbackTransitionTo(${s.id})`)),
    )
    expect(names).toContain('FeedbackAssignToMe')
    expect(names).toContain('FeedbackAddInternalNote')
    expect(actions).not.toContain(duplicate)
    expect(actions).not.toContain(del)
    expect(actions).not.toContain(publish)
  })
})

describe('feedbackDocumentBadges', () => {
  const badge: DocumentBadgeComponent = () => null
  it('adds the status badge to feedback and the open count to pages only', () => {
    expect(feedbackDocumentBadges([badge], ctx('feedbackSubmission'))).toHaveLength(2)
    expect(feedbackDocumentBadges([badge], ctx('page'))).toHaveLength(2)
    expect(feedbackDocumentBadges([badge], ctx('programme'))).toEqual([badge])
  })
})

describe('feedbackOverviewTool', () => {
  it('is a named tool with a component', () => {
    expect(feedbackOverviewTool).toMatchObject({name: 'feedback-overview', title: 'Feedback'})
    expect(typeof feedbackOverviewTool.component).toBe('function')
  })
})
