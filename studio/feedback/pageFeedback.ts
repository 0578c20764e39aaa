/**
 * Splitting a page's feedback into reports about the page as it is now ("since the last edit")
 * and reports about an earlier version ("before"), which the last edit may already have fixed.
 */

export interface PageVersion {
  _rev?: string | undefined
  _updatedAt?: string | undefined
}

export interface PageSubmission {
  _id: string
  submittedAt?: string | null
  pageRevision?: string | null
}

/**
 * A report is about the current version when it names the page's current revision, or (for
 * reports without one) arrived after the page's last update.
 */
export function isSinceLastEdit(page: PageVersion, submission: PageSubmission): boolean {
  if (submission.pageRevision && page._rev) return submission.pageRevision === page._rev
  if (!page._updatedAt || !submission.submittedAt) return true
  return Date.parse(submission.submittedAt) >= Date.parse(page._updatedAt)
}

export function splitByLastEdit<T extends PageSubmission>(
  page: PageVersion,
  submissions: readonly T[],
): {sinceLastEdit: T[]; before: T[]} {
  const sinceLastEdit: T[] = []
  const before: T[] = []
  for (const s of submissions) (isSinceLastEdit(page, s) ? sinceLastEdit : before).push(s)
  return {sinceLastEdit, before}
}
