/**
 * The home page, the editors' pages and the error pages as React components: rendered once per
 * request on the server, no client JS. Accessible by construction: one h1, headings in order, a
 * label on every field, a skip link (in `web/layout.tsx`). Other types: `web/documents.tsx`.
 */
import {FeedbackForm, type FeedbackFormState} from '../intake/FeedbackForm'
import {applicationRoutes, careerLevels, optionTitle, studyModes} from '../schemas/options'
import type {
  NavigationQueryResult,
  PageBySlugQueryResult,
  SettingsQueryResult,
} from '../sanity.types'
import {documentPath, INDEX_TITLES, indexPath} from '../queries/paths'
import {durationText} from './documents'
import {useEditAttribute, useTitleAttribute} from './editable'
import {DocLink, inline, LinkList, named, present, type Target} from './links'
import {ResponsiveImage} from './images'
import {BodyText, linkHref} from './PortableText'

type Page = NonNullable<PageBySlugQueryResult>
type Settings = NonNullable<SettingsQueryResult>

type NavigationNode = {
  _id: string
  _type: string
  name: string | null
  slug: string | null
  pages: {_id: string; _type: string; title: string | null; slug: string | null}[]
}

function PageLinks({pages}: {pages: NavigationNode['pages']}) {
  if (pages.length === 0) return null
  return (
    <ul>
      {pages.map((page) => (
        <li key={page._id}>
          <DocLink target={page} />
        </li>
      ))}
    </ul>
  )
}

/** A heading that links to the area, theme or specialism's own page. */
function PlaceName({node}: {node: NavigationNode}) {
  return <DocLink target={{_id: node._id, _type: node._type, slug: node.slug, title: node.name}} />
}

/** Career areas, their themes and specialisms, each with the pages filed at that level. */
export function HomeView({navigation}: {navigation: NavigationQueryResult}) {
  const specialisms = (list: NavigationNode[]) =>
    list.map((specialism) => (
      <section key={specialism._id}>
        <h4>
          <PlaceName node={specialism} />
        </h4>
        <PageLinks pages={specialism.pages} />
      </section>
    ))
  return (
    <>
      <h1>Careers</h1>
      <nav aria-labelledby="browse">
        <h2 id="browse">Browse everything</h2>
        <ul>
          {(Object.keys(INDEX_TITLES) as (keyof typeof INDEX_TITLES)[]).map((type) => (
            <li key={type}>
              <a href={indexPath(type)}>{INDEX_TITLES[type]}</a>
            </li>
          ))}
        </ul>
      </nav>
      {navigation.map((area) => (
        <section key={area._id}>
          <h2>
            <PlaceName node={area} />
          </h2>
          <PageLinks pages={area.pages} />
          {specialisms(area.specialisms)}
          {area.themes.map((theme) => (
            <section key={theme._id}>
              <h3>
                <PlaceName node={theme} />
              </h3>
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
      <p>If you typed the web address, check it is correct.</p>
      <p>
        If you pasted the web address, check you copied the entire address.{' '}
        <a href="/">Browse all careers</a> or see the <a href="/sitemap.xml">list of every page</a>.
      </p>
    </>
  )
}

/** Every document of one type, by name. */
export function IndexView({title, items}: {title: string; items: readonly Target[]}) {
  return (
    <>
      <h1>{title}</h1>
      {items.length > 0 ? (
        <ul>
          {items.map((item) => (
            <li key={item._id}>
              <DocLink target={item} />
            </li>
          ))}
        </ul>
      ) : (
        <p>There are none yet.</p>
      )}
    </>
  )
}

/** The lake could not be reached: the reader is told it is us, not them, and what to do. */
export function UnavailableView() {
  return (
    <>
      <h1>Sorry, there is a problem with the service</h1>
      <p>The careers content cannot be reached at the moment. Try again in a few minutes.</p>
      <p>
        <a href="/">Go to the home page</a>
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
  const edit = useEditAttribute()
  const facts = [
    optionTitle(careerLevels, programme.careerLevel),
    programme.salaried ? 'Salaried training post' : undefined,
    programme.howToApply ? optionTitle(applicationRoutes, programme.howToApply) : undefined,
  ].filter((fact): fact is string => Boolean(fact))
  return (
    <li id={`programme-${programme._id}`}>
      <h3 {...edit('name', programme)}>
        <a href={documentPath(programme)}>
          {programme.name}
          {programme.acronym ? ` (${programme.acronym})` : ''}
        </a>
      </h3>
      {programme.summary ? <p {...edit('summary', programme)}>{programme.summary}</p> : null}
      {facts.length > 0 ? (
        <p className="facts" {...edit('careerLevel', programme)}>
          {facts.join(' · ')}
        </p>
      ) : null}
    </li>
  )
}

/** A specialism's route: its own summary and facts, under the national programme's name. */
function RouteCard({route}: {route: NonNullable<Page['relatedRoutes']>[number]}) {
  const edit = useEditAttribute()
  const programme = route.programme
  const facts = [
    optionTitle(careerLevels, programme?.careerLevel),
    durationText(route),
    optionTitle(studyModes, route.mode),
    route.workplaceTrainingWeeks
      ? `${route.workplaceTrainingWeeks} weeks of workplace-based training`
      : undefined,
    programme?.salaried ? 'Salaried training post' : undefined,
    programme?.howToApply ? optionTitle(applicationRoutes, programme.howToApply) : undefined,
  ].filter((fact): fact is string => Boolean(fact))
  const awards = inline(named(route.awards))
  const leadsTo = inline(named(route.leadsTo))
  const accreditedBy = inline(named(route.accreditedBy))
  const providers = inline(named(route.providers))
  return (
    <li id={`route-${route._id}`}>
      <h3>
        <a href={documentPath(route)}>
          {programme?.name ?? route.name}
          {programme?.acronym ? ` (${programme.acronym})` : ''}
        </a>
      </h3>
      {route.summary ? <p {...edit('summary', route)}>{route.summary}</p> : null}
      {facts.length > 0 ? (
        <p className="facts" {...edit('duration', route)}>
          {facts.join(' · ')}
        </p>
      ) : null}
      {route.entryRequirements ? <p>Entry requirements: {route.entryRequirements}</p> : null}
      {awards ? <p>Qualifications: {awards}</p> : null}
      {accreditedBy ? <p>Accredited by: {accreditedBy}</p> : null}
      {providers ? <p>Providers: {providers}</p> : null}
      {programme?.employment ? <p>Employment: {programme.employment}</p> : null}
      {leadsTo ? <p>Leads to: {leadsTo}</p> : null}
    </li>
  )
}

function FrameworkSection({framework}: {framework: NonNullable<Page['frameworks']>[number]}) {
  return (
    <section aria-labelledby={`framework-${framework._id}`}>
      <h2 id={`framework-${framework._id}`}>
        <a href={documentPath(framework)}>
          {framework.name}
          {framework.acronym ? ` (${framework.acronym})` : ''}
        </a>
      </h2>
      {framework.summary ? <p>{framework.summary}</p> : null}
      <ol>
        {(framework.levels ?? []).map((level) => (
          <li key={level._key}>
            <strong>{optionTitle(careerLevels, level.careerLevel)}</strong>
            {': '}
            {inline(named(level.programmes))}
            {level.nextStep ? <p>{level.nextStep}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  )
}

function FindOutMoreItem({link}: {link: NonNullable<Page['findOutMore']>[number]}) {
  const edit = useEditAttribute()
  const href = linkHref(link)
  const label = link.label ?? link.internal?.title ?? link.href
  return (
    <li {...edit(`findOutMore[_key=="${link._key}"]`)}>
      {href ? <a href={href}>{label}</a> : label}
    </li>
  )
}

export function PageView({page, form}: {page: Page; form: PageFeedbackProps}) {
  const routes = present(page.relatedRoutes)
  // A programme the page's routes already present is not listed twice.
  const routed = new Set(routes.map((route) => route.programme?._id))
  const programmesWithoutRoute = present(page.relatedProgrammes).filter((p) => !routed.has(p._id))
  const edit = useEditAttribute()
  return (
    <>
      <article>
        <h1 {...useTitleAttribute()}>{page.title}</h1>
        {page.summary ? (
          <p className="summary" {...edit('summary')}>
            {page.summary}
          </p>
        ) : null}
        <ResponsiveImage image={page.image} priority />
        <BodyText value={page.body} path="body" />
      </article>
      {page.findOutMore && page.findOutMore.length > 0 ? (
        <nav aria-labelledby="find-out-more">
          <h2 id="find-out-more">Find out more</h2>
          <ul>
            {page.findOutMore.map((link) => (
              <FindOutMoreItem key={link._key} link={link} />
            ))}
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
      {present(page.frameworks).map((framework) => (
        <FrameworkSection key={framework._id} framework={framework} />
      ))}
      <LinkList id="related-roles" title="Related roles" items={page.relatedRoles} />
      {present(page.siblings).length > 0 ? (
        <nav aria-labelledby="siblings" className="related">
          <LinkList id="siblings" title="More pages here" items={page.siblings} />
        </nav>
      ) : null}
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
