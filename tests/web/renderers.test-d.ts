/**
 * The renderer handles every block type, style, list type and annotation TypeGen knows: the key
 * sets of its component maps are exactly TypeGen's unions (checked by `tsc --noEmit`, which
 * includes this file, and by `vitest --typecheck`).
 */
import {expectTypeOf, test} from 'vitest'

import {
  annotationRenderers,
  type AnnotationType,
  blockRenderers,
  type BlockStyle,
  blockStyleRenderers,
  listRenderers,
  type ListType,
} from '../../web/PortableText'
import type {PageBySlugQueryResult} from '../../sanity.types'

type BodyBlock = NonNullable<NonNullable<PageBySlugQueryResult>['body']>[number]

test('a renderer for every custom block type in the page body', () => {
  expectTypeOf<keyof typeof blockRenderers>().toEqualTypeOf<Exclude<BodyBlock['_type'], 'block'>>()
})

test('a renderer for every block style, list type and annotation', () => {
  expectTypeOf<keyof typeof blockStyleRenderers>().toEqualTypeOf<BlockStyle>()
  expectTypeOf<BlockStyle>().toEqualTypeOf<'normal' | 'h2' | 'h3' | 'h4'>()
  expectTypeOf<keyof typeof listRenderers>().toEqualTypeOf<ListType>()
  expectTypeOf<ListType>().toEqualTypeOf<'bullet' | 'number'>()
  expectTypeOf<keyof typeof annotationRenderers>().toEqualTypeOf<AnnotationType>()
})
