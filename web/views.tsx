/**
 * The site's pages as React components: rendered once per request on the server, no client JS.
 * Accessible by construction: one h1, headings in order, a label on every field, a skip link.
 */
import type {ReactNode} from 'react'

import {FeedbackForm} from '../intake/FeedbackForm'
import {applicationRoutes, careerLevels, optionTitle} from '../schemas/options'
import type {
  NavigationQueryResult,
  PageBySlugQueryResult,
  SettingsQueryResult,
} from '../sanity.types'
import {BodyText, linkHref} from './PortableText'

type Page = NonNullable<PageBySlugQueryResult>
type Settings = NonNullable<SettingsQueryResult>

export function Layout({
  title,
  siteTitle,
  children,
}: {
  title: string
  siteTitle: string
  children: ReactNode
}) {
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | ${siteTitle}`}</title>
        <style>{STYLES}</style>
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to main content
        </a>
        <header>
          <a href="/">{siteTitle}</a>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  )
}

export function HomeView({navigation}: {navigation: NavigationQueryResult}) {
  return (
    <>
      <h1>Careers</h1>
      {navigation.map((specialism) => (
        <section key={specialism._id}>
          <h2>{specialism.name}</h2>
          <ul>
            {specialism.pages.map((page) => (
              <li key={page.slug}>
                <a href={`/${page.slug}`}>{page.title}</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  )
}

export function NotFoundView() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        If you typed the web address, check it is correct. <a href="/">Browse all pages</a>.
      </p>
    </>
  )
}

/** The page's form: where it posts back to, and whether the reader just sent a report. */
export interface PageFeedbackProps {
  path: string
  settings: Settings
  idempotencyKey: string
  renderedAt: string
  sent: boolean
}

function ProgrammeCard({programme}: {programme: NonNullable<Page['relatedProgrammes']>[number]}) {
  const facts = [
    optionTitle(careerLevels, programme.careerLevel),
    programme.duration,
    programme.workplaceTrainingWeeks
      ? `${programme.workplaceTrainingWeeks} weeks of workplace-based training`
      : undefined,
    programme.salaried ? 'Salaried training post' : undefined,
    programme.howToApply ? optionTitle(applicationRoutes, programme.howToApply) : undefined,
  ].filter((fact): fact is string => Boolean(fact))
  return (
    <li id={`programme-${programme._id}`}>
      <h3>
        {programme.name}
        {programme.acronym ? ` (${programme.acronym})` : ''}
      </h3>
      {programme.summary ? <p>{programme.summary}</p> : null}
      {facts.length > 0 ? <p className="facts">{facts.join(' · ')}</p> : null}
      {programme.qualificationAwarded ? (
        <p>Qualification: {programme.qualificationAwarded.name}</p>
      ) : null}
    </li>
  )
}

export function PageView({page, form}: {page: Page; form: PageFeedbackProps}) {
  return (
    <>
      <article>
        <h1>{page.title}</h1>
        {page.summary ? <p className="summary">{page.summary}</p> : null}
        <BodyText value={page.body} />
      </article>
      {page.findOutMore && page.findOutMore.length > 0 ? (
        <nav aria-labelledby="find-out-more">
          <h2 id="find-out-more">Find out more</h2>
          <ul>
            {page.findOutMore.map((link) => {
              const href = linkHref(link)
              return <li key={link._key}>{href ? <a href={href}>{link.label}</a> : link.label}</li>
            })}
          </ul>
        </nav>
      ) : null}
      {page.relatedProgrammes && page.relatedProgrammes.length > 0 ? (
        <section aria-labelledby="programmes">
          <h2 id="programmes">Training programmes</h2>
          <ul className="programmes">
            {page.relatedProgrammes.map((programme) => (
              <ProgrammeCard key={programme._id} programme={programme} />
            ))}
          </ul>
        </section>
      ) : null}
      <footer className="review">
        {page.lastReviewed ? <p>Page last reviewed: {page.lastReviewed}</p> : null}
        {page.nextReviewDue ? <p>Next review due: {page.nextReviewDue}</p> : null}
      </footer>
      <FeedbackForm
        path={form.path}
        idempotencyKey={form.idempotencyKey}
        renderedAt={form.renderedAt}
        sent={form.sent}
        copy={form.settings.feedbackForm}
        contactPageUrl={form.settings.contactPageUrl}
      />
    </>
  )
}

const STYLES = `
body{font-family:system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:0 1rem;line-height:1.5;color:#212b32}
a{color:#005eb8}.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem}
header{padding:1rem 0;border-bottom:4px solid #005eb8;margin-bottom:1rem}
.summary{font-size:1.2rem}.facts{color:#4c6272}.callout{border-left:6px solid #005eb8;padding:.5rem 1rem;background:#eef7ff}
details.expandable{border:1px solid #d8dde0;padding:.5rem 1rem;margin:1rem 0}summary{cursor:pointer;font-weight:600}
.feedback{margin-top:2rem;border-top:1px solid #d8dde0;padding-top:1rem}.feedback label{display:block;margin-top:.5rem}
.feedback textarea{width:100%}.feedback fieldset div label,.feedback div>input[type=checkbox]+label{display:inline}
.honeypot{position:absolute;left:-9999px}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.error-summary{border:4px solid #d5281b;padding:1rem}.error-message{color:#d5281b;font-weight:600}.hint{color:#4c6272}.sent{background:#e6f4ea;padding:.5rem 1rem}
`
