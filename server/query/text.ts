import {randomUUID} from 'node:crypto'

import type {ExprNode} from 'groq-js'

import {LakeError} from '../store/types'
import {constantValue, isConstant} from './ast'

/**
 * `text::query()` for groq-js, which does not implement it. Studio's list search sends
 * `[@, _id] match text::query($__query)` and `path match text::query($__query)` (inside
 * `score(boost(...))`). The rewrite keeps that shape, so groq-js's own `match` and `score` do the
 * tokenising and ranking:
 *
 * - `L match text::query("a b* -c")` becomes `L' match ["a", "b*"] && !(L' match "c")`.
 * - In `L'`, a bare `@` (the whole document) becomes a lookup of all of the document's strings:
 *   `{"_ref": <this query's text prefix> + _id}->` answered by the query's `dereference` hook. No user value is
 *   ever spliced into GROQ text: terms travel as `Value` nodes.
 */

/**
 * The `_ref` prefix of one query's text lookups. A fixed prefix was readable from user data: a
 * stored reference whose `_ref` began with it read the text entries of any document. Each query
 * draws its own unguessable prefix, so only the lookups its own rewrite built can carry it (and
 * ids cannot contain NUL, so it never names a real document either).
 */
export function textRefPrefix(): string {
  return `\u0000text:${randomUUID()}:`
}

interface Terms {
  positive: string[]
  negative: string[]
}

/** Splits Content Lake's text::query syntax: terms, `"phrases"`, `-negation`, `prefix*`. */
export function parseTextQuery(query: string): Terms {
  const terms: Terms = {positive: [], negative: []}
  for (const match of query.matchAll(/(-?)"([^"]*)"|(-?)(\S+)/g)) {
    const negated = (match[1] ?? match[3]) === '-'
    const term = (match[2] ?? match[4] ?? '').trim()
    if (!term) continue
    ;(negated ? terms.negative : terms.positive).push(term)
  }
  return terms
}

/**
 * The lookups `deepTextNode` built: the planner recognises them by identity (a query cannot
 * forge one), and knows they read the document's strings, which the text index holds.
 */
export const deepTextLookups = new WeakSet<ExprNode>()

function deepTextNode(prefix: string): ExprNode {
  const node: ExprNode = {
    type: 'Deref',
    base: {
      type: 'Object',
      attributes: [
        {
          type: 'ObjectAttributeValue',
          name: '_ref',
          value: {
            type: 'OpCall',
            op: '+',
            left: {type: 'Value', value: prefix},
            right: {type: 'AccessAttribute', name: '_id'},
          },
        },
      ],
    },
  }
  deepTextLookups.add(node)
  return node
}

function withDeepText(left: ExprNode, prefix: string): ExprNode {
  if (left.type === 'This') return deepTextNode(prefix)
  if (left.type === 'Array') {
    return {
      ...left,
      elements: left.elements.map((element) =>
        // Splatted, so the document's strings join the array instead of nesting in it
        // (groq-js's match only reads strings that are direct elements).
        element.value.type === 'This'
          ? {...element, value: deepTextNode(prefix), isSplat: true}
          : element,
      ),
    }
  }
  return left
}

function isTextQueryCall(node: ExprNode): node is ExprNode & {type: 'FuncCall'} {
  return node.type === 'FuncCall' && node.namespace === 'text' && node.name === 'query'
}

/** The replacement for one `L match text::query(q)` node, or undefined for other nodes. */
export function rewriteTextQuery(
  node: ExprNode,
  params: Record<string, unknown>,
  refPrefix: () => string,
): ExprNode | undefined {
  if (node.type !== 'OpCall' || node.op !== 'match' || !isTextQueryCall(node.right)) {
    return undefined
  }
  const arg = node.right.args[0]
  const query = arg ? constantValue(arg, params) : undefined
  if (!isConstant(query) || typeof query !== 'string') {
    throw new LakeError(400, 'queryParseError', 'text::query() takes a string literal or parameter')
  }
  const terms = parseTextQuery(query)
  // "*" alone (what Studio sends for an empty search box) matches every document; as a term
  // next to others it adds nothing. Dropping it spares tokenising every string of every document.
  const positive = terms.positive.filter((term) => !/^\*+$/.test(term))
  const negative = terms.negative
  if (positive.length === 0 && negative.length === 0) {
    return {type: 'Value', value: terms.positive.length > 0}
  }
  const left = withDeepText(node.left, refPrefix())
  const parts: ExprNode[] = []
  if (positive.length > 0) {
    parts.push({type: 'OpCall', op: 'match', left, right: {type: 'Value', value: positive}})
  }
  for (const term of negative) {
    parts.push({
      type: 'Not',
      base: {type: 'OpCall', op: 'match', left, right: {type: 'Value', value: term}},
    })
  }
  const [first, ...rest] = parts
  if (!first) return {type: 'Value', value: false}
  return rest.reduce<ExprNode>((acc, part) => ({type: 'And', left: acc, right: part}), first)
}

const deepTextCache = new WeakMap<object, string[]>()

/** Every string in a document except system and structural keys (`_type`, `_key`, `_ref`...). */
export function deepText(doc: object): string[] {
  let cached = deepTextCache.get(doc)
  if (cached) return cached
  cached = []
  // An explicit stack (documents are user data), pushed in reverse so strings come out in document
  // order, as a recursive walk would list them.
  const stack: unknown[] = [doc]
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value === 'string') cached.push(value)
    else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i])
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] as [string, unknown]
        if (!key.startsWith('_')) stack.push(child)
      }
    }
  }
  deepTextCache.set(doc, cached)
  return cached
}
