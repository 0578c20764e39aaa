import {defineQuery} from 'groq'

import {
  bodyFragment,
  imageFragment,
  frameworkFragment,
  linkFragment,
  ancestryFragment,
  seoFragment,
  targetFragment,
  programmeFragment,
  trainingRouteFragment,
} from './fragments'

/**
 * One page by its slug (`$slug`), or by the key its id gives (`$id`, see `queries/paths.ts`) for
 * a page with no usable slug, with everything it refers to resolved. The slug wins.
 */
export const pageBySlugQuery = defineQuery(`
  *[_type == "page" && (slug.current == $slug || _id in [$slug, $id])]
    | order(slug.current == $slug desc)[0]{
    _id,
    _type,
    _rev,
    _updatedAt,
    title,
    "slug": slug.current,
    summary,
    section,
    "image": image{${imageFragment}},
    "partOf": partOf->{${ancestryFragment}},
    body[]{${bodyFragment}},
    findOutMore[]{${linkFragment}},
    "relatedProgrammes": relatedProgrammes[]->{${programmeFragment}},
    "relatedRoutes": relatedRoutes[]->{${trainingRouteFragment}},
    "frameworks": frameworks[]->{${frameworkFragment}},
    "relatedRoles": relatedRoles[]->{${targetFragment}, careerLevel},
    "siblings": *[_type == "page" && defined(^.partOf._ref) && partOf._ref == ^.partOf._ref && _id != ^._id] | order(title asc){${targetFragment}},
    ${seoFragment},
    owner,
    lastReviewed,
    nextReviewDue
  }
`)

/** The pages that sit directly under one area, theme or specialism (`^._id`), in title order. */
const pagesUnderFragment = /* groq */ `
  "pages": *[_type == "page" && partOf._ref == ^._id] | order(title asc){
    _id,
    _type,
    title,
    "slug": slug.current,
    section
  }
`

/** Navigation: career areas, their themes, their specialisms, and the pages at each level. */
export const navigationQuery = defineQuery(`
  *[_type == "careerArea"] | order(name asc){
    _id,
    _type,
    name,
    "slug": slug.current,
    ${pagesUnderFragment},
    "themes": *[_type == "theme" && area._ref == ^._id] | order(name asc){
      _id,
      _type,
      name,
      "slug": slug.current,
      ${pagesUnderFragment},
      "specialisms": *[_type == "specialism" && theme._ref == ^._id] | order(name asc){
        _id,
        _type,
        name,
        "slug": slug.current,
        ${pagesUnderFragment}
      }
    },
    "specialisms": *[_type == "specialism" && theme._ref == ^._id] | order(name asc){
      _id,
      _type,
      name,
      "slug": slug.current,
      ${pagesUnderFragment}
    }
  }
`)
