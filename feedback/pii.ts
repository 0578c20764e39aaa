/**
 * Masks personal information in free text before it is stored, so the original never reaches the
 * lake (nor its transaction log). GOV.UK only flags emails and NI numbers; we also catch phone
 * numbers (UK formats and international), NHS numbers (checksum-validated) and UK postcodes.
 */

export type PiiKind = 'email' | 'nhs-number' | 'ni-number' | 'postcode' | 'phone'

export const PII_PLACEHOLDERS: Record<PiiKind, string> = {
  email: '[email removed]',
  'nhs-number': '[NHS number removed]',
  'ni-number': '[NI number removed]',
  postcode: '[postcode removed]',
  phone: '[phone number removed]',
}

export interface MaskResult {
  text: string
  /** Kinds found, each once, in the order of the rules. */
  kinds: PiiKind[]
}

const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu

/** 10 digits as 3-3-4 (spaces or hyphens) or unbroken; validated by the modulus 11 checksum. */
const NHS_CANDIDATE = /(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])/g

/**
 * National Insurance numbers: two letters, six digits, a suffix A–D, spaces allowed. Any two
 * letters, not only issued prefixes: HMRC's own example (QQ 12 34 56 C) is what people copy, and
 * masking a false positive costs less than keeping a real number.
 */
const NI_NUMBER = /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi

/** UK postcodes (outward code, optional space, inward code), plus the Girobank special case. */
const POSTCODE = /\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b/gi

/**
 * Phone-number candidates: an optional `+` or `(`, then digits with spaces, hyphens, dots or
 * brackets between them. Whether a candidate is a phone number is decided by `isPhoneNumber`.
 */
const PHONE_CANDIDATE = /(?<![\w+])(?:\+|\(\+?)?\d[\d ().-]{7,}\d(?!\w)/g

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

/**
 * UK numbers: a leading 0 (or +44 / 0044, optionally with "(0)") and 10 or 11 digits in all.
 * Other international numbers: a leading `+` and 8–15 digits (E.164). Runs of digits that start
 * with anything else (years, course codes, amounts) are left alone.
 */
export function isPhoneNumber(candidate: string): boolean {
  const compact = candidate.replace(/[ ().-]/g, '')
  const digits = compact.replace(/\D/g, '')
  if (/^(?:\+44|0044)/.test(compact)) {
    const national = digits.replace(/^(?:0044|44)0?/, '')
    return national.length === 9 || national.length === 10
  }
  if (compact.startsWith('+')) return digits.length >= 8 && digits.length <= 15
  if (compact.startsWith('0')) return digits.length === 10 || digits.length === 11
  return false
}

/** Masks every kind of personal information the rules know; `kinds` says what was found. */
export function maskPii(text: string): MaskResult {
  const kinds: PiiKind[] = []
  const found = (kind: PiiKind): string => {
    if (!kinds.includes(kind)) kinds.push(kind)
    return PII_PLACEHOLDERS[kind]
  }
  let out = text.replace(EMAIL, () => found('email'))
  out = out.replace(NHS_CANDIDATE, (match) =>
    isValidNhsNumber(match) ? found('nhs-number') : match,
  )
  out = out.replace(NI_NUMBER, () => found('ni-number'))
  out = out.replace(POSTCODE, () => found('postcode'))
  out = out.replace(PHONE_CANDIDATE, (match) => (isPhoneNumber(match) ? found('phone') : match))
  return {text: out, kinds}
}
