/**
 * Projections shared by several queries. Plain `/* groq *\/` strings interpolated into
 * `defineQuery` templates, which TypeGen follows.
 */

/**
 * A `link` (annotation or "find out more" item) with its internal target resolved to a path; an
 * area, theme or specialism has no page of its own, so it carries the first page filed under it.
 */
export const linkFragment = /* groq */ `
  _key,
  _type,
  linkType,
  label,
  href,
  "internal": internal->{
    _id,
    _type,
    "slug": slug.current,
    "title": coalesce(title, name),
    website,
    "landingPage": *[_type == "page" && partOf._ref == ^._id] | order(title asc)[0].slug.current
  }
`

export const organisationFragment = /* groq */ `
  _id,
  name,
  acronym,
  kind,
  website
`

export const qualificationFragment = /* groq */ `
  _id,
  name,
  kind,
  academicLevel,
  leadsToRegistration,
  "awardingBody": awardingBody->{${organisationFragment}}
`

/** A national programme: only what is true in every specialism. */
export const programmeFragment = /* groq */ `
  _id,
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
  name,
  summary,
  entryRequirements,
  studyLevel,
  duration,
  mode,
  workplaceTrainingWeeks,
  "programme": programme->{${programmeFragment}},
  "partOf": partOf->{${placementFragment}},
  "awards": awards[]->{${qualificationFragment}},
  "courses": courses[]{_key, title, "provider": provider->{${organisationFragment}}},
  "accreditedBy": accreditedBy[]->{${organisationFragment}},
  "leadsTo": leadsTo[]->{_id, name, careerLevel}
`

/** A framework level by level, each with its programmes and the way on. */
export const frameworkFragment = /* groq */ `
  _id,
  name,
  acronym,
  summary,
  "levels": levels[]{
    _key,
    careerLevel,
    nextStep,
    "programmes": programmes[]->{_id, name, acronym}
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
