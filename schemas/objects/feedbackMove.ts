import {TransferIcon} from '@sanity/icons/Transfer'
import {defineField, defineType} from 'sanity'

import {AUDIT_ENTRY_TYPE} from '../../feedback/integrity'
import {workflowState} from '../../feedback/workflow'

/** "Triaged → Resolved", in the workflow's own words. */
export function moveTitle(from: unknown, to: unknown): string {
  const title = (status: unknown) => workflowState(status)?.title ?? String(status ?? '?')
  return `${title(from)} → ${title(to)}`
}

/** "by Ada Reviewer · 29 Nov 2026, 19:20 UTC · “Fixed the link”" */
export function moveSubtitle(by: unknown, at: unknown, note: unknown): string {
  const when =
    typeof at === 'string' && !Number.isNaN(Date.parse(at))
      ? `${new Date(at).toLocaleString('en-GB', {dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC'})} UTC`
      : undefined
  return [
    typeof by === 'string' && by ? `by ${by}` : undefined,
    when,
    typeof note === 'string' && note ? `“${note}”` : undefined,
  ]
    .filter(Boolean)
    .join(' · ')
}

/**
 * One move in a report's audit trail: who moved it from which state to which, when, with which
 * note. The Studio's workflow actions append one per move; the lake refuses a move without it
 * and any change to an entry once written (`feedback/policy.ts`).
 */
export const feedbackMove = defineType({
  name: AUDIT_ENTRY_TYPE,
  title: 'Move',
  type: 'object',
  icon: TransferIcon,
  readOnly: true,
  fields: [
    defineField({name: 'from', title: 'From', type: 'string'}),
    defineField({name: 'to', title: 'To', type: 'string'}),
    defineField({name: 'by', title: 'By (user id)', type: 'string'}),
    defineField({name: 'byName', title: 'By', type: 'string'}),
    defineField({name: 'at', title: 'At', type: 'datetime'}),
    defineField({name: 'note', title: 'Note', type: 'text', rows: 2}),
  ],
  preview: {
    select: {from: 'from', to: 'to', by: 'by', byName: 'byName', at: 'at', note: 'note'},
    prepare({from, to, by, byName, at, note}) {
      return {title: moveTitle(from, to), subtitle: moveSubtitle(byName || by, at, note)}
    },
  },
})
