/**
 * The feedback structure built by a real Structure Builder for a real workspace (this project's
 * schema), serialised as the Studio would: lists, filters and parameters.
 */
import type {StructureResolverContext} from 'sanity/structure'
import {describe, expect, it} from 'vitest'

import {feedbackStructure, pageFeedbackView} from '../../studio/feedback'
import {structureBuilder} from '../helpers/structure'

const builder = () => structureBuilder('reviewer')

interface Serialised {
  id: string
  title?: string
  type?: string
  child?: unknown
  options?: {filter?: string; params?: Record<string, unknown>}
}

describe('feedbackStructure', () => {
  it('builds the inbox lists with spam kept apart and "assigned to me" for the current user', async () => {
    const {S, source} = await builder()
    const item = feedbackStructure(S, {
      ...source,
      currentUser: source.currentUser,
    } as unknown as StructureResolverContext)
    const list = item.serialize() as unknown as {title: string; child: {items: Serialised[]}}
    expect(list.title).toBe('Feedback')
    const items = list.child.items.filter((i) => i.type !== 'divider')
    expect(items.map((i) => i.id)).toEqual([
      'feedback-open',
      'feedback-assigned-to-me',
      'feedback-by-page',
      'feedback-new',
      'feedback-triaged',
      'feedback-in-progress',
      'feedback-resolved',
      'feedback-wont-fix',
      'feedback-duplicate',
      'feedback-not-a-page-problem',
      'feedback-spam',
    ])
    const child = (id: string) => {
      const found = items.find((i) => i.id === id)?.child as
        Serialised | {serialize: () => Serialised}
      return 'serialize' in found ? found.serialize() : found
    }
    expect(child('feedback-assigned-to-me').options?.filter).toContain('assignee == identity()')
    expect(child('feedback-open').options?.filter).toContain('status in $open')
    expect(child('feedback-new').options?.params).toEqual({status: 'new'})
    expect(child('feedback-spam').options?.params).toEqual({status: 'spam'})
  })

  it('gives pages a Feedback view', async () => {
    const {S} = await builder()
    expect(pageFeedbackView(S).serialize()).toMatchObject({
      id: 'feedback',
      title: 'Feedback',
      type: 'component',
    })
  })
})
