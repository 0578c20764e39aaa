/**
 * Validation of a submission's fields, before anything is stored. Studio validation does not run
 * on the HTTP API, so everything the schema promises is checked here.
 *
 * Two kinds of failure: a malformed request (`status: 400`: too long, null bytes, wrong types,
 * repeated fields) and a well-formed one that says too little (`status: 422`).
 */
import {isUsefulAnswer, type UsefulAnswer} from '../feedback/useful'
import {type FeedbackCategory, isFeedbackCategory} from '../feedback/workflow'
import {EMAIL_MAX, isEmailAddress} from '../feedback/contact'
import {normaliseUnicode} from '../feedback/pii'
import {isSignedToken} from './formToken'
import {IDEMPOTENCY_KEY_MAX, TEXT_MAX, URL_MAX} from './limits'
import {sameSitePath} from './origin'

export const SUBMISSION_FIELDS = [
  'url',
  'whatDoing',
  'whatWentWrong',
  'category',
  'contactConsent',
  'contactEmail',
  'idempotencyKey',
  'website',
  'renderedAt',
  'returnTo',
  // "Is this page useful?" (`POST /feedback/useful`): `yes` or `no`, with `url` and `returnTo`.
  'useful',
] as const

export type SubmissionField = (typeof SUBMISSION_FIELDS)[number]

/** A field's value as received: forms give strings (or several), JSON anything. */
export type RawFields = Partial<Record<SubmissionField, unknown>>

export interface Submission {
  /** Absolute http(s) address without query string or fragment. */
  url: string
  path: string
  whatDoing: string
  whatWentWrong: string
  category?: FeedbackCategory
  contactConsent: boolean
  /** Only with consent: where a reviewer may reply (stored apart, never masked). */
  contactEmail?: string
  idempotencyKey?: string
  website?: string
  renderedAt?: number
  /** The signed form (`<ms>.<hmac>`) when the form sent one; checked against the secret. */
  renderedAtToken?: string
  returnTo?: string
}

export interface FieldError {
  field: SubmissionField
  message: string
  status: 400 | 422
}

export type ValidationResult = {ok: true; value: Submission} | {ok: false; error: FieldError}

const LIMITS: Record<SubmissionField, number> = {
  url: URL_MAX,
  whatDoing: TEXT_MAX,
  whatWentWrong: TEXT_MAX,
  category: 100,
  contactConsent: 10,
  contactEmail: EMAIL_MAX,
  idempotencyKey: IDEMPOTENCY_KEY_MAX,
  website: URL_MAX,
  renderedAt: 80,
  returnTo: URL_MAX,
  useful: 10,
}

export const FIELD_LABELS: Record<SubmissionField, string> = {
  url: 'Page address',
  whatDoing: 'What were you doing',
  whatWentWrong: 'What went wrong',
  category: 'Category',
  contactConsent: 'Happy to be contacted',
  contactEmail: 'Email address',
  idempotencyKey: 'Form key',
  website: 'Website',
  renderedAt: 'Form time',
  returnTo: 'Return address',
  useful: 'Is this page useful',
}

class Invalid extends Error {
  readonly detail: FieldError

  constructor(detail: FieldError) {
    super(detail.message)
    this.detail = detail
  }
}

function fail(field: SubmissionField, message: string, status: 400 | 422 = 400): never {
  throw new Invalid({field, message, status})
}

/** Characters, not UTF-16 units: an emoji is one character to the person typing it. */
function charLength(text: string): number {
  return Array.from(text).length
}

/** A string field: absent and empty are the same; anything but one string is malformed. */
function text(raw: RawFields, field: SubmissionField): string | undefined {
  const value = raw[field]
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) fail(field, `"${FIELD_LABELS[field]}" was sent more than once.`)
  if (typeof value !== 'string') fail(field, `"${FIELD_LABELS[field]}" must be text.`)
  if (value.includes('\u0000')) {
    fail(field, `"${FIELD_LABELS[field]}" contains a null character, which is not allowed.`)
  }
  // Browsers send CRLF; count and store what the reader typed, in the Unicode form it is checked
  // for personal data in (NFKC can lengthen a text, so the limit applies after it).
  const normalised = normaliseUnicode(value.replace(/\r\n?/g, '\n'))
  const limit = LIMITS[field]
  if (charLength(normalised) > limit) {
    fail(
      field,
      `"${FIELD_LABELS[field]}" is too long: at most ${limit.toLocaleString('en-GB')} characters.`,
    )
  }
  return normalised === '' ? undefined : normalised
}

function consent(raw: RawFields): boolean {
  const value = raw.contactConsent
  if (value === undefined || value === null || value === false) return false
  if (value === true) return true
  const t = text(raw, 'contactConsent')?.toLowerCase()
  if (t === undefined || t === 'false' || t === 'off' || t === 'no' || t === '0') return false
  if (t === 'true' || t === 'on' || t === 'yes' || t === '1') return true
  return fail('contactConsent', '"Happy to be contacted" must be yes or no.')
}

/**
 * The form's render time: milliseconds since the epoch, an ISO timestamp, or a signed
 * `<ms>.<signature>` (see `formToken.ts`; the signature is checked by the intake).
 */
function timestamp(raw: RawFields): {ms: number; token?: string} | undefined {
  const value = raw.renderedAt
  if (typeof value === 'number' && Number.isFinite(value)) return {ms: value}
  const t = text(raw, 'renderedAt')
  if (t === undefined) return undefined
  if (isSignedToken(t)) return {ms: Number(t.slice(0, t.indexOf('.'))), token: t}
  const ms = /^\d+$/.test(t) ? Number(t) : Date.parse(t)
  return Number.isFinite(ms) ? {ms} : fail('renderedAt', '"Form time" is not a time.')
}

/**
 * The page address: absolute http(s), or a path resolved against `base`. The query string and
 * fragment are dropped: search terms and tracking parameters may hold personal information.
 */
function pageAddress(raw: RawFields, base: string): {url: string; path: string} {
  const value = text(raw, 'url')
  if (value === undefined || value.trim() === '') {
    fail('url', 'The report must say which page it is about.', 422)
  }
  const trimmed = value.trim()
  let url: URL
  try {
    url =
      trimmed.startsWith('/') && !trimmed.startsWith('//')
        ? new URL(trimmed, base)
        : new URL(trimmed)
  } catch {
    return fail('url', '"Page address" is not a web address.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail('url', '"Page address" must start with https:// or http://.')
  }
  const path = url.pathname.replace(/\/{2,}/g, '/')
  return {url: `${url.origin}${path}`, path}
}

/**
 * Where a form post is sent back to: only a same-site path (never another site: that would make
 * the intake an open redirect). `sameSitePath` decides with the browser's own URL parser.
 */
function returnPath(raw: RawFields, base: string): string | undefined {
  const value = text(raw, 'returnTo')?.trim()
  if (value === undefined) return undefined
  const path = sameSitePath(value, base)
  if (path === undefined) {
    fail(
      'returnTo',
      '"Return address" must be a path on this site (starting with one /, without backslashes or control characters).',
    )
  }
  return path
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]+$/

/** Checks and normalises every field; the first problem found is reported. */
export function validateSubmission(raw: RawFields, base: string): ValidationResult {
  try {
    // Field-level checks first (400s name the field), then what the report must contain (422).
    const {url, path} = pageAddress(raw, base)
    const whatDoing = text(raw, 'whatDoing') ?? ''
    const whatWentWrong = text(raw, 'whatWentWrong') ?? ''
    const categoryText = text(raw, 'category')
    const contactConsent = consent(raw)
    const contactEmail = text(raw, 'contactEmail')?.trim() || undefined
    const idempotencyKey = text(raw, 'idempotencyKey')
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      fail('idempotencyKey', '"Form key" may only contain letters, digits and . _ : -')
    }
    const website = text(raw, 'website')
    const renderedAt = timestamp(raw)
    const returnTo = returnPath(raw, base)
    if (categoryText !== undefined && !isFeedbackCategory(categoryText)) {
      fail('category', 'Choose one of the categories on the form.', 422)
    }
    if (contactEmail !== undefined && !contactConsent) {
      fail(
        'contactEmail',
        'Tick “You may contact me about this report” to give your email address, or leave it empty.',
        422,
      )
    }
    if (contactEmail !== undefined && !isEmailAddress(contactEmail)) {
      fail(
        'contactEmail',
        'Enter an email address in the correct format, like name@example.com',
        422,
      )
    }
    if (whatDoing.trim() === '' && whatWentWrong.trim() === '') {
      fail(
        'whatWentWrong',
        'Tell us what you were doing or what went wrong (or both), so we can fix it.',
        422,
      )
    }
    const value: Submission = {url, path, whatDoing, whatWentWrong, contactConsent}
    if (categoryText !== undefined && isFeedbackCategory(categoryText))
      value.category = categoryText
    if (contactEmail !== undefined) value.contactEmail = contactEmail
    if (idempotencyKey !== undefined) value.idempotencyKey = idempotencyKey
    if (website !== undefined) value.website = website
    if (renderedAt !== undefined) value.renderedAt = renderedAt.ms
    if (renderedAt?.token !== undefined) value.renderedAtToken = renderedAt.token
    if (returnTo !== undefined) value.returnTo = returnTo
    return {ok: true, value}
  } catch (error) {
    if (error instanceof Invalid) return {ok: false, error: error.detail}
    throw error
  }
}

export interface UsefulSubmission {
  url: string
  path: string
  useful: UsefulAnswer
  returnTo?: string
}

export type UsefulValidation = {ok: true; value: UsefulSubmission} | {ok: false; error: FieldError}

/** An answer to "Is this page useful?": the page, `yes` or `no`, and where to go back to. */
export function validateUseful(raw: RawFields, base: string): UsefulValidation {
  try {
    const {url, path} = pageAddress(raw, base)
    const useful = text(raw, 'useful')
    if (!isUsefulAnswer(useful)) {
      fail('useful', 'Answer "Is this page useful?" with yes or no.', 422)
    }
    const returnTo = returnPath(raw, base)
    return {ok: true, value: {url, path, useful, ...(returnTo === undefined ? {} : {returnTo})}}
  } catch (error) {
    if (error instanceof Invalid) return {ok: false, error: error.detail}
    throw error
  }
}
