/**
 * The small HTML pages the intake answers form posts with when it cannot (or should not)
 * redirect back to the page: a confirmation, the contact-page note for career questions, and the
 * form again with the problem named, for readers without JavaScript.
 */
import {feedbackCategories} from '../../schemas/feedbackWorkflow'
import {FIELD_LABELS, type FieldError, type RawFields} from './validate'

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

/** The form again, with what the reader typed and the problem next to the field. */
export function errorPage(error: Pick<FieldError, 'field' | 'message'>, raw: RawFields): string {
  const id = `feedback-${error.field}`
  const message = `<p class="error-message" id="${id}-error"><span class="visually-hidden">Error:</span> ${escapeHtml(error.message)}</p>`
  const field = (name: 'whatDoing' | 'whatWentWrong') =>
    `<label for="feedback-${name}">${escapeHtml(FIELD_LABELS[name])}</label>
${error.field === name ? message : ''}<textarea id="feedback-${name}" name="${name}" rows="4" maxlength="1200"${error.field === name ? ` aria-describedby="${id}-error"` : ''}>${escapeHtml(str(raw[name]))}</textarea>`
  const options = feedbackCategories
    .map(
      (c) =>
        `<option value="${c.id}"${str(raw.category) === c.id ? ' selected' : ''}>${escapeHtml(c.title)}</option>`,
    )
    .join('')
  const hidden = // The original render time goes back too: with signed times, a fresh unsigned one would be
    // judged spam, and the reader has been on the form longer than a bot would be anyway.
    (['url', 'idempotencyKey', 'returnTo', 'renderedAt'] as const)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(str(raw[name]))}">`)
      .join('\n')
  return layout(
    'Error: Help us improve',
    `<div role="alert"><h2>There is a problem</h2><p><a href="#${id}">${escapeHtml(error.message)}</a></p></div>
<h1>Help us improve</h1>
<form method="post" action="/feedback">
${hidden}
${field('whatDoing')}
${field('whatWentWrong')}
<label for="feedback-category">${escapeHtml(FIELD_LABELS.category)}</label>
${error.field === 'category' ? message : ''}<select id="feedback-category" name="category"><option value="">Choose a category</option>${options}</select>
<label><input type="checkbox" name="contactConsent" value="yes"${raw.contactConsent ? ' checked' : ''}> ${escapeHtml(FIELD_LABELS.contactConsent)}</label>
<p>Do not include personal information such as your name, email address or NHS number.</p>
<button type="submit">Send</button>
</form>`,
  )
}

/** For problems that are not about one field (size, type, origin, rate, lake down). */
export function problemPage(title: string, message: string, pageUrl?: string): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>\n${backLink(pageUrl)}`,
  )
}
