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
import {map, switchMap} from 'rxjs'

/** Types the site never renders as content. */
const NOT_ON_THE_SITE = new Set(['feedbackSubmission', 'settings'])

/**
 * In two steps, each a cheap filter: the lake bounds the time a listen filter may take per
 * document, and a sub-query inside one (`references(*[references($id)]._id)`) runs per document.
 */
/** What refers to `$id` (a route to its programme, a qualification to its awarding body). */
export const referrersQuery = /* groq */ `*[references($id)]._id`

/** Pages showing any of `$ids` (the document and its referrers): itself, or referring to one. */
export const pagesShowingQuery = /* groq */ `*[_type == "page" && defined(slug.current) && (
  _id in $ids || references($ids)
)] | order(title asc) {title, "slug": slug.current}`

/** The ids whose pages show `id`: itself and its referrers, drafts counted as their documents. */
export function shownIds(id: string, referrers: readonly string[] | null): string[] {
  const ids = [id, ...(referrers ?? []).map((ref) => ref.replace(/^drafts\./, ''))]
  return [...new Set(ids)]
}

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
  const options = {perspective: 'drafts'} as const
  return documentStore.listenQuery(referrersQuery, {id}, options).pipe(
    switchMap((referrers) =>
      documentStore.listenQuery(
        pagesShowingQuery,
        {ids: shownIds(id, referrers as string[] | null)},
        options,
      ),
    ),
    map((pages) => locationsFor(pages as PageShowing[] | null)),
  )
}
