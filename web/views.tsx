/**
 * The site's pages as React components: rendered once per request on the server, no client JS.
 * Accessible by construction: one h1, headings in order, a label on every field, a skip link.
 */
import type {ReactNode} from 'react'

import {
  FEEDBACK_STYLES,
  FeedbackForm,
  type FeedbackFormState,
  SITE_STYLES,
} from '../intake/FeedbackForm'
import {applicationRoutes, careerLevels, optionTitle, studyModes} from '../schemas/options'
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

type NavigationNode = {
  _id: string
  name: string | null
  slug: string | null
  pages: {title: string | null; slug: string | null}[]
}

function PageLinks({pages}: {pages: NavigationNode['pages']}) {
  if (pages.length === 0) return null
  return (
    <ul>
      {pages.map((page) => (
        <li key={page.slug}>
          <a href={`/${page.slug}`}>{page.title}</a>
        </li>
      ))}
    </ul>
  )
}

/** Career areas, their themes and specialisms, each with the pages filed at that level. */
export function HomeView({navigation}: {navigation: NavigationQueryResult}) {
  const specialisms = (list: NavigationNode[]) =>
    list
      .filter((specialism) => specialism.pages.length > 0)
      .map((specialism) => (
        <section key={specialism._id}>
          <h4>{specialism.name}</h4>
          <PageLinks pages={specialism.pages} />
        </section>
      ))
  return (
    <>
      <h1>Careers</h1>
      {navigation.map((area) => (
        <section key={area._id}>
          <h2>{area.name}</h2>
          <PageLinks pages={area.pages} />
          {specialisms(area.specialisms)}
          {area.themes.map((theme) => (
            <section key={theme._id}>
              <h3>{theme.name}</h3>
              <PageLinks pages={theme.pages} />
              {specialisms(theme.specialisms)}
            </section>
          ))}
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
  /** `?useful=yes|no`: the reader's answer to "Is this page useful?". */
  useful?: 'yes' | 'no' | undefined
  /** The form as the intake sends it back (filled in, with errors) in its 422 answer. */
  state?: FeedbackFormState
}

function ProgrammeCard({programme}: {programme: NonNullable<Page['relatedProgrammes']>[number]}) {
  const facts = [
    optionTitle(careerLevels, programme.careerLevel),
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
    </li>
  )
}

/** A specialism's route: its own summary and facts, under the national programme's name. */
function RouteCard({route}: {route: NonNullable<Page['relatedRoutes']>[number]}) {
  const programme = route.programme
  const facts = [
    optionTitle(careerLevels, programme?.careerLevel),
    route.duration,
    optionTitle(studyModes, route.mode),
    route.workplaceTrainingWeeks
      ? `${route.workplaceTrainingWeeks} weeks of workplace-based training`
      : undefined,
    programme?.salaried ? 'Salaried training post' : undefined,
    programme?.howToApply ? optionTitle(applicationRoutes, programme.howToApply) : undefined,
  ].filter((fact): fact is string => Boolean(fact))
  const awards = (route.awards ?? []).map((award) => award.name).filter(Boolean)
  return (
    <li id={`route-${route._id}`}>
      <h3>
        {programme?.name ?? route.name}
        {programme?.acronym ? ` (${programme.acronym})` : ''}
      </h3>
      {route.summary ? <p>{route.summary}</p> : null}
      {facts.length > 0 ? <p className="facts">{facts.join(' · ')}</p> : null}
      {awards.length > 0 ? <p>Qualifications: {awards.join(', ')}</p> : null}
    </li>
  )
}

function FrameworkSection({framework}: {framework: NonNullable<Page['frameworks']>[number]}) {
  return (
    <section aria-labelledby={`framework-${framework._id}`}>
      <h2 id={`framework-${framework._id}`}>
        {framework.name}
        {framework.acronym ? ` (${framework.acronym})` : ''}
      </h2>
      {framework.summary ? <p>{framework.summary}</p> : null}
      <ol>
        {(framework.levels ?? []).map((level) => (
          <li key={level._key}>
            <strong>{optionTitle(careerLevels, level.careerLevel)}</strong>
            {': '}
            {(level.programmes ?? []).map((p) => p.name).join(', ')}
            {level.nextStep ? <p>{level.nextStep}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  )
}

export function PageView({page, form}: {page: Page; form: PageFeedbackProps}) {
  const routes = page.relatedRoutes ?? []
  // A programme the page's routes already present is not listed twice.
  const routed = new Set(routes.map((route) => route.programme?._id))
  const programmesWithoutRoute = (page.relatedProgrammes ?? []).filter((p) => !routed.has(p._id))
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
      {routes.length + programmesWithoutRoute.length > 0 ? (
        <section aria-labelledby="programmes">
          <h2 id="programmes">Training programmes</h2>
          <ul className="programmes">
            {routes.map((route) => (
              <RouteCard key={route._id} route={route} />
            ))}
            {programmesWithoutRoute.map((programme) => (
              <ProgrammeCard key={programme._id} programme={programme} />
            ))}
          </ul>
        </section>
      ) : null}
      {(page.frameworks ?? []).map((framework) => (
        <FrameworkSection key={framework._id} framework={framework} />
      ))}
      <footer className="review">
        {page.lastReviewed ? <p>Page last reviewed: {page.lastReviewed}</p> : null}
        {page.nextReviewDue ? <p>Next review due: {page.nextReviewDue}</p> : null}
      </footer>
      <FeedbackForm
        path={form.path}
        idempotencyKey={form.state?.idempotencyKey || form.idempotencyKey}
        renderedAt={form.state?.renderedAt || form.renderedAt}
        sent={form.sent}
        useful={form.useful}
        {...(form.state ? {values: form.state.values, errors: form.state.errors} : {})}
        copy={form.settings.feedbackForm}
        contactPageUrl={form.settings.contactPageUrl}
      />
    </>
  )
}

const STYLES = `${SITE_STYLES}
header{padding:1rem 0;border-bottom:4px solid #005eb8;margin-bottom:1rem}
.summary{font-size:1.2rem}.facts{color:#4c6272}.callout{border-left:6px solid #005eb8;padding:.5rem 1rem;background:#eef7ff}
details.expandable{border:1px solid #d8dde0;padding:.5rem 1rem;margin:1rem 0}summary{cursor:pointer;font-weight:600}
${FEEDBACK_STYLES}`
