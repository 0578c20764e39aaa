/**
 * The fields the careers Studio, frontend and feedback triage filter on, handed to the local
 * lake as index hints (`startLake({indexedFields})`). The lake stays generic: it indexes what it
 * is told, plus `_type` and `slug.current`, and lets other fields earn an index by measured use.
 * A new `field == $param` filter on a hot path belongs here.
 */
export const CAREERS_INDEXED_FIELDS: readonly (readonly string[])[] = [
  // The feedback inbox lists reports per workflow state (`status in $states`).
  ['status'],
  // A page's open feedback count and panel (`page._ref == $id`).
  ['page', '_ref'],
  // Pages, roles and routes by the area, theme or specialism they sit in (navigation).
  ['partOf', '_ref'],
  ['careerLevel'],
]

/**
 * The fields long lists are ordered by, handed to the lake as `startLake({orderedFields})`: each
 * document's value there is kept in memory per id (about 85 bytes a document that has the field),
 * so a page of such a list (`| order(submittedAt desc)[0...50]`) reads only its own documents
 * when the dataset is larger than the lake's document cache. The feedback inbox orders reports by
 * `submittedAt` (the largest type); `publishedAt` is the usual "latest pages" order (the
 * benchmark's paged list), and costs nothing where no document has it.
 */
export const CAREERS_ORDERED_FIELDS: readonly (readonly string[])[] = [
  ['submittedAt'],
  ['publishedAt'],
]
