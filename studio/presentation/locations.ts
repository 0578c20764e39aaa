/**
 * Where a document is shown on the site, for the Presentation tool's "Used on N pages" list.
 *
 * The reference frontend serves one kind of page (`/<slug>`), which renders the page and what it
 * references: related programmes, routes, frameworks and roles, and what those reference
 * (a route's programme and awards, a qualification's awarding body). So a document is displayed
 * by its own page, by pages that reference it, and by pages that reference something that
 * references it. Feedback is never public and settings are site-wide: neither has a location.
 */
import type {DocumentLocationResolver, DocumentLocationsState} from 'sanity/presentation'
import {map} from 'rxjs'

/** Types the site never renders as content. */
const NOT_ON_THE_SITE = new Set(['feedbackSubmission', 'settings'])

/** Pages showing `$id`: itself, pages referring to it, and pages referring to a referrer. */
export const pagesShowingDocumentQuery = /* groq */ `*[_type == "page" && defined(slug.current) && (
  _id == $id || references($id) || references(*[references($id)]._id)
)] | order(title asc) {title, "slug": slug.current}`

export interface PageShowing {
  title: string | null
  slug: string
}

/** The locations state for the pages found; a message when there are none. */
export function locationsFor(pages: readonly PageShowing[] | null): DocumentLocationsState {
  if (!pages?.length) {
    return {message: 'No page of the site shows this document yet.', tone: 'caution'}
  }
  return {
    locations: pages.map((page) => ({title: page.title ?? page.slug, href: `/${page.slug}`})),
  }
}

export const resolveLocations: DocumentLocationResolver = ({id, type}, {documentStore}) => {
  if (NOT_ON_THE_SITE.has(type)) return null
  return documentStore
    .listenQuery(pagesShowingDocumentQuery, {id}, {perspective: 'drafts'})
    .pipe(map((pages) => locationsFor(pages as PageShowing[] | null)))
}
