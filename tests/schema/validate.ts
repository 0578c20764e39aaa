/**
 * Test helper: validates documents with the same code `npm run validate` runs (Sanity's own
 * validation, the compiled project schema, references and slugs checked within `dataset`).
 */
import type {DatasetDocument} from '../../scripts/lib/ndjson'
import {type FieldMarker, validateDataset} from '../../scripts/lib/validateDataset'

/** Markers for `document`, validated as part of `dataset` (which it is added to). */
export async function markersFor(
  document: DatasetDocument,
  dataset: readonly DatasetDocument[] = [],
): Promise<FieldMarker[]> {
  const reports = await validateDataset([document, ...dataset])
  return reports.find((r) => r.documentId === document._id)?.markers ?? []
}

/** The messages at one path and level, for readable assertions. */
export function messagesAt(
  markers: readonly FieldMarker[],
  path: string,
  level: FieldMarker['level'] = 'error',
): string[] {
  return markers.filter((m) => m.path === path && m.level === level).map((m) => m.message)
}

export const validPage = {
  _id: 'page-test',
  _type: 'page',
  title: 'Test page',
  slug: {_type: 'slug', current: 'test-page'},
  summary: 'A page used by tests.',
  partOf: {_type: 'reference', _ref: 'specialism-test'},
  section: 'overview',
  body: [
    {
      _type: 'block',
      _key: 'b1',
      style: 'normal',
      markDefs: [],
      children: [{_type: 'span', _key: 's1', text: 'Hello.', marks: []}],
    },
  ],
  owner: 'Test team',
  lastReviewed: '2026-01-01',
  nextReviewDue: '2027-01-01',
} satisfies DatasetDocument

export const specialismForPage = {
  _id: 'specialism-test',
  _type: 'specialism',
  name: 'test sciences',
  slug: {_type: 'slug', current: 'test-sciences'},
  theme: {_type: 'reference', _ref: 'careerArea-test'},
} satisfies DatasetDocument

/** The area the test specialism sits in straight away (an area without themes). */
export const areaForPage = {
  _id: 'careerArea-test',
  _type: 'careerArea',
  name: 'Testing',
  slug: {_type: 'slug', current: 'testing'},
} satisfies DatasetDocument

export const validFeedback = {
  _id: 'feedback.00000000-0000-4000-8000-000000000001',
  _type: 'feedbackSubmission',
  status: 'new',
  url: 'https://www.healthcareers.nhs.uk/some/page',
  path: '/some/page',
  submittedAt: '2026-11-01T10:00:00Z',
  whatDoing: 'Reading about training',
  whatWentWrong: 'A link is broken',
  category: 'broken-link',
  contactConsent: false,
  idempotencyKey: 'key-1',
} satisfies DatasetDocument
