import {defineQuery} from 'groq'

import {programmeFragment, qualificationFragment} from './fragments'

/** Programmes that train people at one career level (e.g. `practitioner`). */
export const programmesByCareerLevelQuery = defineQuery(`
  *[_type == "programme" && careerLevel == $careerLevel] | order(name asc){${programmeFragment}}
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
