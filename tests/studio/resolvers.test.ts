/** The config's resolvers: singletons kept whole, review action on pages, Vision for admins. */
import type {
  ConfigContext,
  DocumentActionComponent,
  DocumentActionsContext,
  DocumentBadgesContext,
  NewDocumentCreationContext,
  NewDocumentOptionsContext,
  TemplateItem,
  Tool,
} from 'sanity'
import {describe, expect, it} from 'vitest'

import {
  resolveDocumentActions,
  resolveDocumentBadges,
  resolveNewDocumentOptions,
} from '../../studio/documentActions'
import {useMarkReviewedAction} from '../../studio/review/useMarkReviewedAction'
import {useReviewDueBadge} from '../../studio/review/useReviewDueBadge'
import {canTriageFeedback, canUseVision, resolveTools} from '../../studio/tools'

function action(key: NonNullable<DocumentActionComponent['action']>): DocumentActionComponent {
  const component: DocumentActionComponent = () => null
  component.action = key
  return component
}
const defaults = (['publish', 'unpublish', 'discardChanges', 'duplicate', 'delete'] as const).map(
  action,
)
// The resolvers read only `schemaType`; the rest of the context is the workspace's.
const context = (schemaType: string) =>
  ({schemaType}) as DocumentActionsContext & DocumentBadgesContext

describe('document actions', () => {
  it('never lets the settings singleton be unpublished, deleted or duplicated', () => {
    const kept = resolveDocumentActions(defaults, context('settings')).map((a) => a.action)
    expect(kept).toEqual(['publish', 'discardChanges'])
  })

  it('adds "Mark reviewed" to pages after the defaults', () => {
    const actions = resolveDocumentActions(defaults, context('page'))
    expect(actions.slice(0, defaults.length)).toEqual(defaults)
    expect(actions.at(-1)).toBe(useMarkReviewedAction)
  })

  it('leaves other types with the defaults', () => {
    expect(resolveDocumentActions(defaults, context('programme'))).toEqual(defaults)
  })
})

describe('document badges', () => {
  it('marks pages that are due for review, and no other type', () => {
    expect(resolveDocumentBadges([], context('page'))).toContain(useReviewDueBadge)
    expect(resolveDocumentBadges([], context('programme'))).not.toContain(useReviewDueBadge)
  })
})

describe('new document options', () => {
  const options: TemplateItem[] = ['page', 'programme', 'settings'].map((id) => ({templateId: id}))
  const creation = (type: NewDocumentCreationContext['type']) =>
    ({creationContext: {type}}) as NewDocumentOptionsContext

  it('hides the settings singleton from the global "Create" menu', () => {
    expect(resolveNewDocumentOptions(options, creation('global')).map((o) => o.templateId)).toEqual(
      ['page', 'programme'],
    )
  })

  it('leaves structure panes’ own options alone', () => {
    expect(resolveNewDocumentOptions(options, creation('structure'))).toBe(options)
  })
})

describe('tools', () => {
  const user = (role: string): ConfigContext['currentUser'] => ({
    id: `p-${role}`,
    name: role,
    email: `${role}@example.org`,
    role,
    roles: [{name: role, title: role}],
  })
  const prev = [{name: 'structure'}, {name: 'vision'}] as Tool[]

  it('gives Vision to administrators only', () => {
    expect(canUseVision(user('administrator'))).toBe(true)
    expect(canUseVision(user('editor'))).toBe(false)
    expect(canUseVision(null)).toBe(false)
    const names = (role: string) =>
      resolveTools(prev, {currentUser: user(role)}).map((tool) => tool.name)
    expect(names('administrator')).toEqual(['structure', 'vision', 'feedback-overview'])
    expect(names('editor')).toEqual(['structure', 'feedback-overview'])
  })

  it('gives the feedback overview to those who triage, not to viewers', () => {
    for (const role of ['administrator', 'editor', 'reviewer']) {
      expect(canTriageFeedback(user(role))).toBe(true)
    }
    expect(canTriageFeedback(user('viewer'))).toBe(false)
    expect(canTriageFeedback(null)).toBe(false)
    expect(resolveTools(prev, {currentUser: user('viewer')}).map((tool) => tool.name)).toEqual([
      'structure',
    ])
  })
})
