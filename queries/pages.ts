import {defineQuery} from 'groq'

import {bodyFragment, linkFragment, programmeFragment} from './fragments'

/** One page by its slug, with everything it refers to resolved. */
export const pageBySlugQuery = defineQuery(`
  *[_type == "page" && slug.current == $slug][0]{
    _id,
    _rev,
    _updatedAt,
    title,
    "slug": slug.current,
    summary,
    section,
    "specialism": specialism->{name, "slug": slug.current},
    body[]{${bodyFragment}},
    findOutMore[]{${linkFragment}},
    "relatedProgrammes": relatedProgrammes[]->{${programmeFragment}},
    owner,
    lastReviewed,
    nextReviewDue
  }
`)

/** Every page's path and last change, for the sitemap. */
export const pagePathsQuery = defineQuery(`
  *[_type == "page" && defined(slug.current)] | order(slug.current asc){
    "slug": slug.current,
    _updatedAt
  }
`)

/** Navigation: specialisms with their pages, in title order. */
export const navigationQuery = defineQuery(`
  *[_type == "specialism"] | order(name asc){
    _id,
    name,
    "slug": slug.current,
    "pages": *[_type == "page" && specialism._ref == ^._id] | order(title asc){
      title,
      "slug": slug.current,
      section
    }
  }
`)
