/**
 * The public "report a problem with this page" intake: one Node request handler for `POST
 * /feedback` that works with `node:http` and `node:http2` (compat) requests, and writes through a
 * `SanityClient` holding a write token, to the local lake or to Sanity's hosted Content Lake.
 *
 * Order of the defences (each refuses before the next costs anything): method (405), cross-site
 * (403), content type (415), declared then actual size (413), rate limit (429), parsing and field
 * checks (400/422, which do not count against the limit), spam rules (accepted, stored as spam),
 * then page resolution, PII masking, duplicate detection and the idempotent write.
 */
import type {IncomingHttpHeaders} from 'node:http'

import type {SanityClient} from '@sanity/client'

import {contactOf} from '../feedback/contact'
import {isRoutedToContactPage, type FeedbackStatus} from '../feedback/workflow'
import {BodyError, bodyKind, declaredLength, parseBody, readBody} from './body'
import {originalOf, reportFingerprint} from '../feedback/fingerprint'
import {verifyRenderedAt} from './formToken'
import type {FeedbackFormState} from './FeedbackForm'
import {
  careerQuestionPage,
  confirmationPage,
  errorPage,
  formStateOf,
  inWords,
  INTAKE_PAGE_CSP,
  PAGE_CSP,
  problemPage,
  rateLimitedPage,
} from './html'
import {submissionId} from './id'
import {createInFlightReports, type ReportInFlight} from './inFlight'
import {type IntakeLake, intakeLakeFromClient} from './lake'
import {BODY_DEADLINE_MS, DEFAULT_BODY_LIMIT, DUPLICATE_WINDOW_MS, URL_MAX} from './limits'
import {checkOrigin, normaliseOrigin, requestOrigin, sameSitePath} from './origin'
import {maskPath, maskPii, maskUrl, maskUserAgent} from '../feedback/pii'
import {contactPageUrl, intakeContext, usefulPage} from './queries'
import {rateLimitKey} from '../lib/transport'
import {createRateLimiter, defaultRateLimit, type RateLimitSettings} from './rateLimit'
import {defaultRetry, type RetryOptions, withRetry} from './retry'
import {defaultSpamRules, SPAM_REASON_TEXT, spamReason, type SpamRules} from '../feedback/spam'
import {type RawFields, type Submission, validateSubmission, validateUseful} from './validate'
import {emptyUsefulCounter, usefulDay} from '../feedback/useful'
import {isUsefulPath} from './paths'

export {rateLimitKey} from '../lib/transport'
export {createRateLimiter, type RateLimitSettings} from './rateLimit'
export {defaultSpamRules, type SpamRules} from '../feedback/spam'
export {signRenderedAt} from './formToken'

/** The parts of `http.IncomingMessage` and `http2.Http2ServerRequest` the intake uses. */
export interface IntakeRequest extends AsyncIterable<unknown> {
  method?: string | undefined
  /** The request target: `/feedback` for reports, `/feedback/useful` for usefulness answers. */
  url?: string | undefined
  headers: IncomingHttpHeaders
  httpVersionMajor: number
  socket: {remoteAddress?: string | undefined; encrypted?: boolean} | null
}

/** The parts of `http.ServerResponse` and `http2.Http2ServerResponse` the intake uses. */
export interface IntakeResponse {
  writeHead(statusCode: number, headers: Record<string, string | number>): unknown
  end(body: string): unknown
}

export interface FeedbackIntakeOptions {
  /** A client with a write token, from `createContentClient({token: writeToken()})`... */
  client?: SanityClient
  /** ...or the lake to write to directly (`intakeLakeFromStore`, inside the lake's process). */
  lake?: IntakeLake
  /** Origins (besides the intake's own) whose pages may post, e.g. the frontend's. */
  allowedOrigins?: readonly string[]
  /** Per-client limit; `false` turns it off (only for tests of other defences). */
  rateLimit?: Partial<RateLimitSettings> | false
  /** Milliseconds since the epoch; tests pass a fake. */
  clock?: () => number
  spamRules?: Partial<SpamRules>
  /** Where career questions go; by default the `settings` document's `contactPageUrl`. */
  contactPageUrl?: string | (() => Promise<string | undefined>)
  /** The public site address that relative `url` paths are resolved against (default: Origin). */
  siteUrl?: string
  bodyLimit?: number
  /** How long the body may take to arrive (default `BODY_DEADLINE_MS`; tests shorten it). */
  bodyDeadlineMs?: number
  /** Who a request counts against (default: the socket's address; behind a proxy, pass one). */
  clientKey?: (req: IntakeRequest) => string
  retry?: Partial<RetryOptions>
  /**
   * The secret the page renderer signs the form's render time with (`signRenderedAt`). When set,
   * a missing or forged time marks the report as spam; when not, the time is taken on trust.
   */
  formSecret?: string
  /**
   * The "Is this page useful?" answers' own limit (its own bucket, so answering does not use up
   * a reader's report); by default the same settings as reports'. `false` turns it off.
   */
  usefulRateLimit?: Partial<RateLimitSettings> | false
  /**
   * Renders the page at `path` with the feedback form in `state` (filled in, with errors), as the
   * frontend renders it: the 422 answer is then the page itself. Resolves to `undefined` when there
   * is no such page; without the hook (the lake mounting the intake alone) the intake answers with
   * its own page in the site's layout, rendering the same `FeedbackForm`.
   */
  renderPage?: RenderPage
  /** Called with failures worth a log line (the lake refused or is down). */
  onError?: (error: unknown) => void
}

/** What a JSON client is told; spam and duplicates look like any other accepted report. */
export interface IntakeReply {
  id: string
  status: 'received' | 'not-a-page-problem'
  message: string
  contactUrl?: string
}

interface WeakReference {
  _type: 'reference'
  _ref: string
  _weak: true
}

/** What a reply may say about a report: read from the stored document when it already existed. */
interface StoredReport {
  status: FeedbackStatus
  url: string
}

export type RenderPage = (path: string, state: FeedbackFormState) => Promise<string | undefined>

export type FeedbackRequestHandler = (req: IntakeRequest, res: IntakeResponse) => Promise<void>

const VARY = 'Origin, Sec-Fetch-Site'
const BODY_ERROR_TITLES: Record<BodyError['status'], string> = {
  400: 'Bad request',
  408: 'Too slow',
  413: 'Too long',
  415: 'Unsupported form',
}
/** Answers sent before (or instead of) reading the whole body. */
const UNREAD_BODY_STATUSES = new Set([403, 405, 408, 413, 415, 429])

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function wantsJson(headers: IncomingHttpHeaders): boolean {
  if (bodyKind(header(headers, 'content-type')) === 'json') return true
  const accept = header(headers, 'accept') ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

/** Origin + path of a header URL (query and fragment dropped: they may hold personal data). */
function cleanUrl(value: string | undefined): string | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return `${url.origin}${url.pathname}`.slice(0, URL_MAX)
  } catch {
    return undefined
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** The page path a form was about, for the answer that shows it again. */
function pathOf(value: unknown, base: string): string {
  try {
    return new URL(str(value) || '/', base).pathname
  } catch {
    return '/'
  }
}

function intakeLakeOf(options: FeedbackIntakeOptions): IntakeLake {
  if (options.lake) return options.lake
  if (options.client) return intakeLakeFromClient(options.client)
  throw new Error('The feedback intake needs a `client` with a write token or a `lake`.')
}

export function createFeedbackIntake(options: FeedbackIntakeOptions): FeedbackRequestHandler {
  const lake = intakeLakeOf(options)
  const clock = options.clock ?? Date.now
  const limiter =
    options.rateLimit === false
      ? undefined
      : createRateLimiter({...defaultRateLimit, ...options.rateLimit}, clock)
  const usefulLimiter =
    options.usefulRateLimit === false
      ? undefined
      : createRateLimiter(
          {
            ...defaultRateLimit,
            ...(options.rateLimit === false ? {} : options.rateLimit),
            ...options.usefulRateLimit,
          },
          clock,
        )
  const spamRules: SpamRules = {...defaultSpamRules, ...options.spamRules}
  const retry: RetryOptions = {...defaultRetry, ...options.retry}
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT
  const bodyDeadlineMs = options.bodyDeadlineMs ?? BODY_DEADLINE_MS
  const allowedOrigins = options.allowedOrigins ?? []
  const inFlight = createInFlightReports()
  const requestKey = options.clientKey ?? ((req) => req.socket?.remoteAddress ?? 'unknown')
  // Addresses are folded (IPv6 to its /64) whoever supplied them: a proxy's key too.
  const clientKey = (req: IntakeRequest) => rateLimitKey(requestKey(req))

  async function contactUrl(): Promise<string | undefined> {
    const setting = options.contactPageUrl
    if (typeof setting === 'string') return setting
    if (typeof setting === 'function') return setting()
    return contactPageUrl(lake).catch(() => undefined)
  }

  return async function feedbackIntake(req, res) {
    const headers = req.headers
    const json = wantsJson(headers)
    const isHttp2 = req.httpVersionMajor === 2
    const ownOrigin = requestOrigin(headers, Boolean(req.socket?.encrypted))

    // A listed origin other than our own (the frontend on another port or host) may read the
    // answer from script: CORS for exactly those origins, never `*`.
    const requestOriginHeader = normaliseOrigin(header(headers, 'origin') ?? '')
    const corsOrigin =
      requestOriginHeader !== undefined &&
      requestOriginHeader !== ownOrigin &&
      allowedOrigins.some((o) => normaliseOrigin(o) === requestOriginHeader)
        ? requestOriginHeader
        : undefined

    function send(status: number, body: string, extra: Record<string, string | number> = {}): void {
      const base: Record<string, string | number> = {
        Vary: VARY,
        ...(corsOrigin ? {'Access-Control-Allow-Origin': corsOrigin} : {}),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Type': json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
        // Our pages have no scripts, styles or frames; their one form posts back here.
        ...(json ? {} : {'Content-Security-Policy': INTAKE_PAGE_CSP}),
        ...extra,
      }
      // When the body was not read, close the HTTP/1 connection rather than drain it. HTTP/2
      // forbids the Connection header; the stream is reset instead when the response ends.
      if (!isHttp2 && UNREAD_BODY_STATUSES.has(status)) base['Connection'] = 'close'
      res.writeHead(status, base)
      res.end(body)
    }

    function problem(status: number, title: string, message: string, extra = {}): void {
      send(status, json ? JSON.stringify({error: {message}}) : problemPage(title, message), extra)
    }

    if (req.method === 'OPTIONS') {
      // CORS preflight for JSON posts from a listed origin; anyone else gets no permission.
      res.writeHead(corsOrigin ? 204 : 403, {
        Vary: VARY,
        ...(corsOrigin
          ? {
              'Access-Control-Allow-Origin': corsOrigin,
              'Access-Control-Allow-Methods': 'POST',
              'Access-Control-Allow-Headers': 'Content-Type, Accept',
              'Access-Control-Max-Age': 600,
            }
          : {}),
      })
      res.end('')
      return
    }

    if (req.method !== 'POST') {
      problem(405, 'Method not allowed', 'Send feedback with POST.', {Allow: 'POST, OPTIONS'})
      return
    }

    const origin = checkOrigin(headers, allowedOrigins, ownOrigin)
    if (!origin.allowed) {
      problem(403, 'Not allowed', origin.reason)
      return
    }

    const kind = bodyKind(header(headers, 'content-type'))
    if (!kind) {
      problem(
        415,
        'Unsupported form',
        'Send the form as application/x-www-form-urlencoded or application/json (UTF-8).',
      )
      return
    }

    const declared = declaredLength(headers)
    if (declared !== undefined && declared > bodyLimit) {
      problem(413, 'Too long', `The request body is larger than ${bodyLimit} bytes.`)
      return
    }

    const key = clientKey(req)
    const useful = isUsefulPath(req.url)
    const bucket = useful ? usefulLimiter : limiter
    const early = bucket?.check(key)
    if (early && !early.allowed && useful) {
      tooMany(early.retryAfterSeconds, undefined)
      return
    }
    if (early && !early.allowed) {
      // A resubmitted form (same key, already stored) is answered, not throttled.
      const replay = await replayOf(req, kind, bodyLimit)
      if (replay) {
        await reply(replay.submission, replay.stored, replay.id)
        return
      }
      tooMany(early.retryAfterSeconds, undefined)
      return
    }

    let raw: RawFields
    try {
      raw = parseBody(kind, await readBody(req, bodyLimit, bodyDeadlineMs))
    } catch (error) {
      if (error instanceof BodyError) {
        problem(error.status, BODY_ERROR_TITLES[error.status], error.message)
        return
      }
      throw error
    }

    const base =
      options.siteUrl ??
      normaliseOrigin(header(headers, 'origin') ?? '') ??
      ownOrigin ??
      'http://localhost'
    if (useful) {
      await answerUseful(raw, base)
      return
    }
    const validated = validateSubmission(raw, base)
    if (!validated.ok) {
      const {field, message, status} = validated.error
      if (json) {
        send(status, JSON.stringify({error: {field, message}}))
        return
      }
      const state = formStateOf(raw, [validated.error])
      const path = sameSitePath(str(raw.returnTo), base) ?? pathOf(raw.url, base)
      const page = options.renderPage
        ? await options.renderPage(path, state).catch((error: unknown) => {
            options.onError?.(error)
            return undefined
          })
        : undefined
      if (page !== undefined) {
        send(status, page, {'Content-Security-Policy': PAGE_CSP})
      } else {
        send(status, errorPage(path, state))
      }
      return
    }
    const submission = validated.value

    const taken = limiter?.take(key)
    if (taken && !taken.allowed) {
      tooMany(taken.retryAfterSeconds, submission.returnTo ?? submission.path)
      return
    }

    const now = clock()
    const spam = spamReason(
      {
        website: submission.website,
        whatDoing: submission.whatDoing,
        whatWentWrong: submission.whatWentWrong,
        renderedAt: submission.renderedAt,
        renderedAtTrusted:
          options.formSecret === undefined
            ? undefined
            : submission.renderedAtToken !== undefined &&
              verifyRenderedAt(options.formSecret, submission.renderedAtToken) !== undefined,
        now,
      },
      spamRules,
    )

    const id = submissionId(submission.idempotencyKey)
    let status: FeedbackStatus = 'new'
    let flight: ReportInFlight | undefined
    let stored: StoredReport
    try {
      // Every stored field that a person or their browser wrote is masked (see feedback/pii.ts).
      const doing = maskPii(submission.whatDoing)
      const wrong = maskPii(submission.whatWentWrong)
      const path = maskPath(submission.path)
      const url = maskUrl(submission.url)
      const rawUserAgent = header(headers, 'user-agent')
      const userAgent =
        rawUserAgent === undefined ? undefined : maskUserAgent(rawUserAgent.slice(0, URL_MAX))
      const rawReferrer = cleanUrl(header(headers, 'referer'))
      const referrer = rawReferrer === undefined ? undefined : maskUrl(rawReferrer)
      // The key only names the report (its id is derived from it); one that carries personal
      // data is not kept at all rather than kept masked under a name it never had.
      const keyPii =
        submission.idempotencyKey !== undefined &&
        maskPii(submission.idempotencyKey).kinds.length > 0
      const piiMasked =
        keyPii ||
        [doing, wrong, path, url, userAgent, referrer].some((m) => m && m.kinds.length > 0)

      const extra: {
        spamReason?: string
        page?: WeakReference
        pageRevision?: string
        duplicateOf?: WeakReference
      } = {}
      if (spam) {
        status = 'spam'
        extra.spamReason = SPAM_REASON_TEXT[spam]
      }

      const fingerprint = reportFingerprint(doing.text, wrong.text)
      flight = spam ? undefined : inFlight.begin(`${path.text}\u0000${fingerprint}`)
      const {page, earlier} = spam
        ? {page: null, earlier: null}
        : await withRetry(
            () =>
              intakeContext(lake, {
                id,
                path: path.text,
                fingerprint,
                since: new Date(now - DUPLICATE_WINDOW_MS).toISOString(),
              }),
            retry,
          )
      if (page) {
        extra.page = {_type: 'reference', _ref: page._id, _weak: true}
        extra.pageRevision = page._rev
      }
      const original = (await flight?.earlier) ?? originalOf(earlier)
      if (original && original !== id) {
        status = 'duplicate'
        extra.duplicateOf = {_type: 'reference', _ref: original, _weak: true}
      } else if (!spam && isRoutedToContactPage(submission.category)) {
        status = 'not-a-page-problem'
      }

      const document = {
        _id: id,
        _type: 'feedbackSubmission',
        status,
        url: url.text,
        path: path.text,
        whatDoing: doing.text,
        whatWentWrong: wrong.text,
        fingerprint,
        ...(submission.category ? {category: submission.category} : {}),
        contactConsent: submission.contactConsent,
        submittedAt: new Date(now).toISOString(),
        ...(submission.idempotencyKey && !keyPii
          ? {idempotencyKey: submission.idempotencyKey}
          : {}),
        ...(userAgent?.text ? {userAgent: userAgent.text} : {}),
        ...(referrer ? {referrer: referrer.text} : {}),
        piiMasked,
        ...extra,
      }
      // The reporter's address goes in its own document, in the same transaction (spam never
      // leaves one: nobody replies to it).
      const companions =
        submission.contactEmail && !spam ? [{...contactOf(id, submission.contactEmail)}] : []
      const created = await withRetry(() => lake.createIfNotExists(document, companions), retry)
      flight?.finish(extra.duplicateOf?._ref ?? id)
      // A repeated key: the answer describes the report stored first, not this body.
      stored = created
        ? {status, url: url.text}
        : ((await withRetry(() => lake.getDocument<StoredReport>(id), retry)) ?? {
            status,
            url: url.text,
          })
    } catch (error) {
      flight?.finish(undefined)
      limiter?.refund(key)
      options.onError?.(error)
      problem(
        503,
        'Sorry, there is a problem',
        'Your report could not be saved just now. Please try again in a few minutes.',
        {'Retry-After': 60},
      )
      return
    }
    await reply(submission, stored, id)

    /**
     * 429 in words: when to try again (from the limiter's Retry-After) and a way back to the page
     * (the form's path, else the Referer's when it is one of ours).
     */
    function tooMany(retryAfterSeconds: number, pagePath: string | undefined): void {
      const back = pagePath ?? refererPath()
      const message = `You can send another ${useful ? 'answer' : 'report'} ${inWords(retryAfterSeconds)}.`
      if (json) {
        send(429, JSON.stringify({error: {message}}), {'Retry-After': retryAfterSeconds})
        return
      }
      send(429, rateLimitedPage(message, back), {'Retry-After': retryAfterSeconds})
    }

    function refererPath(): string | undefined {
      const referer = header(headers, 'referer')
      if (!referer) return undefined
      try {
        const url = new URL(referer)
        const o = url.origin.toLowerCase()
        return o === ownOrigin || allowedOrigins.some((a) => normaliseOrigin(a) === o)
          ? url.pathname
          : undefined
      } catch {
        return undefined
      }
    }

    /** "Is this page useful?": counted on the page's counter for today, nothing personal kept. */
    async function answerUseful(fields: RawFields, base: string): Promise<void> {
      const checked = validateUseful(fields, base)
      if (!checked.ok) {
        const {field, message, status} = checked.error
        if (json) send(status, JSON.stringify({error: {field, message}}))
        else send(status, problemPage('There is a problem', message, refererPath()))
        return
      }
      const answer = checked.value
      const taken = usefulLimiter?.take(key)
      if (taken && !taken.allowed) {
        tooMany(taken.retryAfterSeconds, answer.returnTo ?? answer.path)
        return
      }
      const day = usefulDay(clock())
      try {
        const page = await withRetry(() => usefulPage(lake, answer.path), retry)
        if (!page) {
          usefulLimiter?.refund(key)
          const message = 'There is no page at this address to answer about.'
          if (json) send(422, JSON.stringify({error: {field: 'url', message}}))
          else send(422, problemPage('There is a problem', message, refererPath()))
          return
        }
        const counter = emptyUsefulCounter(page._id, answer.path, day)
        await withRetry(() => lake.increment({...counter}, answer.useful), retry)
        if (json) {
          send(201, JSON.stringify({page: page._id, day, useful: answer.useful}))
          return
        }
      } catch (error) {
        usefulLimiter?.refund(key)
        options.onError?.(error)
        problem(
          503,
          'Sorry, there is a problem',
          'Your answer could not be saved just now. Please try again in a few minutes.',
          {'Retry-After': 60},
        )
        return
      }
      // "No" opens the report form; "Yes" is thanked where the question was.
      const target =
        answer.useful === 'no'
          ? redirectTarget(answer, {useful: 'no'}, 'feedback')
          : redirectTarget(answer, {useful: 'yes'}, 'useful')
      if (target) send(303, '', {Location: target})
      else send(200, confirmationPage(answer.url))
    }

    async function replayOf(
      request: IntakeRequest,
      bodyType: 'form' | 'json',
      limit: number,
    ): Promise<{submission: Submission; stored: StoredReport; id: string} | undefined> {
      try {
        const fields = parseBody(bodyType, await readBody(request, limit, bodyDeadlineMs))
        const valid = validateSubmission(fields, ownOrigin ?? 'http://localhost')
        if (!valid.ok || !valid.value.idempotencyKey) return undefined
        const storedId = submissionId(valid.value.idempotencyKey)
        const found = await lake.getDocument<Partial<StoredReport>>(storedId)
        return found
          ? {
              submission: valid.value,
              stored: {status: found.status ?? 'new', url: found.url ?? valid.value.url},
              id: storedId,
            }
          : undefined
      } catch {
        return undefined
      }
    }

    /**
     * The answer describes `report` (what is stored under `id`), while `sub` (this request) only
     * says where its sender goes next.
     */
    async function reply(sub: Submission, report: StoredReport, id: string): Promise<void> {
      const routed = report.status === 'not-a-page-problem'
      const contact = routed ? await contactUrl() : undefined
      if (json) {
        const body: IntakeReply = {
          id,
          status: routed ? 'not-a-page-problem' : 'received',
          message: routed
            ? 'This form is for problems with the website. For a question about a career, please use the contact page.'
            : 'Thank you: your report was received.',
          ...(contact ? {contactUrl: contact} : {}),
        }
        send(201, JSON.stringify(body))
        return
      }
      if (routed) {
        send(200, careerQuestionPage(contact, report.url))
        return
      }
      const target = redirectTarget(sub, {feedback: 'sent'}, 'feedback')
      if (target) {
        send(303, '', {Location: target})
        return
      }
      send(200, confirmationPage(report.url))
    }

    /**
     * Back to where the reader was, with `?feedback=sent`: `returnTo` (a path) on the origin of
     * the page that posted, else the Referer, but only for the intake's own or allowed origins.
     */
    function redirectTarget(
      sub: Pick<Submission, 'returnTo' | 'path'>,
      params: Record<string, string>,
      fragment: string,
    ): string | undefined {
      const trusted = (value: string | undefined): URL | undefined => {
        if (!value) return undefined
        try {
          const url = new URL(value)
          const o = url.origin.toLowerCase()
          return o === ownOrigin || allowedOrigins.some((a) => normaliseOrigin(a) === o)
            ? url
            : undefined
        } catch {
          return undefined
        }
      }
      const referer = trusted(header(headers, 'referer'))
      const postedFrom = referer ?? trusted(header(headers, 'origin')) ?? trusted(ownOrigin)
      // Validation already refused an off-site `returnTo`; parsing again against the origin it
      // will really be resolved on keeps that true whatever that origin is, else the page's path.
      const target =
        sub.returnTo && postedFrom
          ? new URL(sameSitePath(sub.returnTo, postedFrom.origin) ?? sub.path, postedFrom.origin)
          : referer
      if (!target) return undefined
      for (const name of ['feedback', 'useful']) target.searchParams.delete(name)
      for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value)
      // The section the answer is in: the reader lands on it, with or without JavaScript.
      target.hash = fragment
      return target.toString()
    }
  }
}
