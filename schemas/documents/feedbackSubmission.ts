import {CommentIcon} from '@sanity/icons/Comment'
import {defineArrayMember, defineField, defineType} from 'sanity'

import {
  FEEDBACK_ID_PREFIX,
  feedbackCategories,
  feedbackWorkflow,
  initialFeedbackStatus,
  requiresResolutionNote,
  workflowState,
} from '../../feedback/workflow'
import {AUDIT_ENTRY_TYPE} from '../../feedback/integrity'
import {documentField, httpUrlRule, publishedIdOf} from '../validation'

/** Server-side limit per free-text field (browsers get 1,200: some count CRLF as one). */
export const FEEDBACK_TEXT_MAX = 1250
/** Limit for the URL, path, user agent and referrer. */
export const FEEDBACK_URL_MAX = 2048

/** The page address: required, and within the intake's limit. Objects keep their own message. */
export function feedbackUrlPresentAndShort(url: unknown): true | {message: string} {
  if (typeof url !== 'string' || url.trim() === '') {
    return {message: 'A report must say which page it is about.'}
  }
  return url.length > FEEDBACK_URL_MAX
    ? {message: `Addresses are limited to ${FEEDBACK_URL_MAX} characters.`}
    : true
}

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === ''
}

/** A report with neither "what were you doing" nor "what went wrong" tells us nothing. */
export function somethingReported(whatDoing: unknown, whatWentWrong: unknown): true | string {
  return isBlank(whatDoing) && isBlank(whatWentWrong)
    ? 'A report needs at least one of "What were you doing" or "What went wrong".'
    : true
}

/** Resolving a report means saying what changed, so the next reviewer knows it was handled. */
export function resolutionNoteWhenResolving(status: unknown, note: unknown): true | string {
  if (!requiresResolutionNote(status) || !isBlank(note)) return true
  const title = workflowState(status)?.title ?? String(status)
  return `Say what was changed before marking this "${title}": the note is the record that it was handled.`
}

/** Won't-fix decisions are easier to stand by with a reason, but they are not blocked without. */
export function resolutionNoteRecommended(status: unknown, note: unknown): true | string {
  return workflowState(status)?.resolutionNote === 'recommended' && isBlank(note)
    ? 'Add a note saying why, so the decision is not revisited.'
    : true
}

/** A duplicate must point at the report it duplicates, and not at itself. */
export function duplicateOfWhenDuplicate(
  status: unknown,
  duplicateOf: unknown,
  documentId: unknown,
): true | string {
  const ref = (duplicateOf as {_ref?: unknown} | undefined)?._ref
  if (typeof ref === 'string' && typeof documentId === 'string') {
    if (publishedIdOf(ref) === publishedIdOf(documentId)) {
      return 'A report cannot be a duplicate of itself.'
    }
  }
  if (status !== 'duplicate') return true
  return typeof ref === 'string' && ref !== ''
    ? true
    : 'Choose the report this one duplicates, so the two can be read together.'
}

/** Spam is dropped from counts and exports, so record why it was judged spam. */
export function spamReasonWhenSpam(status: unknown, reason: unknown): true | string {
  return status === 'spam' && isBlank(reason)
    ? 'Say why this is spam, in case it was a real report.'
    : true
}

/** Public reports are stored under `feedback.` so they are never readable without a token. */
export function feedbackIdUnderSubPath(id: unknown): true | string {
  if (typeof id !== 'string') return true
  return publishedIdOf(id).startsWith(FEEDBACK_ID_PREFIX)
    ? true
    : `Feedback documents must have ids starting with "${FEEDBACK_ID_PREFIX}" so the public cannot read them.`
}

function excerpt(text: unknown, length = 80): string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat
}

/**
 * A public "report a problem with this page" submission. The intake writes it under
 * `feedback.<uuid>`; reviewers triage it through the states in `feedbackWorkflow`. What the public
 * sent, the status and the assignee are read-only here: the actions change them, and the lake
 * refuses any other change (`feedback/policy.ts`).
 */
export const feedbackSubmission = defineType({
  name: 'feedbackSubmission',
  title: 'Feedback',
  type: 'document',
  icon: CommentIcon,
  // Triage is operational data, not content to publish: changes apply at once, with no drafts.
  liveEdit: true,
  groups: [
    {name: 'report', title: 'Report', default: true},
    {name: 'triage', title: 'Triage'},
    {name: 'submission', title: 'Submission details'},
  ],
  fields: [
    defineField({
      name: 'status',
      title: 'Status',
      type: 'string',
      group: ['report', 'triage'],
      // Moves happen through the workflow actions, which also write the audit trail.
      readOnly: true,
      description: 'Changed by the actions in the menu (e.g. "Next step: Triaged").',
      initialValue: initialFeedbackStatus,
      options: {list: feedbackWorkflow.map(({id, title}) => ({value: id, title}))},
      validation: (rule) => rule.required().error('Every report has a place in the workflow.'),
    }),
    defineField({
      name: 'url',
      title: 'Page address',
      type: 'url',
      group: 'report',
      readOnly: true,
      description: 'The address the reader was on, without query string or fragment.',
      validation: (rule) => httpUrlRule(rule).custom(feedbackUrlPresentAndShort),
    }),
    defineField({
      name: 'whatDoing',
      title: 'What were you doing',
      type: 'text',
      rows: 3,
      group: 'report',
      readOnly: true,
      validation: (rule) =>
        rule
          .max(FEEDBACK_TEXT_MAX)
          .error(`Answers are limited to ${FEEDBACK_TEXT_MAX} characters.`),
    }),
    defineField({
      name: 'whatWentWrong',
      title: 'What went wrong',
      type: 'text',
      rows: 5,
      group: 'report',
      readOnly: true,
      validation: (rule) => [
        rule
          .max(FEEDBACK_TEXT_MAX)
          .error(`Answers are limited to ${FEEDBACK_TEXT_MAX} characters.`),
        rule.custom((wrong, context) =>
          somethingReported(documentField(context.document, 'whatDoing'), wrong),
        ),
      ],
    }),
    defineField({
      name: 'category',
      title: 'Category',
      type: 'string',
      group: 'report',
      // The reader chose it: it is part of what the public told us.
      readOnly: true,
      options: {list: feedbackCategories.map(({id, title}) => ({value: id, title}))},
      validation: (rule) =>
        rule.required().warning('Categorise the report so it reaches the right people.'),
    }),
    defineField({
      name: 'contactConsent',
      title: 'Happy to be contacted',
      type: 'boolean',
      group: 'report',
      readOnly: true,
      initialValue: false,
    }),
    defineField({
      name: 'page',
      title: 'Page',
      type: 'reference',
      group: 'report',
      to: [{type: 'page'}],
      // Weak: deleting or unpublishing a page must not be blocked by the feedback about it.
      weak: true,
      readOnly: true,
      description: 'Resolved from the address when the report arrived.',
    }),
    defineField({
      name: 'path',
      title: 'Path',
      type: 'string',
      group: 'submission',
      readOnly: true,
      description: 'The address path, used to group reports by section of the site.',
      validation: (rule) => [
        rule.required().warning('Reports are grouped by path.'),
        rule.max(FEEDBACK_URL_MAX).error(`Paths are limited to ${FEEDBACK_URL_MAX} characters.`),
        rule.regex(/^\//).error('A path starts with "/", e.g. /working-health/cardiac-sciences.'),
      ],
    }),
    defineField({
      name: 'pageRevision',
      title: 'Page revision',
      type: 'string',
      group: 'submission',
      readOnly: true,
      description:
        'The page’s revision when the report arrived: shows whether it was edited since.',
    }),
    defineField({
      name: 'submittedAt',
      title: 'Submitted at',
      type: 'datetime',
      group: 'submission',
      readOnly: true,
      validation: (rule) => rule.required().error('Reports are sorted and counted by this time.'),
    }),
    defineField({
      name: 'idempotencyKey',
      title: 'Idempotency key',
      type: 'string',
      group: 'submission',
      readOnly: true,
      description: 'Sent by the form so a resubmitted form does not create a second report.',
    }),
    defineField({
      name: 'fingerprint',
      title: 'Text fingerprint',
      type: 'string',
      group: 'submission',
      readOnly: true,
      hidden: true,
      description:
        'A hash of the normalised text: a report with the same one on the same page within minutes is a duplicate.',
    }),
    defineField({
      name: 'userAgent',
      title: 'Browser',
      type: 'string',
      group: 'submission',
      readOnly: true,
      validation: (rule) => rule.max(FEEDBACK_URL_MAX),
    }),
    defineField({
      name: 'referrer',
      title: 'Referrer',
      type: 'string',
      group: 'submission',
      readOnly: true,
      validation: (rule) => rule.max(FEEDBACK_URL_MAX),
    }),
    defineField({
      name: 'assignee',
      title: 'Assignee',
      type: 'string',
      group: 'triage',
      readOnly: true,
      description: 'The user id of whoever is handling the report. Changed with "Assign to me".',
    }),
    defineField({
      name: 'internalNotes',
      title: 'Internal notes',
      type: 'array',
      group: 'triage',
      of: [defineArrayMember({type: 'internalNote'})],
    }),
    defineField({
      name: 'resolutionNote',
      title: 'Resolution note',
      type: 'text',
      rows: 3,
      group: 'triage',
      description: 'What was changed (or why nothing will be). Required to resolve.',
      validation: (rule) => [
        rule.custom((note, context) =>
          resolutionNoteWhenResolving(documentField(context.document, 'status'), note),
        ),
        rule
          .custom((note, context) =>
            resolutionNoteRecommended(documentField(context.document, 'status'), note),
          )
          .warning(),
      ],
    }),
    defineField({
      name: 'duplicateOf',
      title: 'Duplicate of',
      type: 'reference',
      group: 'triage',
      to: [{type: 'feedbackSubmission'}],
      weak: true,
      hidden: ({document}) =>
        documentField(document, 'status') !== 'duplicate' &&
        !documentField(document, 'duplicateOf'),
      validation: (rule) =>
        rule.custom((duplicateOf, context) =>
          duplicateOfWhenDuplicate(
            documentField(context.document, 'status'),
            duplicateOf,
            context.document?._id,
          ),
        ),
    }),
    defineField({
      name: 'auditTrail',
      title: 'Audit trail',
      type: 'array',
      group: ['report', 'triage'],
      readOnly: true,
      description:
        'Every move through the workflow: who, from which state to which, when, with which note. Written by the actions; nobody edits it.',
      of: [defineArrayMember({type: AUDIT_ENTRY_TYPE})],
    }),
    defineField({
      name: 'piiMasked',
      title: 'Personal information masked',
      type: 'boolean',
      group: 'triage',
      readOnly: true,
      description: 'Set when emails, phone or NHS numbers, postcodes were masked in the text.',
      initialValue: false,
    }),
    defineField({
      name: 'spamReason',
      title: 'Why this is spam',
      type: 'string',
      group: 'triage',
      hidden: ({document}) =>
        documentField(document, 'status') !== 'spam' && !documentField(document, 'spamReason'),
      validation: (rule) =>
        rule
          .custom((reason, context) =>
            spamReasonWhenSpam(documentField(context.document, 'status'), reason),
          )
          .warning(),
    }),
  ],
  validation: (rule) => rule.custom((document) => feedbackIdUnderSubPath(document?._id)),
  orderings: [
    {
      title: 'Newest first',
      name: 'submittedAtDesc',
      by: [{field: 'submittedAt', direction: 'desc'}],
    },
  ],
  preview: {
    select: {
      whatWentWrong: 'whatWentWrong',
      whatDoing: 'whatDoing',
      status: 'status',
      category: 'category',
      path: 'path',
    },
    prepare({whatWentWrong, whatDoing, status, category, path}) {
      return {
        title: excerpt(whatWentWrong) ?? excerpt(whatDoing) ?? '(no text)',
        subtitle: [
          workflowState(status)?.title ?? status,
          feedbackCategories.find((c) => c.id === category)?.title,
          path,
        ]
          .filter(Boolean)
          .join(' · '),
      }
    },
  },
})
