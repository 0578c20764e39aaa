/**
 * Masks personal information before a report is stored, so the original never reaches the lake
 * (nor its transaction log). GOV.UK only flags emails and NI numbers; we also catch phone numbers
 * (UK, North American and international), NHS numbers (checksum-validated) and UK postcodes, in
 * every stored field: the free text, the page address and path (percent-decoded first), the
 * referrer, the user agent and the form key.
 *
 * How a text is read:
 * 1. `normaliseUnicode`: NFKC (full-width `＠` and digits become ASCII ones) and invisible format
 *    characters removed (zero-width spaces, soft hyphens, direction marks): the stored text is the
 *    normalised one, so what a reviewer sees is what was checked.
 * 2. Separators folded, character for character, on a copy used only for matching: every dash is
 *    `-`, every space is ` `. Matches are found on the copy and masked in the text at the same
 *    positions, so dashes in prose are kept as written.
 * 3. The rules run in order (email, NHS number, NI number, postcode, phone); what one rule masked
 *    is out of reach of the next.
 *
 * Every expression runs in linear time on the largest field (`tests/feedback/redos.test.ts`):
 * starts are pinned by look-behinds at word boundaries, and repetitions are bounded or anchored
 * by literals, so a failed match never retries exponentially many splits.
 */

export type PiiKind = 'email' | 'nhs-number' | 'ni-number' | 'postcode' | 'phone' | 'identifier'

export const PII_PLACEHOLDERS: Record<PiiKind, string> = {
  email: '[email removed]',
  'nhs-number': '[NHS number removed]',
  'ni-number': '[NI number removed]',
  postcode: '[postcode removed]',
  phone: '[phone number removed]',
  identifier: '[identifier removed]',
}

export interface MaskResult {
  text: string
  /** Kinds found, each once, in the order of the rules. */
  kinds: PiiKind[]
}

/** Format characters (`\p{Cf}`): zero-width spaces and joiners, soft hyphens, direction marks. */
const INVISIBLE = /\p{Cf}/gu

/** NFKC, without invisible characters: what every text is stored and checked as. */
export function normaliseUnicode(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '')
}

/** One character for one: the copy the rules read keeps every position of the text. */
function foldSeparators(text: string): string {
  return text.replace(/[\p{Pd}\u2212]/gu, '-').replace(/[\t\p{Zs}]/gu, ' ')
}

// Building blocks. `LOCAL` is an email's local part, `LABEL` a domain label, `TLD` its last one.
const LOCAL = String.raw`[\p{L}\p{N}._%+'-]{1,64}`
const LABEL = String.raw`[\p{L}\p{N}-]{1,63}`
const TLD = String.raw`\p{L}{2,24}(?![\p{L}\p{N}])`
/** `(at)`, `[at]`, `{at}`, `<at>` (any case, spaces inside or around). */
const BRACKET_AT = String.raw` ?[(\[{<] ?at ?[)\]}>] ?`
/** `(dot)`, `[dot]` and the like, or ` dot ` as a word. */
const WORD_DOT = String.raw`(?: ?[(\[{<] ?dot ?[)\]}>] ?| dot )`
const ANY_DOT = String.raw`(?:${WORD_DOT}|\.)`
const NOT_AFTER_LOCAL = String.raw`(?<![\p{L}\p{N}._%+'-])`

/**
 * Emails, written plainly or obfuscated: `jane@example.com`, `"jane doe"@example.com`,
 * `jane(at)example.com`, `jane [at] example [dot] com`, `jane@example dot com`, and
 * `jane at example dot com` (a bare word `at` only with a word `dot` after it: "looking at
 * nhs.uk" is a sentence, not an address).
 */
const EMAILS = [
  new RegExp(
    `${NOT_AFTER_LOCAL}${LOCAL}(?:@|${BRACKET_AT})${LABEL}(?:${ANY_DOT}${LABEL}){0,8}${ANY_DOT}${TLD}`,
    'giu',
  ),
  new RegExp(`"[^"\\n@]{1,64}" ?@ ?${LABEL}(?:${ANY_DOT}${LABEL}){0,8}${ANY_DOT}${TLD}`, 'giu'),
  new RegExp(
    `${NOT_AFTER_LOCAL}${LOCAL} at ${LABEL}(?:${WORD_DOT}${LABEL}){0,8}${WORD_DOT}${TLD}`,
    'giu',
  ),
]

/** 10 digits as 3-3-4 (space, dot or hyphen) or unbroken; kept only when the checksum holds. */
const NHS_CANDIDATE = /(?<![\d+])\d{3}[ .-]?\d{3}[ .-]?\d{4}(?!\d)/g

/**
 * National Insurance numbers: two letters, six digits, a suffix A–D, with spaces, dots or hyphens
 * between the groups. Any two letters, not only issued prefixes: HMRC's own example (QQ 12 34 56
 * C) is what people copy, and masking a false positive costs less than keeping a real number.
 */
const NI_NUMBER =
  /(?<![\p{L}\p{N}])[A-Z]{2}[ .-]{0,2}\d{2}[ .-]{0,2}\d{2}[ .-]{0,2}\d{2}[ .-]{0,2}[A-D](?![\p{L}\p{N}])/giu

/** The UK's postcode areas (Royal Mail): an outward code must begin with one of these. */
const POSTCODE_AREAS =
  'AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE B E G L M N S W'.split(
    ' ',
  )

/**
 * UK postcodes: a real area, the district, one or two spaces or a hyphen (or nothing), the inward
 * code; plus Girobank's GIR 0AA.
 */
const POSTCODE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:GIR(?: {1,2}|-)?0AA|(?:${POSTCODE_AREAS.join('|')})\d[A-Z\d]?(?: {1,2}|-)?\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\p{N}])`,
  'giu',
)

/**
 * A postcode-shaped code right after one of these words names a part of a course or a document
 * ("module HS1 2AB", "unit B1 1AA"), not a place: it is left alone. Real addresses are not
 * introduced by these words.
 */
const POSTCODE_SHAPED_CODE_CONTEXT =
  /(?:^|[^\p{L}])(?:module|unit|code|level|course|section|part|step|stage|table|figure|fig|form|version|ref|reference|chapter|paragraph|question|item|lesson|session|week|block|paper|exam|room|band|grade)[ :#.-]{0,3}$/iu

/**
 * Phone-number candidates: an optional `+` or `(`, then digits with spaces, hyphens, dots, slashes
 * or brackets between them, 22 characters at most (a formatted international number is shorter).
 * Whether (a prefix of) a candidate is a phone number is decided by `isPhoneNumber`.
 */
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+])(?:\+|\(\+?)?\d[\d ()./-]{6,20}\d(?![\p{L}\p{N}])/gu

/** Hex or digit runs long enough to be an identifier (a device or session id), and UUIDs. */
const IDENTIFIER =
  /(?<![\p{L}\p{N}])(?:[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}|[\da-f]{16,64}|\d{9,64})(?![\p{L}\p{N}])/giu

/** The NHS number checksum (modulus 11, weights 10..2; a check digit of 10 is never issued). */
export function isValidNhsNumber(value: string): boolean {
  const digits = value.replace(/\D/g, '')
  if (!/^\d{10}$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i)
  const check = 11 - (sum % 11)
  const expected = check === 11 ? 0 : check
  return expected !== 10 && expected === Number(digits[9])
}

/** North American numbers, grouped as people write them: (212) 555-0123, 212.555.0123, +1 … */
const NANP = /^(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ ./-])[2-9]\d{2}[ ./-]\d{4}$/

/**
 * UK numbers: a national number of 9 or 10 digits starting 1, 2, 3, 5, 7, 8 or 9, written with a
 * leading 0, or with +44 / 0044 / 44 (optionally "(0)"). North American numbers in their usual
 * groupings. Other international numbers: a leading `+` and 8–15 digits (E.164). Runs of digits
 * that start with anything else (years, course codes, amounts) are left alone.
 */
export function isPhoneNumber(candidate: string): boolean {
  const compact = candidate.replace(/[ ()./-]/g, '')
  const digits = compact.replace(/\D/g, '')
  if (NANP.test(candidate.trim())) return true
  const international = /^(?:\+44|0044|44)/.exec(compact)
  if (international) {
    const national = digits.replace(/^(?:0044|44)0?/, '')
    // Without `+` or `00`, only a whole UK number counts: 44 and a real national number.
    if (international[0] === '44' && !/^[1-35789]/.test(national)) return false
    return (national.length === 9 || national.length === 10) && /^[1-35789]/.test(national)
  }
  if (compact.startsWith('+')) return digits.length >= 8 && digits.length <= 15
  if (compact.startsWith('0')) return digits.length === 10 || digits.length === 11
  return false
}

/** The longest prefix of a candidate, ending on a digit, that is a phone number (else 0). */
function phonePrefixLength(candidate: string): number {
  for (let end = candidate.length; end > 0; end--) {
    if (!/\d/.test(candidate[end - 1] ?? '')) continue
    if (end < candidate.length && /\d/.test(candidate[end] ?? '')) continue
    if (isPhoneNumber(candidate.slice(0, end))) return end
  }
  return 0
}

interface Span {
  start: number
  end: number
  kind: PiiKind
}

/**
 * Finds every rule's matches on the folded copy; a masked span is blanked (same length) before
 * the next rule runs.
 */
function findSpans(folded: string, rules: readonly PiiKind[]): Span[] {
  const spans: Span[] = []
  let work = folded
  const take = (start: number, end: number, kind: PiiKind) => {
    spans.push({start, end, kind})
    work = work.slice(0, start) + '\u0000'.repeat(end - start) + work.slice(end)
  }
  const all = (pattern: RegExp, kind: PiiKind, keep: (match: RegExpExecArray) => boolean) => {
    const found: [number, number][] = []
    for (const match of work.matchAll(pattern)) {
      if (keep(match)) found.push([match.index, match.index + match[0].length])
    }
    for (const [start, end] of found) take(start, end, kind)
  }
  for (const kind of rules) {
    switch (kind) {
      case 'email':
        for (const pattern of EMAILS) all(pattern, 'email', () => true)
        break
      case 'nhs-number':
        all(NHS_CANDIDATE, 'nhs-number', (m) => isValidNhsNumber(m[0]))
        break
      case 'ni-number':
        all(NI_NUMBER, 'ni-number', () => true)
        break
      case 'postcode':
        all(
          POSTCODE,
          'postcode',
          (m) => !POSTCODE_SHAPED_CODE_CONTEXT.test(work.slice(Math.max(0, m.index - 24), m.index)),
        )
        break
      case 'phone': {
        const found: [number, number][] = []
        for (const match of work.matchAll(PHONE_CANDIDATE)) {
          // "(212.555.0123)": the bracket opens the aside, not an area code.
          const skip = match[0].startsWith('(') && phonePrefixLength(match[0]) === 0 ? 1 : 0
          const length = phonePrefixLength(match[0].slice(skip))
          if (length > 0) found.push([match.index + skip, match.index + skip + length])
        }
        for (const [start, end] of found) take(start, end, 'phone')
        break
      }
      case 'identifier':
        all(IDENTIFIER, 'identifier', () => true)
        break
    }
  }
  return spans.sort((a, b) => a.start - b.start)
}

const TEXT_RULES: readonly PiiKind[] = ['email', 'nhs-number', 'ni-number', 'postcode', 'phone']

function mask(text: string, rules: readonly PiiKind[]): MaskResult {
  const normalised = normaliseUnicode(text)
  const spans = findSpans(foldSeparators(normalised), rules)
  const kinds = rules.filter((kind) => spans.some((span) => span.kind === kind))
  let out = ''
  let at = 0
  for (const span of spans) {
    out += normalised.slice(at, span.start) + PII_PLACEHOLDERS[span.kind]
    at = span.end
  }
  return {text: out + normalised.slice(at), kinds}
}

/** Masks every kind of personal information the rules know; `kinds` says what was found. */
export function maskPii(text: string): MaskResult {
  return mask(text, TEXT_RULES)
}

/** How many times an address may have been percent-encoded over itself (`%2540` is `@`). */
export const MAX_DECODE_ROUNDS = 3

/** Percent-decoding that never throws: runs that are not valid UTF-8 are left encoded. */
export function percentDecode(value: string): string {
  let text = value
  for (let round = 0; round < MAX_DECODE_ROUNDS; round++) {
    const next = text.replace(/(?:%[\dA-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
    if (next === text) break
    text = next
  }
  return text
}

/**
 * A page path: percent-decoded, then masked. Unchanged (still encoded) when nothing was found; the
 * masked, readable path otherwise.
 */
export function maskPath(path: string): MaskResult {
  const masked = maskPii(percentDecode(path))
  return masked.kinds.length === 0 ? {text: path, kinds: []} : masked
}

/**
 * An http(s) address: its path is read percent-decoded (`jane%40example.com` is an email), and
 * when something is masked the address is rebuilt, re-encoded, so it stays a valid URL.
 */
export function maskUrl(value: string): MaskResult {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return maskPii(value)
  }
  const path = maskPath(url.pathname)
  const host = maskPii(url.host)
  if (path.kinds.length === 0 && host.kinds.length === 0) return {text: value, kinds: []}
  const kinds = TEXT_RULES.filter((k) => path.kinds.includes(k) || host.kinds.includes(k))
  return {text: `${url.protocol}//${host.text}${encodeURI(path.text)}`, kinds}
}

/**
 * A user agent keeps what identifies the browser and system family (product names and versions)
 * and loses what could identify a person: emails and phone numbers (some apps put a contact in
 * theirs), and long hex or digit runs and UUIDs (device, install and session ids).
 */
export function maskUserAgent(userAgent: string): MaskResult {
  return mask(userAgent, [...TEXT_RULES, 'identifier'])
}
