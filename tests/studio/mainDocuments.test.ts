/**
 * Issue #17: opening a frontend address in the Presentation tool opens the document it shows.
 * Every public document of the seed, at the address the frontend gives it (`documentPath`), is
 * found by exactly one `mainDocuments` route, whose filter (run here with groq-js over the seed)
 * selects that document and no other.
 */
import {readFileSync} from 'node:fs'

import {evaluate, parse} from 'groq-js'
import {describe, expect, it} from 'vitest'

import {documentPath, isPublicType} from '../../queries/paths'
import {mainDocuments} from '../../studio/presentation'

const seed = readFileSync('seed/careers.ndjson', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as {_id: string; _type: string; slug?: {current?: string}})

/** The route patterns' one parameter per segment (`/:slug`, `/programmes/:key`). */
function match(route: string, path: string): Record<string, string> | null {
  const want = route.split('/')
  const got = path.split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (const [index, part] of want.entries()) {
    const value = got[index] as string
    if (part.startsWith(':')) params[part.slice(1)] = value
    else if (part !== value) return null
  }
  return params
}

const published = seed.filter((doc) => isPublicType(doc._type) && !doc._id.startsWith('drafts.'))

describe('the document a frontend address shows', () => {
  it.each(published.map((doc) => [documentPath({...doc, slug: doc.slug?.current ?? null}), doc]))(
    '%s opens its own document',
    async (path, doc) => {
      const matched = mainDocuments.flatMap((resolver) => {
        const routes = Array.isArray(resolver.route) ? resolver.route : [resolver.route]
        return routes.flatMap((route) => {
          const params = match(route, path as string)
          return params ? [{filter: resolver.filter as string, params}] : []
        })
      })
      expect(matched).toHaveLength(1)
      const {filter, params} = matched[0] as {filter: string; params: Record<string, string>}
      const found = (await evaluate(parse(`*[${filter}]._id`), {dataset: seed, params})).get()
      expect(await found).toEqual([(doc as {_id: string})._id])
    },
  )
})
