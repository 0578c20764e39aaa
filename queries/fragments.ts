/**
 * Projections shared by several queries. Plain `/* groq *\/` strings interpolated into
 * `defineQuery` templates, which TypeGen follows.
 */

/**
 * A `link` (annotation or "find out more" item) with its internal target resolved enough for
 * `documentPath` to give its address. `internalRef` stays when the target cannot be read
 * (deleted, unpublished), so the frontend can say which document is missing.
 */
export const linkFragment = /* groq */ `
  _key,
  _type,
  linkType,
  label,
  href,
  "internalRef": internal._ref,
  "internal": internal->{
    _id,
    _type,
    "slug": slug.current,
    "title": coalesce(title, name, register)
  }
`

export const organisationFragment = /* groq */ `
  _id,
  _type,
  name,
  acronym,
  kind,
  website
`

export const qualificationFragment = /* groq */ `
  _id,
  _type,
  name,
  kind,
  academicLevel,
  leadsToRegistration,
  "awardingBody": awardingBody->{${organisationFragment}}
`

/** A national programme: only what is true in every specialism. */
export const programmeFragment = /* groq */ `
  _id,
  _type,
  name,
  acronym,
  careerLevel,
  summary,
  salaried,
  employment,
  howToApply,
  "phases": phases[]{_key, title, when, description},
  "nationalBody": nationalBody->{${organisationFragment}}
`

/** Where a document sits (area, theme or specialism), for breadcrumbs and "shared" labels. */
export const placementFragment = /* groq */ `
  _id,
  _type,
  name,
  "slug": slug.current
`

/** A specialism's training route, with its programme, awards and the roles it leads to. */
export const trainingRouteFragment = /* groq */ `
  _id,
  _type,
  name,
  summary,
  entryRequirements,
  studyLevel,
  duration,
  mode,
  durationYears,
  workplaceTrainingWeeks,
  "programme": programme->{${programmeFragment}},
  "partOf": partOf->{${placementFragment}},
  "awards": awards[]->{${qualificationFragment}},
  "courses": courses[]{_key, title, "provider": provider->{${organisationFragment}}},
  "providers": providers[]->{${organisationFragment}},
  "accreditedBy": accreditedBy[]->{${organisationFragment}},
  "leadsTo": leadsTo[]->{_id, _type, name, "slug": slug.current, careerLevel}
`

/** A framework level by level, each with its programmes and the way on. */
export const frameworkFragment = /* groq */ `
  _id,
  _type,
  "slug": slug.current,
  name,
  acronym,
  summary,
  "levels": levels[]{
    _key,
    careerLevel,
    nextStep,
    "programmes": programmes[]->{_id, _type, name, acronym}
  }
`

/** Portable Text with every link annotation's internal target resolved. */
export const bodyFragment = /* groq */ `
  ...,
  markDefs[]{..., _type == "link" => {${linkFragment}}},
  _type == "expandable" => {
    ...,
    body[]{..., markDefs[]{..., _type == "link" => {${linkFragment}}}}
  },
  _type == "callout" => {
    ...,
    body[]{..., markDefs[]{..., _type == "link" => {${linkFragment}}}}
  }
`

/**
 * Enough of any referenced document to link to it (`documentPath` in `queries/paths.ts`) and to
 * name it: pages have titles, registrations registers, everything else names.
 */
export const targetFragment = /* groq */ `
  _id,
  _type,
  "slug": slug.current,
  "title": coalesce(title, name, register)
`

/**
 * Where a document sits, up the hierarchy (specialism → theme or area → area) for breadcrumbs:
 * `partOf`, `theme` and `area` each point one level up, so three levels reach the top.
 */
export const ancestryFragment = /* groq */ `
  ${targetFragment},
  "parent": coalesce(theme, area)->{
    ${targetFragment},
    "parent": coalesce(theme, area)->{${targetFragment}}
  }
`

/** What search engines and sharing need of a document that has an `seo` object. */
export const seoFragment = /* groq */ `
  "seo": seo{title, description, noIndex}
`

/** What is filed directly under an area, theme or specialism (`^._id`), each in name order. */
export const filedHereFragment = /* groq */ `
  "pages": *[_type == "page" && partOf._ref == ^._id] | order(title asc){${targetFragment}},
  "roles": *[_type == "careerRole" && partOf._ref == ^._id] | order(name asc){${targetFragment}},
  "routes": *[_type == "trainingRoute" && partOf._ref == ^._id] | order(name asc){${targetFragment}},
  "qualifications": *[_type == "qualification" && partOf._ref == ^._id] | order(name asc){${targetFragment}},
  "frameworks": *[_type == "framework" && partOf._ref == ^._id] | order(name asc){${targetFragment}}
`

/**
 * An `accessibleImage` as the frontend renders it (`web/images.tsx`): the asset's id for
 * `@sanity/image-url` (which reads the source size from it), its dimensions and LQIP, the editor's
 * hotspot and crop, and what a reader who cannot see it is told. `asset` is null when the reader
 * cannot read the asset (the lake keeps an asset private until a published public document uses it).
 */
export const imageFragment = /* groq */ `
  "asset": asset->{
    _id,
    "width": metadata.dimensions.width,
    "height": metadata.dimensions.height,
    "lqip": metadata.lqip,
    "isOpaque": metadata.isOpaque
  },
  hotspot,
  crop,
  alt,
  "decorative": decorative == true
`

/** A `downloadableFile`: the asset's id (its URL is built from it), size and type, and link text. */
export const fileFragment = /* groq */ `
  "asset": asset->{_id, size, mimeType, extension, originalFilename},
  title
`
