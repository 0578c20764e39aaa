/**
 * "Make a comment or report a problem with this page": the one renderer of the feedback form. The
 * frontend renders it on every page; the intake renders it again, filled in and with the problem
 * named, when a report cannot be accepted as sent. Plain HTML that posts without JavaScript.
 */
import {DEFAULT_CONTACT_RETENTION_DAYS, EMAIL_MAX} from '../feedback/contact'
import {feedbackCategories} from '../feedback/workflow'

const CONTACT_RETENTION_WORDS = `${DEFAULT_CONTACT_RETENTION_DAYS} days`

/** The site's base styles: the frontend's pages and the intake's own share them. */
export const SITE_STYLES = `
body{font-family:system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:0 1rem;line-height:1.5;color:#212b32}
a{color:#005eb8}.skip,.skip-link{position:absolute;left:-9999px}.skip:focus,.skip-link:focus{left:1rem;top:1rem}
`

/**
 * The feedback section's styles, one copy for every page that shows the form. Radios, the
 * checkbox and buttons are at least 24 by 24 CSS pixels (WCAG 2.2 target size), buttons 44 high.
 */
export const FEEDBACK_STYLES = `
.feedback{margin-top:2rem;border-top:1px solid #d8dde0;padding-top:1rem}.feedback label{display:block;margin-top:.5rem}
.feedback textarea,.feedback input[type=email]{width:100%;box-sizing:border-box;font:inherit;padding:.25rem}
.feedback fieldset div,.feedback .contact>input[type=checkbox]{display:flex;align-items:center;gap:.5rem}
.feedback fieldset div label,.feedback .contact>input[type=checkbox]+label{display:inline-block;margin:0;padding:.25rem 0}
.feedback input[type=radio],.feedback input[type=checkbox]{width:1.5rem;height:1.5rem;min-width:24px;min-height:24px;margin:0}
.feedback .contact{margin-top:.5rem}.feedback .contact>input[type=checkbox]{display:inline-block;vertical-align:middle}
.feedback button{min-height:44px;min-width:44px;padding:.5rem 1rem;font:inherit;font-weight:600;cursor:pointer}
.feedback .useful form{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}.feedback .useful h2{font-size:1rem;margin:0 .5rem 0 0}
.honeypot{position:absolute;left:-9999px}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.error-summary{border:4px solid #d5281b;padding:1rem}.error-message{color:#d5281b;font-weight:600}.hint{color:#4c6272}.sent{background:#e6f4ea;padding:.5rem 1rem}
.sent:focus{outline:3px solid #ffb81c}
`

/** The editor-written copy around the form (the `settings` document's `feedbackForm`). */
export interface FeedbackFormCopy {
  toggleLabel?: string | null
  heading?: string | null
  intro?: string | null
  careerQuestionNote?: string | null
}

/** What the reader typed, sent back so nothing they wrote is lost. */
export interface FeedbackFormValues {
  whatDoing?: string
  whatWentWrong?: string
  category?: string
  contactConsent?: boolean
  contactEmail?: string
}

export interface FeedbackFormError {
  field: string
  message: string
}

/** The form as the intake sends it back: what was typed, its key and time, what is wrong. */
export interface FeedbackFormState {
  idempotencyKey: string
  renderedAt: string
  values: FeedbackFormValues
  errors: readonly FeedbackFormError[]
}

export interface FeedbackFormProps {
  /** The page the report is about (its path), and where to come back to. */
  path: string
  returnTo?: string
  idempotencyKey: string
  renderedAt: string
  copy?: FeedbackFormCopy | null
  contactPageUrl?: string | null
  sent?: boolean
  /** The reader's answer to "Is this page useful?" (`no` opens the form). */
  useful?: 'yes' | 'no' | undefined
  /** Open the form (it is shown closed until asked for, or when it needs attention). */
  open?: boolean
  values?: FeedbackFormValues
  errors?: readonly FeedbackFormError[]
}

export const DEFAULT_TOGGLE_LABEL = 'Make a comment or report a problem with this page'
export const DEFAULT_HEADING = 'Help us improve'
/** Browsers count CRLF as two characters against `maxlength`; the intake allows for it. */
const TEXT_MAX_LENGTH = 1200

/** The id of the input an error links to, so the summary's link moves focus to it. */
function fieldId(field: string, values: FeedbackFormValues): string {
  if (field === 'category') {
    const chosen = feedbackCategories.find((category) => category.id === values.category)
    return `category-${chosen?.id ?? feedbackCategories[0]?.id ?? 'none'}`
  }
  if (
    field === 'whatDoing' ||
    field === 'whatWentWrong' ||
    field === 'contactConsent' ||
    field === 'contactEmail'
  ) {
    return field
  }
  return 'whatWentWrong'
}

function ErrorMessage({error}: {error: FeedbackFormError | undefined}) {
  if (!error) return null
  return (
    <p className="error-message" id={`${error.field}-error`}>
      <span className="visually-hidden">Error:</span> {error.message}
    </p>
  )
}

export function FeedbackForm({
  path,
  returnTo,
  idempotencyKey,
  renderedAt,
  copy,
  contactPageUrl,
  sent = false,
  useful,
  open = false,
  values = {},
  errors = [],
}: FeedbackFormProps) {
  const errorFor = (field: string) => errors.find((error) => error.field === field)
  const describedBy = (field: string) =>
    [errorFor(field) ? `${field}-error` : '', 'no-personal-data'].filter(Boolean).join(' ')
  const textarea = (field: 'whatDoing' | 'whatWentWrong', label: string) => (
    <>
      <label htmlFor={field}>{label}</label>
      <ErrorMessage error={errorFor(field)} />
      <textarea
        id={field}
        name={field}
        maxLength={TEXT_MAX_LENGTH}
        rows={3}
        aria-describedby={describedBy(field)}
        {...(errorFor(field) ? {'aria-invalid': true} : {})}
        defaultValue={values[field] ?? ''}
      />
    </>
  )
  const back = returnTo ?? path
  return (
    <section id="feedback" className="feedback" aria-labelledby="feedback-heading">
      {errors.length > 0 ? (
        <div className="error-summary" role="alert" aria-labelledby="error-summary-title">
          <h2 id="error-summary-title">There is a problem</h2>
          <ul>
            {errors.map((error) => (
              <li key={error.field}>
                <a href={`#${fieldId(error.field, values)}`}>{error.message}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div id="useful" className="useful">
        {useful === 'yes' ? (
          <p role="status">Thank you for telling us.</p>
        ) : (
          <form method="post" action="/feedback/useful" aria-labelledby="useful-question">
            <input type="hidden" name="url" value={path} />
            <input type="hidden" name="returnTo" value={back} />
            <h2 id="useful-question">Is this page useful?</h2>
            <button type="submit" name="useful" value="yes">
              Yes <span className="visually-hidden">this page is useful</span>
            </button>{' '}
            <button type="submit" name="useful" value="no">
              No <span className="visually-hidden">this page is not useful</span>
            </button>
          </form>
        )}
      </div>
      {sent ? (
        <>
          {/* Focus goes to the thanks (the fragment alone scrolls to it without JavaScript). */}
          <p id="feedback-sent" role="status" className="sent" tabIndex={-1}>
            Thank you for your feedback.
          </p>
          <script
            dangerouslySetInnerHTML={{
              // Once the page is parsed (and scrolled to the fragment), not while it is parsing.
              __html:
                "addEventListener('load',function(){document.getElementById('feedback-sent').focus()})",
            }}
          />
        </>
      ) : null}
      <details open={open || useful === 'no' || errors.length > 0}>
        <summary>{copy?.toggleLabel ?? DEFAULT_TOGGLE_LABEL}</summary>
        <h2 id="feedback-heading">{copy?.heading ?? DEFAULT_HEADING}</h2>
        {copy?.intro ? <p>{copy.intro}</p> : null}
        {copy?.careerQuestionNote ? (
          <p>
            {contactPageUrl ? (
              <a href={contactPageUrl}>{copy.careerQuestionNote}</a>
            ) : (
              copy.careerQuestionNote
            )}
          </p>
        ) : null}
        {/* The intake checks every field and says what is wrong in words (GOV.UK's pattern);
            the browser's own bubbles would stop the post and speak another language. */}
        <form method="post" action="/feedback" noValidate>
          <input type="hidden" name="url" value={path} />
          <input type="hidden" name="returnTo" value={back} />
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          {/* With signed times, a fresh unsigned time would be judged spam: the original goes back. */}
          <input type="hidden" name="renderedAt" value={renderedAt} />
          <p id="no-personal-data" className="hint">
            Don’t include personal or financial information, like your National Insurance number or
            phone number.
          </p>
          <fieldset {...(errorFor('category') ? {'aria-describedby': 'category-error'} : {})}>
            <legend>What is it about?</legend>
            <ErrorMessage error={errorFor('category')} />
            {feedbackCategories.map((category) => (
              <div key={category.id}>
                <input
                  type="radio"
                  id={`category-${category.id}`}
                  name="category"
                  value={category.id}
                  defaultChecked={values.category === category.id}
                />
                <label htmlFor={`category-${category.id}`}>{category.title}</label>
              </div>
            ))}
          </fieldset>
          {textarea('whatDoing', 'What were you doing?')}
          {textarea('whatWentWrong', 'What went wrong?')}
          <div className="contact">
            <ErrorMessage error={errorFor('contactConsent')} />
            <input
              type="checkbox"
              id="contactConsent"
              name="contactConsent"
              value="yes"
              defaultChecked={values.contactConsent ?? false}
            />
            <label htmlFor="contactConsent">You may contact me about this report</label>
            <label htmlFor="contactEmail">Email address (optional)</label>
            <p id="contactEmail-hint" className="hint">
              Only if you ticked the box above. We use it only to reply about this report and delete
              it {CONTACT_RETENTION_WORDS} after we close the report.
            </p>
            <ErrorMessage error={errorFor('contactEmail')} />
            <input
              type="email"
              id="contactEmail"
              name="contactEmail"
              autoComplete="email"
              spellCheck={false}
              maxLength={EMAIL_MAX}
              aria-describedby={
                errorFor('contactEmail')
                  ? 'contactEmail-error contactEmail-hint'
                  : 'contactEmail-hint'
              }
              {...(errorFor('contactEmail') ? {'aria-invalid': true} : {})}
              defaultValue={values.contactEmail ?? ''}
            />
          </div>
          {/* A field people never see: bots fill it in, which marks their report as spam. */}
          <div className="honeypot" aria-hidden="true">
            <label htmlFor="website">Leave this empty</label>
            <input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" />
          </div>
          <button type="submit">Send</button>
        </form>
      </details>
    </section>
  )
}
