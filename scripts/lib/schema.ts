/** The project's schema compiled the way the Studio compiles it, for validation in Node. */
import {createSchema, type Schema} from 'sanity'

import {schemaTypes} from '../../schemas'

let compiled: Schema | undefined

export function compiledSchema(): Schema {
  if (compiled) return compiled
  const schema = createSchema({name: 'default', types: schemaTypes})
  const errors = (schema._validation ?? []).flatMap((group) =>
    group.problems.filter((problem) => problem.severity === 'error').map((p) => p.message),
  )
  if (errors.length > 0) throw new Error(`The schema has errors:\n${errors.join('\n')}`)
  compiled = schema
  return schema
}
