/**
 * Duplicate detection: the same page and the same text (after normalising case, spacing and
 * punctuation) within five minutes is one report sent twice, or by two tabs. Each report stores
 * the fingerprint of its text, so finding an original is one indexed equality, however many
 * reports a page gets.
 */
import {createHash} from 'node:crypto'

/** Case, Unicode form, punctuation and whitespace do not make a report different. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s[\]]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A short hash of both texts, normalised: equal exactly when the normalised texts are. */
export function reportFingerprint(whatDoing: string, whatWentWrong: string): string {
  return createHash('sha256')
    .update(`${normaliseText(whatDoing)}\u0001${normaliseText(whatWentWrong)}`)
    .digest('base64url')
    .slice(0, 27)
}

/** The earliest recent report on the same page with the same fingerprint. */
export interface EarlierReport {
  _id: string
  status?: string | null
  duplicateOf?: {_ref?: string} | null
}

/** The original a new report duplicates: never another duplicate, so every copy points at one. */
export function originalOf(earlier: EarlierReport | null | undefined): string | undefined {
  if (!earlier || earlier.status === 'spam') return undefined
  return earlier.status === 'duplicate' && earlier.duplicateOf?._ref
    ? earlier.duplicateOf._ref
    : earlier._id
}
