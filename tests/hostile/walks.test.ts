/**
 * Issue #10, finding 1: no walk of user data may overflow the call stack, whatever the write
 * boundary lets through. Documents (reference extraction, text search, the import's reference
 * scan) and query trees (the planner's helpers) are walked with explicit stacks; here they meet
 * values 100,000 levels deep, built by hand so no parser limit stands in front of them. The depth
 * scanner that guards the HTTP boundary is checked on the JSON that could fool it.
 */
import type {ExprNode} from 'groq-js'
import {describe, expect, it} from 'vitest'

import {findReferences} from '../../scripts/lib/documents'
import {
  attributePath,
  conjuncts,
  constantValue,
  rewriteNode,
  someNode,
} from '../../server/query/ast'
import {deepText} from '../../server/query/text'
import {depthExceeds, jsonTextDepthExceeds, MAX_JSON_DEPTH} from '../../server/store/limits'
import {referencedIds} from '../../server/store/mirror'
import {lakeFetch, startTestLake} from '../helpers/lake'

const DEEP = 100_000

/** `{_ref: "leaf"}` and a string under `DEEP` levels of alternating arrays and objects. */
function deepDocument(): Record<string, unknown> {
  let value: unknown = [{_ref: 'leaf', _type: 'reference'}, 'needle']
  for (let i = 0; i < DEEP; i++) value = i % 2 ? [value] : {child: value}
  return {_id: 'deep', _type: 'note', title: 'top', body: value}
}

function deepArrayLiteral(depth: number): ExprNode {
  let node: ExprNode = {type: 'Value', value: 1}
  for (let i = 0; i < depth; i++) {
    node = {type: 'Array', elements: [{type: 'ArrayElement', value: node, isSplat: false}]}
  }
  return node
}

describe('walks over documents', () => {
  it('find references and text at any depth, in document order', () => {
    const document = deepDocument()
    expect([...referencedIds(document)]).toEqual(['leaf'])
    expect(deepText(document)).toEqual(['top', 'needle'])
    expect(findReferences(document)).toEqual([{ref: 'leaf', weak: false}])
    // The document, the wrappers, the innermost array and the reference object.
    expect(depthExceeds(document, DEEP + 2)).toBe(true)
    expect(depthExceeds(document, DEEP + 3)).toBe(false)
  })
})

describe('walks over query trees', () => {
  it('read and rewrite a tree nested 100,000 levels deep', () => {
    const literal = deepArrayLiteral(DEEP)
    expect(someNode(literal, (node) => node.type === 'Value')).toBe(true)
    expect(someNode(literal, (node) => node.type === 'Everything')).toBe(false)
    // A rewrite that replaces the innermost value copies the path to it and nothing else.
    const rewritten = rewriteNode(literal, (node) =>
      node.type === 'Value' ? {type: 'Value', value: 2} : undefined,
    )
    let innermost: ExprNode = rewritten
    while (innermost.type === 'Array') innermost = innermost.elements[0]!.value
    expect(innermost).toEqual({type: 'Value', value: 2})
    expect(rewriteNode(literal, () => undefined)).toBe(literal)

    const value = constantValue(literal, {})
    let depth = 0
    for (let current: unknown = value; Array.isArray(current); current = current[0]) depth++
    expect(depth).toBe(DEEP)

    let groups: ExprNode = {type: 'AccessAttribute', name: 'a'}
    let ands: ExprNode = {type: 'Value', value: true}
    for (let i = 0; i < DEEP; i++) {
      groups = {type: 'Group', base: groups}
      ands = {type: 'And', left: ands, right: {type: 'Value', value: i}}
    }
    expect(attributePath(groups)).toEqual(['a'])
    expect(conjuncts(ands)).toHaveLength(DEEP + 1)
    expect(conjuncts(ands)[1]).toEqual({type: 'Value', value: 0})
  })

  it('a query whose array literal nests a thousand levels is answered, not a 500', async () => {
    const lake = await startTestLake()
    try {
      const query = `*[_type == "note" && 1 in ${'['.repeat(1000)}1${']'.repeat(1000)}]._id`
      const answer = await lakeFetch(
        lake,
        `/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}`,
        {token: lake.adminToken},
      )
      // groq-js decides what such a query means; the planner must never turn it into a crash.
      expect(answer.status, answer.text).not.toBe(500)
      expect(lake.logs.filter((line) => line.startsWith('Internal error'))).toEqual([])
      expect(await lake.client().fetch('1 + 1')).toBe(2)
    } finally {
      await lake.close()
    }
  })
})

describe('the JSON depth scanner', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

  it('counts arrays and objects, at the limit and one past it', () => {
    expect(jsonTextDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false)
    expect(jsonTextDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true)
    const objects = '{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1)
    expect(jsonTextDepthExceeds(objects, MAX_JSON_DEPTH)).toBe(true)
    expect(jsonTextDepthExceeds(Buffer.from(objects), MAX_JSON_DEPTH)).toBe(true)
    // Siblings do not add up: depth is the deepest path, not the number of brackets.
    expect(jsonTextDepthExceeds(`[${Array(1000).fill('[[]]').join(',')}]`, 3)).toBe(false)
  })

  it('is not fooled by brackets, quotes and escapes inside strings', () => {
    const text = JSON.stringify({a: '['.repeat(500), b: '\\"[[[', c: ['"{{{'], d: 'é[ü{'})
    expect(jsonTextDepthExceeds(text, 2)).toBe(false)
    expect(jsonTextDepthExceeds(Buffer.from(text), 2)).toBe(false)
    expect(jsonTextDepthExceeds(JSON.stringify({a: [['\\']]}), 2)).toBe(true)
  })
})
