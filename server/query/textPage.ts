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
import {offerFirst} from './firstOf'
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

type TermDocuments = ReturnType<TextIndex['termDocuments']>

interface Filtered {
  /** Ordinals that may match (a superset): only these are decided. */
  candidates: Uint8Array
  accepts(ordinal: number): boolean
  /** Set once a decided document's `_type` was unknown to the index. */
  unknownType: boolean
}

/**
 * The filter decided per ordinal: the text part by the index's bitmaps (groq-js's term regexes
 * for ids the bitmaps leave open), `references()` on the few documents that have such a
 * reference, `_type` and the id globs from what the index keeps.
 */
function filterOf(index: TextIndex, filter: SearchFilter, view: DatasetView): Filtered {
  const limit = index.ordinalLimit
  const perTerm = filter.terms.map((term) => index.termDocuments(term))
  // A word for every term in the strings or (with `withId`) the ids: a superset, decided below.
  const candidates = new Uint8Array(limit).fill(1)
  for (const {content, ids} of perTerm) {
    const withId = filter.withId ? 1 : 0
    for (let i = 0; i < limit; i++) {
      candidates[i] =
        (candidates[i] as number) & ((content[i] as number) | ((ids[i] as number) & withId))
    }
  }
  const negated = filter.negated.map((terms) => terms.map((term) => index.termDocuments(term)))
  /** groq-js's `match` of these terms over the document's strings and, maybe, its id. */
  const matches = (terms: TermDocuments[], ordinal: number, id: string): boolean => {
    if (terms.length === 0) return false
    let tokens: string[] | undefined
    return terms.every(({regex, content, ids}) => {
      if (content[ordinal] === 1) return true
      if (!filter.withId || ids[ordinal] !== 1) return false
      tokens ??= matchTokens(id)
      return tokens.some((token) => regex.test(token))
    })
  }
  // Per type code, whether it is allowed (-1: not looked up yet): no string hashing per candidate.
  const allowed = new Int8Array(0x10000).fill(-1)
  const found = {candidates, accepts, unknownType: false}
  const typeAllowed = (ordinal: number): boolean => {
    const types = filter.types
    if (!types) return true
    const code = index.typeCodeOf(ordinal)
    if (allowed[code] === -1) {
      const type = index.typeOf(ordinal)
      // Past 65,535 types a document's type is not kept: the general path answers.
      if (type === undefined) found.unknownType = true
      allowed[code] = type !== undefined && types.has(type) ? 1 : 0
    }
    return allowed[code] === 1
  }
  const idAllowed = (id: string) => !filter.excludedIds.some((glob) => glob.test(id))
  // Few documents reference what an editor types: their bodies decide.
  const referencing = new Set<number>()
  for (const ref of filter.references ?? []) {
    for (const doc of view.referencing(ref)) {
      const ordinal = index.ordinal(doc._id)
      if (ordinal === undefined || referencing.has(ordinal)) continue
      if (!hasReference(doc, filter.references as Set<string>)) continue
      referencing.add(ordinal)
      candidates[ordinal] = 1
    }
  }
  function accepts(ordinal: number): boolean {
    const id = index.idOf(ordinal)
    if (id === undefined || !typeAllowed(ordinal) || !idAllowed(id)) return false
    if (referencing.has(ordinal)) return true
    return matches(perTerm, ordinal, id) && !negated.some((terms) => matches(terms, ordinal, id))
  }
  return found
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The first `wanted` matching ordinals in the key's order (ties in dataset order, `_id`
 * ascending, whichever the direction), kept sorted while the others stream past; undefined when
 * one's `_updatedAt` is unknown to the index.
 */
function firstInOrder(
  index: TextIndex,
  found: Filtered,
  key: SortKey,
  wanted: number,
): number[] | undefined {
  const {candidates, accepts} = found
  const limit = index.ordinalLimit
  const idOf = (ordinal: number) => index.idOf(ordinal) as string
  const byKey =
    key.field === '_updatedAt'
      ? (a: number, b: number): number => {
          const x = index.updatedAtOf(a)
          const y = index.updatedAtOf(b)
          if (x !== y) return key.desc ? y - x : x - y
          return compareIds(idOf(a), idOf(b))
        }
      : (a: number, b: number): number =>
          key.desc ? compareIds(idOf(b), idOf(a)) : compareIds(idOf(a), idOf(b))
  const kept: number[] = []
  const offer = (ordinal: number): void => offerFirst(kept, wanted, byKey, ordinal)
  const base = index.baseLength
  // Documents written since the index's base: their ordinals are not in `_id` order.
  for (let ordinal = base; ordinal < limit; ordinal++) {
    if (candidates[ordinal] !== 1 || !accepts(ordinal)) continue
    if (key.field === '_updatedAt' && Number.isNaN(index.updatedAtOf(ordinal))) return undefined
    offer(ordinal)
  }
  if (key.field === '_id') {
    // Base ordinals are positions in the sorted ids: walked in the key's direction, the first
    // `wanted` accepted are the smallest (or largest), and the walk stops there.
    let taken = 0
    const step = key.desc ? -1 : 1
    for (let ordinal = key.desc ? base - 1 : 0; ordinal >= 0 && ordinal < base; ordinal += step) {
      if (candidates[ordinal] !== 1 || !accepts(ordinal)) continue
      offer(ordinal)
      if (++taken === wanted) break
    }
    return kept
  }
  for (let ordinal = 0; ordinal < base; ordinal++) {
    if (candidates[ordinal] !== 1) continue
    const ms = index.updatedAtOf(ordinal)
    // Cheaper than deciding the filter: a candidate after the last kept one cannot enter.
    if (kept.length === wanted && !Number.isNaN(ms)) {
      const last = index.updatedAtOf(kept[wanted - 1] as number)
      if (key.desc ? ms < last : ms > last) continue
    }
    if (!accepts(ordinal)) continue
    if (Number.isNaN(ms)) return undefined
    offer(ordinal)
  }
  return kept
}

/** The page `[from, to)` of the filter's documents, reading only the bodies it shows. */
function page(
  index: TextIndex,
  filter: SearchFilter,
  key: SortKey,
  from: number,
  to: number,
  view: DatasetView,
): VisibleDocument[] | undefined {
  const found = filterOf(index, filter, view)
  // Documents the reader may not see (or the perspective hides) are passed over: then more are
  // selected, until the page is full or every match was.
  for (let wanted = to; ; wanted *= 4) {
    const kept = firstInOrder(index, found, key, wanted)
    if (!kept || found.unknownType) return undefined
    const docs: VisibleDocument[] = []
    for (const ordinal of kept) {
      const doc = view.get(index.idOf(ordinal) as string)
      if (doc) docs.push(doc)
      if (docs.length === to) break
    }
    if (docs.length >= to || kept.length < wanted) return docs.slice(from, to)
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
  const docs = page(index, filter, key, Math.min(left, to), to, view)
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
