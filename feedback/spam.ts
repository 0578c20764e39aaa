/**
 * Spam rules. A match is accepted with a normal-looking reply and stored with `status: 'spam'`
 * and the reason, so a bot learns nothing and a reviewer can still rescue a false positive.
 */

/** Submissions sent sooner than this after the form was rendered are from machines. */
export const DEFAULT_MIN_FILL_MS = 4000

export type SpamReason =
  | 'honeypot'
  | 'too-fast'
  | 'scanner-marker'
  | 'identical-fields'
  | 'single-words'
  | 'unsigned-timestamp'

export interface SpamRules {
  /** Minimum time between rendering the form and submitting it. */
  minFillMs: number
  /**
   * Text that vulnerability scanners and form-fuzzers send (case-insensitive substrings).
   * GOV.UK drops submissions containing its scanner's marker; these are common ones.
   */
  scannerMarkers: readonly string[]
}

export const defaultSpamRules: SpamRules = {
  minFillMs: DEFAULT_MIN_FILL_MS,
  scannerMarkers: [
    'sqlmap',
    'acunetix',
    'netsparker',
    'burpcollaborator',
    'nessus',
    '<script',
    'javascript:',
    '${jndi:',
    "' or '1'='1",
    'union select',
    '../../',
  ],
}

export interface SpamInput {
  website?: string | undefined
  whatDoing?: string | undefined
  whatWentWrong?: string | undefined
  /** When the form was rendered (ms since the epoch), if the form said. */
  renderedAt?: number | undefined
  /**
   * `false` when the intake requires signed render times and this one is missing or forged;
   * `undefined` when signatures are not in use.
   */
  renderedAtTrusted?: boolean | undefined
  /** When the submission arrived (ms since the epoch). */
  now: number
}

function isSingleWord(text: string): boolean {
  return /^\S+$/.test(text.trim())
}

/** The first spam rule a submission breaks, or `undefined` when it looks genuine. */
export function spamReason(
  input: SpamInput,
  rules: SpamRules = defaultSpamRules,
): SpamReason | undefined {
  if (input.website !== undefined && input.website.trim() !== '') return 'honeypot'
  if (input.renderedAtTrusted === false) return 'unsigned-timestamp'
  if (input.renderedAt !== undefined && input.now - input.renderedAt < rules.minFillMs) {
    return 'too-fast'
  }
  const doing = input.whatDoing?.trim() ?? ''
  const wrong = input.whatWentWrong?.trim() ?? ''
  const text = `${doing}\n${wrong}`.toLowerCase()
  if (rules.scannerMarkers.some((marker) => text.includes(marker.toLowerCase()))) {
    return 'scanner-marker'
  }
  if (doing !== '' && doing.toLowerCase() === wrong.toLowerCase()) return 'identical-fields'
  if (doing !== '' && wrong !== '' && isSingleWord(doing) && isSingleWord(wrong)) {
    return 'single-words'
  }
  return undefined
}

export const SPAM_REASON_TEXT: Record<SpamReason, string> = {
  honeypot: 'The hidden "website" field was filled in (only bots see it).',
  'too-fast': 'Sent sooner after the form was shown than a person can type.',
  'scanner-marker': 'Contains text that security scanners and form fuzzers send.',
  'identical-fields': 'Both answers are the same text.',
  'single-words': 'Both answers are single words.',
  'unsigned-timestamp':
    'The form time is missing or was not signed by our pages (forged or replayed form).',
}
