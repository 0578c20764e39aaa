/** The site's one URL scheme: each document's path leads back to the route that finds it. */
import {describe, expect, it} from 'vitest'

import {
  documentPath,
  indexForPath,
  indexPath,
  PUBLIC_TYPES,
  routeForPath,
  TYPE_SEGMENTS,
} from '../../queries/paths'

describe('documentPath and routeForPath', () => {
  it('puts pages at the root and every other type under its segment', () => {
    expect(documentPath({_id: 'page-x', _type: 'page', slug: 'cardiac'})).toBe('/cardiac')
    expect(documentPath({_id: 'programme-stp', _type: 'programme'})).toBe('/programmes/stp')
    expect(documentPath({_id: 'careerRole-a', _type: 'careerRole', slug: 'b'})).toBe('/roles/b')
    expect(documentPath({_id: 'specialism-c', _type: 'specialism', slug: 'c'})).toBe(
      '/specialisms/c',
    )
  })

  it('derives a key from an id the Studio generated, which has no type prefix', () => {
    const id = '0b6f3c7e-1d2a-4c5b-9e8f-7a6b5c4d3e2f'
    expect(documentPath({_id: id, _type: 'organisation'})).toBe(`/organisations/${id}`)
    expect(routeForPath(`/organisations/${id}`)).toEqual({
      type: 'organisation',
      key: id,
      id: `organisation-${id}`,
    })
  })

  it.each(PUBLIC_TYPES)('round-trips a %s with and without a slug', (type) => {
    for (const slug of ['a-slug', null]) {
      const path = documentPath({_id: `${type}-by-id`, _type: type, slug})!
      const route = routeForPath(path)
      expect(route?.type).toBe(type)
      expect(slug ? route?.key : route?.id).toBe(slug ?? `${type}-by-id`)
    }
  })

  it('has no page for private types, nor for keys that could not be a slug', () => {
    expect(documentPath({_id: 'feedback.1', _type: 'feedbackSubmission'})).toBeUndefined()
    expect(documentPath({_id: 'settings', _type: 'settings'})).toBeUndefined()
    // A slug with characters the routes refuse falls back to the id.
    expect(documentPath({_id: 'page-ok', _type: 'page', slug: 'a b'})).toBe('/ok')
    for (const path of ['/..%2fetc', '/a/b/c', '/nowhere/x', '/roles/', '/roles/a.b', '/-x']) {
      expect(routeForPath(path), path).toBeUndefined()
    }
  })

  it('gives each non-page type an index at its segment', () => {
    for (const type of Object.keys(TYPE_SEGMENTS) as (keyof typeof TYPE_SEGMENTS)[]) {
      expect(indexForPath(indexPath(type))).toBe(type)
    }
    expect(indexForPath('/training-development-registration-cardiac-sciences')).toBeUndefined()
  })
})
