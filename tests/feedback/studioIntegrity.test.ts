/**
 * Issue #11 in the Studio, per role, without a browser: the report's actions are only those the
 * lake accepts from that role (no Delete or Duplicate for anyone, "Erase report" for
 * administrators, nothing for viewers); viewers get no feedback lists, page panels, badges or
 * tool; the form shows status, assignee and the public's fields read-only and the audit trail.
 */
import type {DocumentActionComponent, DocumentActionsContext, DocumentBadgesContext} from 'sanity'
import type {StructureResolverContext} from 'sanity/structure'
import {describe, expect, it} from 'vitest'

import {publicReportFields} from '../../feedback/integrity'
import {ROLES, type Role} from '../../lib/roles'
import {feedbackSubmission} from '../../schemas/documents/feedbackSubmission'
import {moveSubtitle, moveTitle} from '../../schemas/objects/feedbackMove'
import {feedbackDocumentActions, feedbackDocumentBadges} from '../../studio/feedback'
import {defaultDocumentNode, structure} from '../../studio/structure'
import {resolveTemplates} from '../../studio/templates'
import {resolveTools} from '../../studio/tools'
import {structureBuilder} from '../helpers/structure'

function stock(key: NonNullable<DocumentActionComponent['action']>): DocumentActionComponent {
  const component: DocumentActionComponent = () => null
  component.action = key
  return component
}
const defaults = (
  ['publish', 'unpublish', 'discardChanges', 'duplicate', 'delete', 'restore'] as const
).map(stock)

const user = (role: Role) => ({
  id: `p-${role}`,
  name: role,
  email: '',
  role,
  roles: [{name: role, title: role}],
})
const context = (schemaType: string, role: Role) =>
  ({schemaType, currentUser: user(role)}) as unknown as DocumentActionsContext &
    DocumentBadgesContext

const actionNames = (role: Role) =>
  feedbackDocumentActions(defaults, context('feedbackSubmission', role)).map(
    (a) => a.action ?? a.displayName,
  )

describe("a report's actions, per role", () => {
  it('offers no Delete, Duplicate, Unpublish, Discard or Restore to anyone', () => {
    for (const role of ROLES) {
      const names = actionNames(role)
      for (const refused of ['delete', 'duplicate', 'unpublish', 'discardChanges', 'restore']) {
        expect(names, role).not.toContain(refused)
      }
    }
  })

  it('gives administrators "Erase report", and nobody else', () => {
    expect(actionNames('administrator')).toContain('FeedbackEraseReport')
    for (const role of ['editor', 'reviewer', 'viewer'] as const) {
      expect(actionNames(role), role).not.toContain('FeedbackEraseReport')
    }
  })

  it('gives those who triage the moves, assign and note; viewers nothing at all', () => {
    for (const role of ['administrator', 'editor', 'reviewer'] as const) {
      expect(actionNames(role), role).toEqual(
        expect.arrayContaining([
          'FeedbackNextStep',
          'FeedbackAssignToMe',
          'FeedbackAddInternalNote',
        ]),
      )
    }
    expect(actionNames('viewer')).toEqual([])
  })
})

interface Serialised {
  id: string
  type?: string
  items?: Serialised[]
}

describe('what a viewer sees of feedback', () => {
  const rootIds = async (role: Role) => {
    const {S, context: ctx} = await structureBuilder(role, resolveTemplates)
    const root = (await structure(S, ctx)) as unknown as {serialize: () => Serialised}
    return root.serialize().items?.map((i) => i.id) ?? []
  }

  it('no feedback lists for a viewer; the lists for those who may read reports', async () => {
    expect(await rootIds('viewer')).not.toContain('feedback')
    for (const role of ['administrator', 'editor', 'reviewer'] as const) {
      expect(await rootIds(role), role).toContain('feedback')
    }
  })

  it("no Feedback panel on a page for a viewer; a reviewer's page has one", async () => {
    const views = async (role: Role) => {
      const {S, context: ctx} = await structureBuilder(role)
      const node = defaultDocumentNode(S, {
        ...(ctx as unknown as StructureResolverContext),
        schemaType: 'page',
        documentId: 'page-a',
      })
      const views = (
        node as {getViews?: () => {serialize: () => {id: string}}[]} | undefined
      )?.getViews?.()
      return (views ?? []).map((view) => view.serialize().id)
    }
    expect(await views('viewer')).not.toContain('feedback')
    expect(await views('reviewer')).toContain('feedback')
  })

  it("no open-feedback badge on a viewer's pages, and no Feedback tool", () => {
    expect(feedbackDocumentBadges([], context('page', 'viewer'))).toEqual([])
    expect(feedbackDocumentBadges([], context('page', 'reviewer'))).toHaveLength(1)
    const tools = (role: Role) =>
      resolveTools([], {currentUser: user(role)} as never).map((t) => t.name)
    expect(tools('viewer')).not.toContain('feedback-overview')
    expect(tools('reviewer')).toContain('feedback-overview')
  })
})

describe('the report form', () => {
  const fields = new Map(
    (feedbackSubmission.fields as {name: string; readOnly?: unknown; of?: {type: string}[]}[]).map(
      (f) => [f.name, f],
    ),
  )

  it("shows status, assignee, the public's fields and the audit trail read-only", () => {
    const readOnly = ['status', 'assignee', 'auditTrail', ...publicReportFields.slice(1)]
    for (const name of readOnly) {
      expect(fields.get(name)?.readOnly, name).toBe(true)
    }
    expect(fields.get('auditTrail')?.of?.[0]?.type).toBe('feedbackMove')
  })

  it('previews each move as "from → to", by whom, when and with which note', () => {
    expect(moveTitle('in-progress', 'resolved')).toBe('In progress → Resolved')
    expect(moveSubtitle('Rita Reviewer', '2026-11-29T19:20:00.000Z', 'Fixed the link')).toBe(
      'by Rita Reviewer · 29 Nov 2026, 19:20 UTC · “Fixed the link”',
    )
    expect(moveSubtitle('p-abc', '2026-11-29T19:20:00.000Z', undefined)).toBe(
      'by p-abc · 29 Nov 2026, 19:20 UTC',
    )
  })
})
