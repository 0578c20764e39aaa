/**
 * One query per route of the public site (see `queries/paths.ts` for the URL scheme). Each takes
 * `$key` (the last path segment: a slug, or the id without its type prefix) and `$id` (the id a
 * slug-less document with that key has), so a document is found by its slug or, without one, by
 * its id; where both could match, the slug wins.
 */
import {defineQuery} from 'groq'

import {
  ancestryFragment,
  fileFragment,
  filedHereFragment,
  imageFragment,
  linkFragment,
  organisationFragment,
  targetFragment,
} from './fragments'

/** A career area: its themes, the specialisms filed straight under it, and what sits at its level. */
export const careerAreaQuery = defineQuery(`
  *[_type == "careerArea" && (slug.current == $key || _id in [$key, $id])]
    | order(slug.current == $key desc)[0]{
    ${targetFragment},
    _updatedAt,
    description,
    "themes": *[_type == "theme" && area._ref == ^._id] | order(name asc){${targetFragment}},
    "specialisms": *[_type == "specialism" && theme._ref == ^._id] | order(name asc){${targetFragment}},
    ${filedHereFragment}
  }
`)

/** A theme (division) of an area: its specialisms and what sits at its level. */
export const themeQuery = defineQuery(`
  *[_type == "theme" && (slug.current == $key || _id in [$key, $id])]
    | order(slug.current == $key desc)[0]{
    ${ancestryFragment},
    _updatedAt,
    description,
    "specialisms": *[_type == "specialism" && theme._ref == ^._id] | order(name asc){${targetFragment}},
    "siblings": *[_type == "theme" && area._ref == ^.area._ref && _id != ^._id] | order(name asc){${targetFragment}},
    ${filedHereFragment}
  }
`)

/** A specialism: where it sits, and the pages, roles, routes and qualifications filed under it. */
export const specialismQuery = defineQuery(`
  *[_type == "specialism" && (slug.current == $key || _id in [$key, $id])]
    | order(slug.current == $key desc)[0]{
    ${ancestryFragment},
    _updatedAt,
    description,
    "siblings": *[_type == "specialism" && theme._ref == ^.theme._ref && _id != ^._id] | order(name asc){${targetFragment}},
    ${filedHereFragment}
  }
`)

/** A national programme: what is true everywhere, and each specialism's route through it. */
export const programmeQuery = defineQuery(`
  *[_type == "programme" && _id in [$key, $id]][0]{
    ${targetFragment},
    _updatedAt,
    acronym,
    careerLevel,
    summary,
    "phases": phases[]{_key, title, when, description},
    salaried,
    employment,
    howToApply,
    applicationNotes,
    "moreInformation": moreInformation{${linkFragment}},
    "guide": guide{${fileFragment}},
    "nationalBody": nationalBody->{${targetFragment}},
    "routes": *[_type == "trainingRoute" && programme._ref == ^._id] | order(name asc){
      ${targetFragment},
      "partOf": partOf->{${targetFragment}}
    },
    "frameworks": *[_type == "framework" && ^._id in levels[].programmes[]._ref] | order(name asc){${targetFragment}},
    "roles": *[_type == "careerRole" && entryProgramme._ref == ^._id] | order(name asc){${targetFragment}}
  }
`)

/** One specialism's route through a programme (or in post): everything an editor filled in. */
export const trainingRouteQuery = defineQuery(`
  *[_type == "trainingRoute" && _id in [$key, $id]][0]{
    ${targetFragment},
    _updatedAt,
    summary,
    entryRequirements,
    studyLevel,
    duration,
    durationYears,
    mode,
    workplaceTrainingWeeks,
    "programme": programme->{${targetFragment}, acronym, careerLevel, salaried, employment, howToApply, applicationNotes},
    "partOf": partOf->{${ancestryFragment}},
    "courses": courses[]{
      _key,
      title,
      "provider": provider->{${targetFragment}},
      "accreditedBy": accreditedBy->{${targetFragment}}
    },
    "providers": providers[]->{${targetFragment}},
    "accreditedBy": accreditedBy[]->{${targetFragment}},
    "awards": awards[]->{${targetFragment}},
    "leadsTo": leadsTo[]->{${targetFragment}},
    "siblings": *[_type == "trainingRoute" && partOf._ref == ^.partOf._ref && _id != ^._id] | order(name asc){${targetFragment}}
  }
`)

/** A career role: how you train, the programme in, qualifications and professional bodies. */
export const careerRoleQuery = defineQuery(`
  *[_type == "careerRole" && (slug.current == $key || _id in [$key, $id])]
    | order(slug.current == $key desc)[0]{
    ${targetFragment},
    _updatedAt,
    careerLevel,
    training,
    "image": image{${imageFragment}},
    "partOf": partOf->{${ancestryFragment}},
    "entryProgramme": entryProgramme->{${targetFragment}},
    "qualifications": qualifications[]->{${targetFragment}},
    "professionalBodies": professionalBodies[]->{${targetFragment}},
    "entryRoutes": *[_type == "trainingRoute" && ^._id in leadsTo[]._ref] | order(name asc){${targetFragment}},
    "registrations": *[_type == "registration" && ^._id in roles[]._ref] | order(register asc){${targetFragment}, status},
    "pages": *[_type == "page" && ^._id in relatedRoles[]._ref] | order(title asc){${targetFragment}}
  }
`)

/** A qualification: its kind, level, who awards and accredits it, and the register it leads to. */
export const qualificationQuery = defineQuery(`
  *[_type == "qualification" && _id in [$key, $id]][0]{
    ${targetFragment},
    _updatedAt,
    kind,
    academicLevel,
    leadsToRegistration,
    description,
    "partOf": partOf->{${ancestryFragment}},
    "awardingBody": awardingBody->{${targetFragment}},
    "accreditedBy": accreditedBy->{${targetFragment}},
    "registration": registration->{${targetFragment}},
    "routes": *[_type == "trainingRoute" && ^._id in awards[]._ref] | order(name asc){${targetFragment}},
    "roles": *[_type == "careerRole" && ^._id in qualifications[]._ref] | order(name asc){${targetFragment}}
  }
`)

/** A register: who keeps it, mandatory or voluntary, what it takes, who and what it is for. */
export const registrationQuery = defineQuery(`
  *[_type == "registration" && _id in [$key, $id]][0]{
    ${targetFragment},
    _updatedAt,
    status,
    requirement,
    "body": body->{${targetFragment}},
    "roles": roles[]->{${targetFragment}},
    "qualifyingQualifications": qualifyingQualifications[]->{${targetFragment}},
    "moreInformation": moreInformation{${linkFragment}}
  }
`)

/** An organisation: what it is, its website, and what on the site it awards, keeps or runs. */
export const organisationQuery = defineQuery(`
  *[_type == "organisation" && _id in [$key, $id]][0]{
    ${organisationFragment},
    "title": name,
    _updatedAt,
    description,
    "logo": logo{${imageFragment}},
    "programmes": *[_type == "programme" && nationalBody._ref == ^._id] | order(name asc){${targetFragment}},
    "registrations": *[_type == "registration" && body._ref == ^._id] | order(register asc){${targetFragment}},
    "qualifications": *[_type == "qualification" && (awardingBody._ref == ^._id || accreditedBy._ref == ^._id)] | order(name asc){${targetFragment}},
    "routes": *[_type == "trainingRoute" && (^._id in accreditedBy[]._ref || ^._id in providers[]._ref || ^._id in courses[].provider._ref)] | order(name asc){${targetFragment}},
    "roles": *[_type == "careerRole" && ^._id in professionalBodies[]._ref] | order(name asc){${targetFragment}}
  }
`)

/** A framework: who introduced it, and its career levels with their programmes and way on. */
export const frameworkQuery = defineQuery(`
  *[_type == "framework" && (slug.current == $key || _id in [$key, $id])]
    | order(slug.current == $key desc)[0]{
    ${targetFragment},
    _updatedAt,
    acronym,
    summary,
    "partOf": partOf->{${ancestryFragment}},
    "introducedBy": introducedBy->{${targetFragment}},
    "levels": levels[]{
      _key,
      careerLevel,
      nextStep,
      "programmes": programmes[]->{${targetFragment}}
    }
  }
`)

/** Every published document of a public type, for the sitemap: its address parts and last change. */
export const sitemapQuery = defineQuery(`
  *[_type in [
    "page", "careerArea", "theme", "specialism", "programme", "trainingRoute",
    "careerRole", "qualification", "registration", "organisation", "framework"
  ]] | order(_type asc, _id asc){
    _id,
    _type,
    "slug": slug.current,
    _updatedAt,
    "noIndex": seo.noIndex == true
  }
`)

/**
 * A published document as stored, for `web/references.ts` to find every reference in it (strong
 * or weak, at any depth) without a query per field.
 */
export const storedDocumentQuery = defineQuery(`
  *[_id == $id][0]
`)

/**
 * Which of these ids the reader can read (the rest are deleted, unpublished or not public), and
 * when each last changed, for the page's `Last-Modified`.
 */
export const readableIdsQuery = defineQuery(`
  *[_id in $ids]{_id, _updatedAt}
`)

/** Every document of one public type (`$type`), by name: the index pages (`/roles`, …). */
export const typeIndexQuery = defineQuery(`
  *[_type == $type] | order(lower(coalesce(title, name, register)) asc){${targetFragment}}
`)
