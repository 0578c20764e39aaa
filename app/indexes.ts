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
