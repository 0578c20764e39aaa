/**
 * "Make a comment or report a problem with this page": the one renderer of the feedback form. The
 * frontend renders it on every page; the intake renders it again, filled in and with the problem
 * named, when a report cannot be accepted as sent. Plain HTML that posts without JavaScript.
 */
import {feedbackCategories} from '../feedback/workflow'

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
}

export interface FeedbackFormError {
  field: string
  message: string
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
  if (field === 'whatDoing' || field === 'whatWentWrong' || field === 'contactConsent') return field
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
  return (
    <section className="feedback" aria-labelledby="feedback-heading">
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
      {sent ? (
        <p role="status" className="sent">
          Thank you for your feedback.
        </p>
      ) : null}
      <details open={errors.length > 0}>
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
        <form method="post" action="/feedback">
          <input type="hidden" name="url" value={path} />
          <input type="hidden" name="returnTo" value={returnTo ?? path} />
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
          <div>
            <input
              type="checkbox"
              id="contactConsent"
              name="contactConsent"
              value="yes"
              defaultChecked={values.contactConsent ?? false}
            />
            <label htmlFor="contactConsent">You may contact me about this report</label>
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
