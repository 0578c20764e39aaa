/**
 * The Studio's searches answered page first: `*[<_type> && !(_id in path(…)) && (<L> match
 * text::query(q) || references(r))] …| order(<_updatedAt or _id>) [m...n]` (its list search
 * and its global search, `bench/queries.ts`). The general planner hands groq-js the documents
 * of every match before ordering them: at a million documents that is tens of thousands of bodies
 * read from SQLite per keystroke. Here the matches are found by ordinal in the text index, which
 * also knows each document's `_type` and `_updatedAt`, ordered by those, and only the documents of
 * the page are read.
 *
 * Only in the `raw` and `published` perspectives (a document shows its stored `_id` there), only
 * for those exact shapes, and only once the text index is ready: anything else (another conjunct,
 * a document whose `_type` or `_updatedAt` the index does not know) is left to the general path.
 * Results equal groq-js's: each part of the filter is decided exactly (text by the index's
 * bitmaps and groq-js's own term regexes, `references()` and readability on the document itself),
 * and ties keep dataset (`_id`) order, as groq-js's stable sort does.
 */
import type {ExprNode} from 'groq-js'

import type {TextIndex} from '../store/textIndex'
import {matchTokens, patternTerms} from '../store/textIndex'
import {attributePath, conjuncts, constantValue, isConstant} from './ast'
import {parseTextQuery} from './text'
import type {DatasetView, VisibleDocument} from './views'

/** The largest page answered here (the Studio asks for 51 or 101). */
const MAX_PAGE = 1000

interface SearchFilter {
  /** Allowed `_type`s, or undefined for any. */
  types: Set<string> | undefined
  /** `!(_id in path(glob))`: ids matching any of these are out (groq-js's own glob regexes). */
  excludedIds: RegExp[]
  /** Every term must match (the positive words of `text::query`). */
  terms: string[]
  /** Per negated phrase, its terms: a document matching all of one is out. */
  negated: string[][]
  /** Whether `_id`'s words count as well as the document's strings (`[@, _id] match …`). */
  withId: boolean
  /** `references(…)` ids beside the text match, if any. */
  references: Set<string> | undefined
}

type SortKey = {field: '_id' | '_updatedAt'; desc: boolean}

/** groq-js's `path()` glob as its evaluator builds it (`pathRegExp`): `.` between parts is any character. */
function pathRegExp(pattern: string): RegExp {
  const parts = pattern
    .split('.')
    .map((part) =>
      part === '*' ? '[^.]+' : part === '**' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
  return new RegExp(`^${parts.join('.')}$`)
}

function unwrap(node: ExprNode): ExprNode {
  let current = node
  while (current.type === 'Group') current = current.base
  return current
}

function isAttribute(node: ExprNode, name: string): boolean {
  const path = attributePath(node)
  return path !== undefined && path.length === 1 && path[0] === name
}

/** `L` of `L match text::query(q)`: `@` (false) or `[@, _id]` in either order (true). */
function matchesWithId(left: ExprNode): boolean | undefined {
  const node = unwrap(left)
  if (node.type === 'This') return false
  if (node.type !== 'Array' || node.elements.length !== 2) return undefined
  if (node.elements.some((element) => element.isSplat)) return undefined
  const [a, b] = node.elements.map((element) => unwrap(element.value))
  if (!a || !b) return undefined
  const pair =
    (a.type === 'This' && isAttribute(b, '_id')) || (b.type === 'This' && isAttribute(a, '_id'))
  return pair ? true : undefined
}

function stringSet(value: unknown): Set<string> | undefined {
  const values = typeof value === 'string' ? [value] : value
  if (!Array.isArray(values)) return undefined
  return new Set(values.filter((item): item is string => typeof item === 'string'))
}

/** The text part: `L match text::query(q)`, alone or `|| references(r)`. */
function textPart(node: ExprNode, params: Record<string, unknown>, filter: SearchFilter): boolean {
  let match = unwrap(node)
  if (match.type === 'Or') {
    const refs = unwrap(match.right)
    if (refs.type !== 'FuncCall' || refs.namespace !== 'global' || refs.name !== 'references') {
      return false
    }
    if (refs.args.length !== 1) return false
    const value = constantValue(refs.args[0] as ExprNode, params)
    const ids = isConstant(value) ? stringSet(value) : undefined
    if (!ids) return false
    filter.references = ids
    match = unwrap(match.left)
  }
  if (match.type !== 'OpCall' || match.op !== 'match') return false
  const call = match.right
  if (call.type !== 'FuncCall' || call.namespace !== 'text' || call.name !== 'query') return false
  const withId = matchesWithId(match.left)
  const arg = call.args[0]
  const query = arg ? constantValue(arg, params) : undefined
  if (withId === undefined || typeof query !== 'string') return false
  // As `rewriteTextQuery` splits it; a search of only `*` or only negations matches most of the
  // dataset, which the general path handles as well as this one would.
  const parsed = parseTextQuery(query)
  const positive = parsed.positive.filter((term) => !/^\*+$/.test(term))
  if (positive.length === 0) return false
  filter.terms = positive.flatMap(patternTerms)
  filter.negated = parsed.negative.map(patternTerms)
  filter.withId = withId
  return true
}

function searchFilter(
  filter: ExprNode & {type: 'Filter'},
  params: Record<string, unknown>,
): SearchFilter | undefined {
  const out: SearchFilter = {
    types: undefined,
    excludedIds: [],
    terms: [],
    negated: [],
    withId: false,
    references: undefined,
  }
  let text = false
  for (const part of conjuncts(filter.expr)) {
    const node = unwrap(part)
    if (node.type === 'OpCall' && (node.op === '==' || node.op === 'in') && !out.types) {
      if (!isAttribute(node.left, '_type')) return undefined
      const value = constantValue(node.right, params)
      if (!isConstant(value)) return undefined
      if (node.op === '==' && typeof value !== 'string') return undefined
      if (node.op === 'in' && !Array.isArray(value)) return undefined
      out.types = stringSet(value)
      continue
    }
    if (node.type === 'Not') {
      const inPath = unwrap(node.base)
      if (inPath.type !== 'OpCall' || inPath.op !== 'in' || !isAttribute(inPath.left, '_id')) {
        return undefined
      }
      const path = unwrap(inPath.right)
      if (path.type !== 'FuncCall' || path.namespace !== 'global' || path.name !== 'path') {
        return undefined
      }
      const glob = path.args[0] ? constantValue(path.args[0], params) : undefined
      if (typeof glob !== 'string') return undefined
      out.excludedIds.push(pathRegExp(glob))
      continue
    }
    if (text || !textPart(node, params, out)) return undefined
    text = true
  }
  return text ? out : undefined
}

/** The ordering: one key, `_id` or `_updatedAt` (directly or through a projected copy). */
function sortKey(
  order: ExprNode & {type: 'PipeFuncCall'},
  projection: Map<string, ExprNode> | undefined,
): SortKey | undefined {
  const [first, second, ...rest] = order.args
  if (!first || rest.length > 0) return undefined
  const resolve = (arg: ExprNode): SortKey | undefined => {
    const desc = arg.type === 'Desc'
    let key = arg.type === 'Asc' || arg.type === 'Desc' ? arg.base : arg
    if (projection) {
      let source: ExprNode | undefined
      if (key.type === 'AccessAttribute' && (!key.base || key.base.type === 'This')) {
        source = projection.get(key.name)
      } else if (
        key.type === 'AccessElement' &&
        key.base.type === 'AccessAttribute' &&
        (!key.base.base || key.base.base.type === 'This')
      ) {
        const array = projection.get(key.base.name)
        const element = array?.type === 'Array' ? array.elements[key.index] : undefined
        source = element && !element.isSplat ? element.value : undefined
      }
      if (!source) return undefined
      key = source
    }
    if (isAttribute(key, '_id')) return {field: '_id', desc}
    if (isAttribute(key, '_updatedAt')) return {field: '_updatedAt', desc}
    return undefined
  }
  const key = resolve(first)
  // `, _id` (ascending) after the key orders ties as groq-js's stable sort already does.
  if (second) {
    const tie = resolve(second)
    if (!tie || tie.field !== '_id' || tie.desc) return undefined
  }
  return key
}

/** groq-js's `references()` on one document (`hasReference`): a `_ref` ends the descent. */
function hasReference(doc: unknown, ids: ReadonlySet<string>): boolean {
  const stack: unknown[] = [doc]
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) stack.push(item)
    } else if (value !== null && typeof value === 'object') {
      const ref = (value as {_ref?: unknown})._ref
      if (ref) {
        if (ids.has(ref as string)) return true
        continue
      }
      for (const child of Object.values(value)) stack.push(child)
    }
  }
  return false
}

interface Match {
  id: string
  /** `_updatedAt` in ms (NaN: unknown to the index). */
  ms: number
  /** Known to match by the index alone; otherwise (`references()`) checked on the document. */
  exact: boolean
}

/** The documents of the filter, found through the text index; undefined to leave it to groq-js. */
function findMatches(
  index: TextIndex,
  filter: SearchFilter,
  view: DatasetView,
): Match[] | undefined {
  const limit = index.ordinalLimit
  const perTerm = filter.terms.map((term) => index.termDocuments(term))
  // A word for every term in the strings or (with `withId`) the ids: a superset, narrowed below.
  const possible = new Uint8Array(limit).fill(1)
  for (const {content, ids} of perTerm) {
    for (let i = 0; i < limit; i++) {
      possible[i] =
        (possible[i] as number) &
        ((content[i] as number) | (filter.withId ? (ids[i] as number) : 0))
    }
  }
  const negated = filter.negated.map((terms) => terms.map((term) => index.termDocuments(term)))
  /** groq-js's `match` of these terms over the document's strings and, maybe, its id. */
  const matches = (
    terms: ReturnType<TextIndex['termDocuments']>[],
    ordinal: number,
    id: string,
  ): boolean => {
    if (terms.length === 0) return false
    let tokens: string[] | undefined
    return terms.every(({regex, content, ids}) => {
      if (content[ordinal] === 1) return true
      if (!filter.withId || ids[ordinal] !== 1) return false
      tokens ??= matchTokens(id)
      return tokens.some((token) => regex.test(token))
    })
  }
  const out: Match[] = []
  const found = new Set<string>()
  for (let ordinal = 0; ordinal < limit; ordinal++) {
    if (possible[ordinal] !== 1) continue
    const id = index.idOf(ordinal)
    if (id === undefined) continue
    if (filter.excludedIds.some((glob) => glob.test(id))) continue
    if (filter.types) {
      const type = index.typeOf(ordinal)
      if (type === undefined) return undefined
      if (!filter.types.has(type)) continue
    }
    if (!matches(perTerm, ordinal, id)) continue
    if (negated.some((terms) => matches(terms, ordinal, id))) continue
    out.push({id, ms: index.updatedAtOf(ordinal), exact: true})
    found.add(id)
  }
  if (filter.references) {
    // Few documents reference what an editor types: their bodies decide.
    for (const ref of filter.references) {
      for (const doc of view.referencing(ref)) {
        if (found.has(doc._id)) continue
        if (filter.excludedIds.some((glob) => glob.test(doc._id))) continue
        if (filter.types && !filter.types.has(doc._type)) continue
        if (!hasReference(doc, filter.references)) continue
        const ordinal = index.ordinal(doc._id)
        out.push({
          id: doc._id,
          ms: ordinal === undefined ? NaN : index.updatedAtOf(ordinal),
          exact: true,
        })
        found.add(doc._id)
      }
    }
  }
  return out
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The page `[from, to)` of the matches in the key's order, reading only the bodies it needs. */
function page(
  matches: Match[],
  key: SortKey,
  from: number,
  to: number,
  view: DatasetView,
): VisibleDocument[] | undefined {
  if (key.field === '_updatedAt' && matches.some((match) => Number.isNaN(match.ms))) {
    return undefined
  }
  // Ties in dataset order (`_id` ascending), whichever the direction.
  const compare = (a: Match, b: Match): number => {
    if (key.field === '_updatedAt' && a.ms !== b.ms) return key.desc ? b.ms - a.ms : a.ms - b.ms
    const byId = compareIds(a.id, b.id)
    return key.field === '_id' && key.desc ? -byId : byId
  }
  // The first `wanted` in order, kept sorted while the rest stream past; more when documents the
  // reader may not see (or the perspective hides) are passed over.
  let wanted = to
  for (;;) {
    const kept: Match[] = []
    for (const match of matches) {
      if (kept.length === wanted && compare(kept[wanted - 1] as Match, match) < 0) continue
      let lo = 0
      let hi = kept.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (compare(kept[mid] as Match, match) < 0) lo = mid + 1
        else hi = mid
      }
      kept.splice(lo, 0, match)
      if (kept.length > wanted) kept.pop()
    }
    const docs: VisibleDocument[] = []
    for (const match of kept) {
      const doc = view.get(match.id)
      if (doc) docs.push(doc)
      if (docs.length === to) break
    }
    if (docs.length >= to || kept.length === matches.length) return docs.slice(from, to)
    wanted *= 4
  }
}

/** The page of a `Slice` of the Studio's shape, or undefined to leave it to the general planner. */
function planSlice(
  node: ExprNode,
  params: Record<string, unknown>,
  view: DatasetView,
): ExprNode | undefined {
  if (node.type !== 'Slice') return undefined
  const {left, right, isInclusive} = node
  if (!Number.isInteger(left) || !Number.isInteger(right) || left < 0 || right < 0) return undefined
  const to = isInclusive ? right + 1 : right
  if (to > MAX_PAGE) return undefined
  const order = node.base
  if (order.type !== 'PipeFuncCall' || order.name !== 'order') return undefined
  let inner = order.base
  let projection: (ExprNode & {type: 'Projection'}) | undefined
  let projected: Map<string, ExprNode> | undefined
  if (inner.type === 'Map') {
    const expr = inner.expr
    if (expr.type !== 'Projection' || expr.base.type !== 'This' || expr.expr.type !== 'Object') {
      return undefined
    }
    projected = new Map()
    for (const attribute of expr.expr.attributes) {
      if (attribute.type !== 'ObjectAttributeValue' || projected.has(attribute.name)) {
        return undefined
      }
      projected.set(attribute.name, attribute.value)
    }
    projection = expr
    inner = inner.base
  }
  if (inner.type !== 'Filter' || inner.base.type !== 'Everything') return undefined
  const key = sortKey(order, projected)
  const filter = key && searchFilter(inner, params)
  if (!key || !filter) return undefined
  const index = view.textIndex()
  if (!index) return undefined
  const matches = findMatches(index, filter, view)
  const docs = matches && page(matches, key, Math.min(left, to), to, view)
  if (!docs) return undefined
  const value: ExprNode = {type: 'Value', value: docs}
  // Projecting after ordering and slicing is the same: the projection is per document and the
  // key it orders by is the document's own field.
  return projection ? {type: 'Map', base: value, expr: projection} : value
}

/**
 * The query with the Studio's search page answered, at its root (`<search>[m...n]`) or under a
 * projection of the page (`<search>[m...n] {…}`); undefined when it is not one.
 */
export function planSearchPage(
  tree: ExprNode,
  params: Record<string, unknown>,
  view: DatasetView,
): ExprNode | undefined {
  if (view.perspective !== 'raw' && view.perspective !== 'published') return undefined
  if (tree.type === 'Slice') return planSlice(tree, params, view)
  if ((tree.type === 'Map' || tree.type === 'Projection') && tree.base.type === 'Slice') {
    const base = planSlice(tree.base, params, view)
    return base && {...tree, base}
  }
  return undefined
}
