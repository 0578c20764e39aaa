/**
 * The small HTML pages the intake answers form posts with when it cannot (or should not)
 * redirect back to the page: a confirmation, the contact-page note for career questions, and the
 * form again with the problem named (rendered by `FeedbackForm`, as the page renders it).
 */
import {createElement} from 'react'
import {renderToStaticMarkup} from 'react-dom/server'

import {DEFAULT_HEADING, FeedbackForm} from './FeedbackForm'
import type {FieldError, RawFields} from './validate'

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head>
<body><main id="main-content">
${body}
</main></body>
</html>
`
}

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

/**
 * The form again (the same component the page renders), with what the reader typed and the
 * problem named in a summary and beside the field. The honeypot is never echoed back.
 */
export function errorPage(error: Pick<FieldError, 'field' | 'message'>, raw: RawFields): string {
  const path = str(raw.url)
  const form = renderToStaticMarkup(
    createElement(FeedbackForm, {
      path,
      returnTo: str(raw.returnTo) || path,
      idempotencyKey: str(raw.idempotencyKey),
      renderedAt: str(raw.renderedAt),
      values: {
        whatDoing: str(raw.whatDoing),
        whatWentWrong: str(raw.whatWentWrong),
        category: str(raw.category),
        contactConsent: Boolean(raw.contactConsent),
      },
      errors: [error],
    }),
  )
  return layout('Error: Help us improve', `<h1>${escapeHtml(DEFAULT_HEADING)}</h1>\n${form}`)
}

/** For problems that are not about one field (size, type, origin, rate, lake down). */
export function problemPage(title: string, message: string, pageUrl?: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${backLink(pageUrl)}`,
  )
}
