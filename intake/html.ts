/**
 * The small HTML pages the intake answers form posts with when it cannot (or should not)
 * redirect back to the page: a confirmation, the contact-page note for career questions, and the
 * form again with the problem named (rendered by `FeedbackForm`, as the page renders it).
 */
import {createElement} from 'react'
import {renderToStaticMarkup} from 'react-dom/server'

import {
  DEFAULT_HEADING,
  FEEDBACK_STYLES,
  FeedbackForm,
  type FeedbackFormError,
  type FeedbackFormState,
  SITE_STYLES,
} from './FeedbackForm'
import type {RawFields} from './validate'

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * The intake's own pages when no page renderer is mounted: the site's layout and the feedback
 * section's styles (`FEEDBACK_STYLES`, the same the frontend uses).
 */
function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${SITE_STYLES}${FEEDBACK_STYLES}</style></head>
<body><a class="skip-link" href="#main-content">Skip to main content</a><main id="main-content">
${body}
</main></body>
</html>
`
}

/**
 * The page the frontend renders for the 422 answer may carry its own styles and the feedback
 * section's one line of script; it still posts only here and may not be framed.
 */
export const PAGE_CSP =
  "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** The intake's own pages: no scripts, inline styles only. */
export const INTAKE_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

function backLink(pageUrl: string | undefined): string {
  return pageUrl ? `<p><a href="${escapeHtml(pageUrl)}">Go back to the page</a></p>` : ''
}

export function confirmationPage(pageUrl: string | undefined): string {
  return layout(
    'Thank you for your feedback',
    `<h1>Thank you for your feedback</h1>
<p>We read every report and use it to improve the page.</p>
${backLink(pageUrl)}`,
  )
}

export function careerQuestionPage(
  contactUrl: string | undefined,
  pageUrl: string | undefined,
): string {
  const contact = contactUrl
    ? `<p>This form is for problems with the website. For a question about a career in the NHS, please <a href="${escapeHtml(contactUrl)}">visit our contact us page</a> and call or email us.</p>`
    : '<p>This form is for problems with the website. For a question about a career in the NHS, please contact us by phone or email.</p>'
  return layout(
    'Questions about your career',
    `<h1>Questions about your career</h1>\n${contact}\n${backLink(pageUrl)}`,
  )
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** What the reader sent, back into the form, with the problems found (never the honeypot). */
export function formStateOf(
  raw: RawFields,
  errors: readonly FeedbackFormError[],
): FeedbackFormState {
  return {
    idempotencyKey: str(raw.idempotencyKey),
    renderedAt: str(raw.renderedAt),
    values: {
      whatDoing: str(raw.whatDoing),
      whatWentWrong: str(raw.whatWentWrong),
      category: str(raw.category),
      contactConsent:
        raw.contactConsent === true || /^(yes|on|true|1)$/i.test(str(raw.contactConsent)),
      contactEmail: str(raw.contactEmail),
    },
    errors,
  }
}

/**
 * The form again when no page renderer is mounted (the lake alone): a page in the site's layout
 * and styles with the same `FeedbackForm`, filled in, the problems summarised at the top.
 */
export function errorPage(path: string, state: FeedbackFormState): string {
  const form = renderToStaticMarkup(
    createElement(FeedbackForm, {path, returnTo: path, open: true, ...state}),
  )
  return layout(`Error: ${DEFAULT_HEADING}`, `<h1>${escapeHtml(DEFAULT_HEADING)}</h1>\n${form}`)
}

/** "in 45 seconds", "in 2 minutes": when a limited reader may send again. */
export function inWords(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`
  const minutes = Math.ceil(seconds / 60)
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`
}

/** 429 in the site's layout: what happened, when to try again, the way back. */
export function rateLimitedPage(message: string, pagePath: string | undefined): string {
  return layout(
    'You have sent a lot of feedback',
    `<h1>You have sent a lot of feedback</h1>
<p>Thank you. To keep the service working for everyone, there is a short wait between reports. ${escapeHtml(message)}</p>
${backLink(pagePath ?? '/')}`,
  )
}

/** For problems that are not about one field (size, type, origin, rate, lake down). */
export function problemPage(title: string, message: string, pageUrl?: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${backLink(pageUrl)}`,
  )
}
