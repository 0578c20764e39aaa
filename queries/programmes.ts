import {defineQuery} from 'groq'

import {programmeFragment, qualificationFragment, trainingRouteFragment} from './fragments'

/** Programmes that train people at one career level (e.g. `practitioner`). */
export const programmesByCareerLevelQuery = defineQuery(`
  *[_type == "programme" && careerLevel == $careerLevel] | order(name asc){${programmeFragment}}
`)

/** A national programme with every specialism's route through it ("programmes with their routes"). */
export const programmeWithRoutesQuery = defineQuery(`
  *[_type == "programme" && _id == $id][0]{
    ${programmeFragment},
    "routes": *[_type == "trainingRoute" && programme._ref == ^._id] | order(name asc){
      ${trainingRouteFragment}
    }
  }
`)

/** The training routes of one specialism (`$specialismId`), programme by programme. */
export const routesInSpecialismQuery = defineQuery(`
  *[_type == "trainingRoute" && partOf._ref == $specialismId] | order(name asc){
    ${trainingRouteFragment}
  }
`)

/** One qualification by its id, with the body that awards it and the register it leads to. */
export const qualificationByIdQuery = defineQuery(`
  *[_type == "qualification" && _id == $id][0]{
    ${qualificationFragment},
    description,
    "registration": registration->{register, status}
  }
`)

/** Registration facts: which register, who keeps it, mandatory or voluntary, and what it takes. */
export const registrationFactsQuery = defineQuery(`
  *[_type == "registration"] | order(register asc){
    _id,
    register,
    status,
    requirement,
    "body": body->{name, acronym, website},
    "roles": roles[]->name,
    "qualifyingQualifications": qualifyingQualifications[]->name
  }
`)
