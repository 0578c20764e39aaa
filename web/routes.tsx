/**
 * The public routes, one per type (`queries/paths.ts`): which query finds the document, and
 * how it is shown, titled, described and placed in the hierarchy. `web/server.tsx` does the HTTP.
 */
import type {SanityClient} from '@sanity/client'
import type {ReactElement} from 'react'

import {
  careerAreaQuery,
  careerRoleQuery,
  frameworkQuery,
  organisationQuery,
  programmeQuery,
  qualificationQuery,
  registrationQuery,
  specialismQuery,
  themeQuery,
  trainingRouteQuery,
} from '../queries/documents'
import {pageBySlugQuery} from '../queries/pages'
import {documentPath, INDEX_TITLES, indexPath, type PublicType} from '../queries/paths'
import {
  CareerAreaView,
  CareerRoleView,
  FrameworkView,
  OrganisationView,
  ProgrammeView,
  QualificationView,
  RegistrationView,
  SpecialismView,
  ThemeView,
  TrainingRouteView,
  type CareerArea,
  type CareerRole,
  type Framework,
  type Organisation,
  type Programme,
  type Qualification,
  type Registration,
  type Specialism,
  type Theme,
  type TrainingRoute,
} from './documents'
import type {Crumb} from './layout'
import {breadcrumbsFor, type Ancestor} from './links'
import {
  careerRoleData,
  organisationData,
  programmeData,
  qualificationData,
  trainingRouteData,
  type Absolute,
  type StructuredData,
} from './structuredData'
import {PageView, type PageFeedbackProps} from './views'

/** What a request brings that the view needs besides the document. */
export interface RouteContext {
  absolute: Absolute
  /** The feedback form's per-request values (pages only carry the form). */
  form: PageFeedbackProps
}

/** A document found and ready to render. */
export interface RenderedDocument {
  id: string
  updatedAt: string | null
  /** The canonical path (`documentPath`), whatever path the request used. */
  path: string
  title: string
  description: string | null
  noIndex: boolean
  ogType: 'article' | 'website'
  crumbs: Crumb[]
  structuredData: StructuredData[]
  main: ReactElement
  /** Whether the page carries the feedback form (its body then differs per request). */
  hasForm: boolean
}

interface Found {
  _id: string
  _type: string
  _updatedAt: string | null
  slug?: string | null
  title: string | null
}

function isIndexed(type: string): type is keyof typeof INDEX_TITLES {
  return type in INDEX_TITLES
}

/** One route: its query (`$key`, `$id`) and how the document it finds is shown. */
function route<Doc extends Found>(
  query: string,
  show: (
    doc: Doc,
    context: RouteContext,
  ) => {
    main: ReactElement
    description?: string | null
    place?: Ancestor | null
    data?: StructuredData[]
    noIndex?: boolean
    hasForm?: boolean
  },
) {
  return async (
    client: SanityClient,
    params: {key: string; id: string},
    context: RouteContext,
  ): Promise<RenderedDocument | null> => {
    const doc = await client.fetch<Doc | null>(query, params)
    if (!doc) return null
    const shown = show(doc, context)
    const title = doc.title ?? 'Untitled'
    return {
      id: doc._id,
      updatedAt: doc._updatedAt,
      path: documentPath(doc) ?? '/',
      title,
      description: shown.description ?? null,
      noIndex: shown.noIndex ?? false,
      ogType: doc._type === 'page' ? 'article' : 'website',
      // Shared documents sit in no area: their trail runs through the list of their kind.
      crumbs: shown.place
        ? breadcrumbsFor(shown.place, title)
        : [
            ...breadcrumbsFor(null, title).slice(0, 1),
            ...(isIndexed(doc._type)
              ? [{title: INDEX_TITLES[doc._type], href: indexPath(doc._type)}]
              : []),
            {title},
          ],
      structuredData: shown.data ?? [],
      main: shown.main,
      hasForm: shown.hasForm ?? false,
    }
  }
}

type PageDoc = NonNullable<Awaited<ReturnType<typeof fetchPage>>>
async function fetchPage(client: SanityClient, params: {slug: string; id: string}) {
  return client.fetch(pageBySlugQuery, params)
}

/** Pages look themselves up by `$slug` (their query predates the other routes). */
async function pageRoute(
  client: SanityClient,
  params: {key: string; id: string},
  context: RouteContext,
): Promise<RenderedDocument | null> {
  const page: PageDoc | null = await fetchPage(client, {slug: params.key, id: params.id})
  if (!page) return null
  const title = page.seo?.title ?? page.title ?? 'Untitled'
  return {
    id: page._id,
    updatedAt: page._updatedAt,
    path: documentPath(page) ?? '/',
    title,
    description: page.seo?.description ?? page.summary,
    noIndex: page.seo?.noIndex === true,
    ogType: 'article',
    crumbs: breadcrumbsFor(page.partOf, page.title ?? 'Untitled'),
    structuredData: [],
    main: <PageView page={page} form={context.form} />,
    hasForm: true,
  }
}

/** The field each type's h1 shows, for the overlays in draft mode (`web/editable.tsx`). */
export const TITLE_FIELDS: {[Type in PublicType]: string} = {
  page: 'title',
  careerArea: 'name',
  theme: 'name',
  specialism: 'name',
  programme: 'name',
  trainingRoute: 'name',
  careerRole: 'name',
  qualification: 'name',
  registration: 'register',
  organisation: 'name',
  framework: 'name',
}

export const ROUTES: {
  [Type in PublicType]: (
    client: SanityClient,
    params: {key: string; id: string},
    context: RouteContext,
  ) => Promise<RenderedDocument | null>
} = {
  page: pageRoute,
  careerArea: route<CareerArea>(careerAreaQuery, (doc) => ({
    main: <CareerAreaView doc={doc} />,
    description: doc.description,
  })),
  theme: route<Theme>(themeQuery, (doc) => ({
    main: <ThemeView doc={doc} />,
    description: doc.description,
    place: doc.parent,
  })),
  specialism: route<Specialism>(specialismQuery, (doc) => ({
    main: <SpecialismView doc={doc} />,
    description: doc.description,
    place: doc.parent,
  })),
  programme: route<Programme>(programmeQuery, (doc, {absolute}) => ({
    main: <ProgrammeView doc={doc} />,
    description: doc.summary,
    data: [programmeData(doc, absolute)],
  })),
  trainingRoute: route<TrainingRoute>(trainingRouteQuery, (doc, {absolute}) => ({
    main: <TrainingRouteView doc={doc} />,
    description: doc.summary,
    place: doc.partOf,
    data: [trainingRouteData(doc, absolute)],
  })),
  careerRole: route<CareerRole>(careerRoleQuery, (doc, {absolute}) => ({
    main: <CareerRoleView doc={doc} />,
    description: doc.training,
    place: doc.partOf,
    data: [careerRoleData(doc, absolute)],
  })),
  qualification: route<Qualification>(qualificationQuery, (doc, {absolute}) => ({
    main: <QualificationView doc={doc} />,
    description: doc.description,
    place: doc.partOf,
    data: [qualificationData(doc, absolute)],
  })),
  registration: route<Registration>(registrationQuery, (doc) => ({
    main: <RegistrationView doc={doc} />,
    description: doc.requirement,
  })),
  organisation: route<Organisation>(organisationQuery, (doc, {absolute}) => ({
    main: <OrganisationView doc={doc} />,
    description: doc.description,
    data: [organisationData(doc, absolute)],
  })),
  framework: route<Framework>(frameworkQuery, (doc) => ({
    main: <FrameworkView doc={doc} />,
    description: doc.summary,
    place: doc.partOf,
  })),
}
