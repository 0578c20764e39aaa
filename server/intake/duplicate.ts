/**
 * Duplicate detection: the same page and the same text (after normalising case, spacing and
 * punctuation) within five minutes is one report sent twice, or by two tabs.
 */

/** Case, Unicode form, punctuation and whitespace do not make a report different. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s[\]]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

export function reportFingerprint(whatDoing: string, whatWentWrong: string): string {
  return `${normaliseText(whatDoing)}\u0001${normaliseText(whatWentWrong)}`
}

export interface RecentReport {
  _id: string
  whatDoing?: string | null
  whatWentWrong?: string | null
  status?: string | null
  duplicateOf?: {_ref?: string} | null
}

/**
 * The report a new one duplicates, among recent reports on the same page (oldest first): the
 * original, not another duplicate, so every copy points at the same report.
 */
export function findDuplicate(
  whatDoing: string,
  whatWentWrong: string,
  recent: readonly RecentReport[],
): string | undefined {
  const fingerprint = reportFingerprint(whatDoing, whatWentWrong)
  const match = recent.find(
    (r) =>
      r.status !== 'spam' &&
      reportFingerprint(r.whatDoing ?? '', r.whatWentWrong ?? '') === fingerprint,
  )
  if (!match) return undefined
  return match.status === 'duplicate' && match.duplicateOf?._ref
    ? match.duplicateOf._ref
    : match._id
}
