import {describe, expect, it} from 'vitest'

import {
  canTransition,
  feedbackCategories,
  feedbackDocumentId,
  feedbackStatusIds,
  feedbackWorkflow,
  isFeedbackDocumentId,
  isRoutedToContactPage,
  nextStatuses,
  openFeedbackStatuses,
  requiresResolutionNote,
} from '../../feedback/workflow'
import {compiledSchema} from '../../scripts/lib/schema'

describe('the feedback workflow', () => {
  it('defines every status once, in the declared order', () => {
    expect(feedbackWorkflow.map((s) => s.id)).toEqual([...feedbackStatusIds])
  })

  it('only transitions to known states, and every state is reachable from "new"', () => {
    const ids = new Set<string>(feedbackStatusIds)
    for (const state of feedbackWorkflow) {
      for (const target of state.transitions) expect(ids.has(target), target).toBe(true)
      expect(state.transitions).not.toContain(state.id)
    }
    const reached = new Set<string>(['new'])
    const queue = ['new']
    while (queue.length > 0) {
      for (const next of nextStatuses(queue.shift())) {
        if (!reached.has(next.id)) queue.push(next.id)
        reached.add(next.id)
      }
    }
    expect([...reached].sort()).toEqual([...feedbackStatusIds].sort())
  })

  it('follows new → triaged → in-progress → resolved and refuses shortcuts', () => {
    expect(canTransition('new', 'triaged')).toBe(true)
    expect(canTransition('triaged', 'in-progress')).toBe(true)
    expect(canTransition('in-progress', 'resolved')).toBe(true)
    expect(canTransition('new', 'resolved')).toBe(false)
    expect(canTransition('new', 'in-progress')).toBe(false)
    expect(canTransition('resolved', 'new')).toBe(false)
    expect(canTransition('new', 'new')).toBe(false)
  })

  it('lets closed reports be reopened', () => {
    expect(canTransition('resolved', 'in-progress')).toBe(true)
    expect(canTransition('wont-fix', 'triaged')).toBe(true)
    expect(canTransition('spam', 'new')).toBe(true)
  })

  it('rejects unknown states instead of guessing', () => {
    expect(canTransition('new', 'done')).toBe(false)
    expect(canTransition('open', 'triaged')).toBe(false)
    expect(canTransition(undefined, 'triaged')).toBe(false)
    expect(nextStatuses('nonsense')).toEqual([])
  })

  it('applies roles: viewers and anonymous callers never triage, only reviewers and admins mark spam', () => {
    expect(canTransition('new', 'triaged', 'editor')).toBe(true)
    expect(canTransition('new', 'triaged', 'viewer')).toBe(false)
    expect(canTransition('new', 'triaged', 'anonymous')).toBe(false)
    expect(canTransition('new', 'spam', 'reviewer')).toBe(true)
    expect(canTransition('new', 'spam', 'administrator')).toBe(true)
    expect(canTransition('new', 'spam', 'editor')).toBe(false)
    expect(nextStatuses('new', 'editor').map((s) => s.id)).toEqual([
      'triaged',
      'duplicate',
      'not-a-page-problem',
    ])
  })

  it('requires a resolution note only to resolve', () => {
    expect(feedbackStatusIds.filter(requiresResolutionNote)).toEqual(['resolved'])
  })

  it('treats new, triaged and in-progress as open', () => {
    expect(openFeedbackStatuses).toEqual(['new', 'triaged', 'in-progress'])
  })

  it('routes only career questions to the contact page', () => {
    expect(feedbackCategories.filter((c) => isRoutedToContactPage(c.id)).map((c) => c.id)).toEqual([
      'career-question',
    ])
  })

  it('keeps feedback under the feedback. sub-path', () => {
    const id = feedbackDocumentId('3f1c')
    expect(id).toBe('feedback.3f1c')
    expect(isFeedbackDocumentId(id)).toBe(true)
    expect(isFeedbackDocumentId(`drafts.${id}`)).toBe(true)
    expect(isFeedbackDocumentId('page-feedback')).toBe(false)
  })

  it('is what the schema offers: status and category options come from this module', () => {
    const type = compiledSchema().get('feedbackSubmission') as unknown as {
      fields: {name: string; type: {options?: {list?: {value: string}[]}}}[]
    }
    const options = (name: string) =>
      type.fields.find((f) => f.name === name)?.type.options?.list?.map((o) => o.value)
    expect(options('status')).toEqual([...feedbackStatusIds])
    expect(options('category')).toEqual(feedbackCategories.map((c) => c.id))
  })
})
