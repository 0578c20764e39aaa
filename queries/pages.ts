import {defineQuery} from 'groq'

import {
  bodyFragment,
  frameworkFragment,
  linkFragment,
  placementFragment,
  programmeFragment,
  trainingRouteFragment,
} from './fragments'

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
    "partOf": partOf->{${placementFragment}},
    body[]{${bodyFragment}},
    findOutMore[]{${linkFragment}},
    "relatedProgrammes": relatedProgrammes[]->{${programmeFragment}},
    "relatedRoutes": relatedRoutes[]->{${trainingRouteFragment}},
    "frameworks": frameworks[]->{${frameworkFragment}},
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

/** The pages that sit directly under one area, theme or specialism (`^._id`), in title order. */
const pagesUnderFragment = /* groq */ `
  "pages": *[_type == "page" && partOf._ref == ^._id] | order(title asc){
    title,
    "slug": slug.current,
    section
  }
`

/** Navigation: career areas, their themes, their specialisms, and the pages at each level. */
export const navigationQuery = defineQuery(`
  *[_type == "careerArea"] | order(name asc){
    _id,
    name,
    "slug": slug.current,
    ${pagesUnderFragment},
    "themes": *[_type == "theme" && area._ref == ^._id] | order(name asc){
      _id,
      name,
      "slug": slug.current,
      ${pagesUnderFragment},
      "specialisms": *[_type == "specialism" && theme._ref == ^._id] | order(name asc){
        _id,
        name,
        "slug": slug.current,
        ${pagesUnderFragment}
      }
    },
    "specialisms": *[_type == "specialism" && theme._ref == ^._id] | order(name asc){
      _id,
      name,
      "slug": slug.current,
      ${pagesUnderFragment}
    }
  }
`)
