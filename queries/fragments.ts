/**
 * Projections shared by several queries. Plain `/* groq *\/` strings interpolated into
 * `defineQuery` templates, which TypeGen follows.
 */

/** A `link` (annotation or "find out more" item) with its internal target resolved to a path. */
export const linkFragment = /* groq */ `
  _key,
  _type,
  linkType,
  label,
  href,
  "internal": internal->{_id, _type, "slug": slug.current, "title": coalesce(title, name), website}
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

export const programmeFragment = /* groq */ `
  _id,
  name,
  acronym,
  careerLevel,
  summary,
  duration,
  mode,
  workplaceTrainingWeeks,
  salaried,
  howToApply,
  "qualificationAwarded": qualificationAwarded->{${qualificationFragment}},
  "accreditedBy": accreditedBy[]->{${organisationFragment}},
  "deliveredBy": deliveredBy[]->{${organisationFragment}}
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
