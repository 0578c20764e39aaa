import {randomUUID} from 'node:crypto'

import {evaluate, type ExprNode, evaluateSync, GroqSyntaxError, parse, Path, toJS} from 'groq-js'

import {type FieldPath, type IndexableValue, valueAtPath} from '../store/mirror'
import {LakeError, type QueryStats} from '../store/types'
import {
  attributePath,
  conjuncts,
  constantValue,
  isConstant,
  indexableConstant,
  indexableConstantList,
  rewriteNode,
  someNode,
} from './ast'
import {hasHoistable, hoistSubqueries} from './hoist'
import {deepText, deepTextLookups, rewriteTextQuery, textRefPrefix} from './text'
import {planSearchPage} from './textPage'
import {withoutBudget} from './steps'
import {patternTerms} from '../store/textIndex'
import {offerFirst} from './firstOf'
import type {DatasetView, IdMemoEntry, PlanMemoEntry, VisibleDocument} from './views'

const PARSE_CACHE_SIZE = 500
const parseCache = new Map<string, ExprNode>()

function remember(key: string, tree: ExprNode): ExprNode {
  if (parseCache.size >= PARSE_CACHE_SIZE) {
    const oldest = parseCache.keys().next()
    if (!oldest.done) parseCache.delete(oldest.value)
  }
  parseCache.set(key, tree)
  return tree
}

function cached(key: string): ExprNode | undefined {
  const tree = parseCache.get(key)
  if (tree) {
    // Re-insert to keep the most recently used entries at the end.
    parseCache.delete(key)
    parseCache.set(key, tree)
  }
  return tree
}

/**
 * Parses with a small LRU cache; throws `queryParseError` shaped as Content Lake does. groq-js
 * needs parameter values at parse time only for slices (`[0...$limit]`, which Studio sends);
 * such queries are parsed, and cached, per parameter set.
 */
export function parseQuery(query: string, params?: Record<string, unknown>): ExprNode {
  const tree = cached(query)
  if (tree) return tree
  try {
    return remember(query, parse(query))
  } catch (error) {
    if (!params || !(error instanceof Error) || !/slicing must use constant/.test(error.message)) {
      throw toParseError(query, error)
    }
  }
  const key = `${query}\u0000${JSON.stringify(params)}`
  const withParams = cached(key)
  if (withParams) return withParams
  try {
    return remember(key, parse(query, {params}))
  } catch (error) {
    throw toParseError(query, error)
  }
}

function toParseError(query: string, error: unknown): LakeError {
  if (error instanceof GroqSyntaxError) {
    const description = error.message.replace(/^Syntax error in GROQ query at position \d+: /, '')
    const start = error.position
    return new LakeError(400, 'queryParseError', description, {
      query,
      start,
      end: Math.min(start + 1, query.length),
    })
  }
  const description = error instanceof Error ? error.message : String(error)
  return new LakeError(400, 'queryParseError', description, {query, start: 0, end: query.length})
}

/** One indexed conjunct of a top-level filter. */
interface ConjunctPlan {
  /** The field index it reads, if any (for `noteIndexed`). */
  path?: FieldPath
  /** A cache key for an exact predicate, or undefined when the candidates are only a superset. */
  key: string | undefined
  /** The index buckets the answer depends on (commits touching them invalidate it). */
  deps: string[]
  /** An upper bound on the number of candidates, known before building them. */
  estimate: number
  /** The candidates, in dataset order (built only for the conjunct the plan starts from). */
  candidates(): readonly VisibleDocument[]
  /** For exact plans: does a document satisfy this conjunct? */
  test: ((doc: VisibleDocument) => boolean) | undefined
  /**
   * `test` for the documents of one list, by position, where a plan can do better knowing the
   * list (the text index's ordinals of a memoised list).
   */
  testIn?: (docs: readonly VisibleDocument[]) => (doc: VisibleDocument, position: number) => boolean
  /**
   * What enumerating a candidate costs against testing one, when more than 1: a text match's
   * documents are found by ordinal, sorted by id and looked up one by one, while testing a list
   * against it reads a byte per document (by the list's kept ordinals).
   */
  enumerationCost?: number
  /**
   * For exact plans answered by an index: the stored ids of the candidates (`DatasetView`'s
   * `storedIdsWhereEquals`), and `test` on a stored id, both without reading a body.
   */
  ids?: () => readonly string[]
  idTest?: (storedId: string) => boolean
}

/** Enumerating a text match's documents against testing a memoised list with its bitmaps. */
const TEXT_ENUMERATION_COST = 4

/** A plan's test for the documents of `docs`. */
function testerIn(
  plan: ConjunctPlan,
  docs: readonly VisibleDocument[],
): (doc: VisibleDocument, position: number) => boolean {
  if (plan.testIn) return plan.testIn(docs)
  const test = plan.test as (doc: VisibleDocument) => boolean
  return (doc) => test(doc)
}

function compareIds(a: VisibleDocument, b: VisibleDocument): number {
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0
}

function equalsPlan(
  view: DatasetView,
  path: FieldPath,
  value: IndexableValue,
): ConjunctPlan | undefined {
  const estimate = view.estimateEquals(path, value)
  if (estimate === undefined) return undefined
  return {
    path,
    key: JSON.stringify(['==', path, value]),
    deps: [view.dependency(path, value)],
    estimate,
    candidates: () => view.whereEquals(path, value) ?? [],
    test: (doc) => valueAtPath(doc, path) === value,
    ids: () => view.storedIdsWhereEquals(path, value) ?? [],
    idTest: view.storedIdTest(path, value),
  }
}

function inPlan(
  view: DatasetView,
  path: FieldPath,
  values: IndexableValue[],
): ConjunctPlan | undefined {
  let estimate = 0
  for (const value of values) {
    const size = view.estimateEquals(path, value)
    if (size === undefined) return undefined
    estimate += size
  }
  const allowed = new Set(values)
  const idTests = values.map((value) => view.storedIdTest(path, value))
  return {
    path,
    key: JSON.stringify(['in', path, values]),
    deps: values.map((value) => view.dependency(path, value)),
    estimate,
    candidates: () => {
      // One value: its memoised list itself (no copy), which later searches recognise by identity.
      if (values.length === 1) return view.whereEquals(path, values[0] as IndexableValue) ?? []
      const seen = new Set<string>()
      const merged: VisibleDocument[] = []
      for (const value of values) {
        for (const doc of view.whereEquals(path, value) ?? []) {
          if (seen.has(doc._id)) continue
          seen.add(doc._id)
          merged.push(doc)
        }
      }
      // A union of several buckets: restore dataset order (visible ids are unique and sorted).
      if (values.length > 1) merged.sort(compareIds)
      return merged
    },
    test: (doc) => {
      const value = valueAtPath(doc, path)
      return (
        (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') &&
        allowed.has(value)
      )
    },
    ids: () => {
      if (values.length === 1)
        return view.storedIdsWhereEquals(path, values[0] as IndexableValue) ?? []
      // A union of several buckets in visible id order (no document is in two of them).
      const lists = values.map((value) => view.storedIdsWhereEquals(path, value) ?? [])
      const byVisibleId = new Map<string, string>()
      for (const list of lists) for (const id of list) byVisibleId.set(view.visibleId(id), id)
      return [...byVisibleId.keys()].sort().map((id) => byVisibleId.get(id) as string)
    },
    idTest: idTests.every((test) => test !== undefined)
      ? (storedId) => idTests.some((test) => test(storedId))
      : undefined,
  }
}

/**
 * `references($id)` / `references(["a", "b"])` with constant arguments: the documents with such a
 * `_ref` anywhere. A superset (groq-js stops at the first `_ref` of an object), so the filter
 * stays and groq-js decides.
 */
function referencesPlan(
  args: ExprNode[],
  view: DatasetView,
  params: Record<string, unknown>,
): ConjunctPlan | undefined {
  const ids = new Set<string>()
  for (const arg of args) {
    const value = constantValue(arg, params)
    if (!isConstant(value)) return undefined
    // groq-js ignores non-string arguments, so they name no candidates.
    if (typeof value === 'string') ids.add(value)
    else if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'string') ids.add(item)
    }
  }
  const lists = [...ids].map((id) => view.referencing(id))
  let candidates: readonly VisibleDocument[]
  if (lists.length === 1) candidates = lists[0] ?? []
  else {
    const byId = new Map<string, VisibleDocument>()
    for (const list of lists) for (const doc of list) byId.set(doc._id, doc)
    candidates = [...byId.values()].sort(compareIds)
  }
  return {
    key: undefined,
    deps: [],
    estimate: candidates.length,
    candidates: () => candidates,
    test: undefined,
  }
}

/** Whether `match` reads only strings the text index holds for the document (`@`'s scope). */
function textIndexed(node: ExprNode): boolean {
  if (deepTextLookups.has(node)) return true
  const path = attributePath(node)
  // Strings under `_`-prefixed keys are not indexed, but `_id` is.
  if (path) return (path.length === 1 && path[0] === '_id') || !path.some((n) => n.startsWith('_'))
  return false
}

/**
 * `L match <constant>`, where L is an attribute path, the text lookup `text::query` rewrites
 * `@` into, or an array of those: the documents holding a word for every term (a superset, so
 * the filter stays and groq-js's own `match` decides).
 */
function matchPlan(
  node: ExprNode & {type: 'OpCall'},
  view: DatasetView,
  params: Record<string, unknown>,
): ConjunctPlan | undefined {
  const left = node.left
  const readsIndexed =
    left.type === 'Array'
      ? left.elements.every(
          (element) =>
            textIndexed(element.value) && (!element.isSplat || deepTextLookups.has(element.value)),
        )
      : textIndexed(left)
  if (!readsIndexed) return undefined
  const pattern = constantValue(node.right, params)
  const strings = typeof pattern === 'string' ? [pattern] : pattern
  if (!Array.isArray(strings) || !strings.every((item) => typeof item === 'string')) {
    return undefined
  }
  const terms = (strings as string[]).flatMap(patternTerms)
  // `text::query`'s own shapes (`@`, `[@, _id]`) read exactly what the index holds: answered
  // exactly, so groq-js need not tokenise every candidate's text again.
  const elements = left.type === 'Array' ? left.elements : [{value: left, isSplat: false}]
  const exact = elements.every(
    (element) =>
      deepTextLookups.has(element.value) ||
      (!element.isSplat && sameAttributePath(element.value, ['_id'])),
  )
  if (exact && elements.some((element) => deepTextLookups.has(element.value))) {
    const withId = elements.some((element) => !deepTextLookups.has(element.value))
    const match = view.textMatches(terms, withId)
    // The text index is still being built: groq-js's own match decides over every candidate.
    if (!match) return undefined
    return {key: undefined, deps: [], enumerationCost: TEXT_ENUMERATION_COST, ...match}
  }
  const candidates = view.textCandidates(terms)
  if (!candidates) return undefined
  return {
    key: undefined,
    deps: [],
    estimate: candidates.length,
    candidates: () => candidates,
    test: undefined,
  }
}

function sameAttributePath(node: ExprNode, path: FieldPath): boolean {
  const found = attributePath(node)
  return found !== undefined && found.length === path.length && found.every((n, i) => n === path[i])
}

/**
 * `a || b || …` where every side can be planned: the union of their candidates (a superset).
 * Each side may be a conjunction, planned from any one of its conjuncts. Two levels, walked with
 * loops: a query's operators nest as deep as its author likes.
 */
function orPlan(
  node: ExprNode,
  view: DatasetView,
  params: Record<string, unknown>,
): ConjunctPlan | undefined {
  const disjuncts: ExprNode[] = []
  const stack: ExprNode[] = [node]
  while (stack.length > 0) {
    let current = stack.pop() as ExprNode
    while (current.type === 'Group') current = current.base
    if (current.type === 'Or') stack.push(current.right, current.left)
    else disjuncts.push(current)
  }
  const lists: (readonly VisibleDocument[])[] = []
  let allExact = true
  // Exact sides: tested lazily, enumerated only when the filter starts from this conjunct.
  const sides: {plans: ConjunctPlan[]; best: ConjunctPlan}[] = []
  for (const disjunct of disjuncts) {
    const parts = conjuncts(disjunct)
    const plans: ConjunctPlan[] = []
    for (const part of parts) {
      if (part.type === 'Or') continue
      const plan = planConjunct(part, view, params, [])
      if (plan) plans.push(plan)
    }
    const best = plans.reduce<ConjunctPlan | undefined>(
      (a, b) => (!a || b.estimate < a.estimate ? b : a),
      undefined,
    )
    if (!best) return undefined
    // A side is exact when every one of its conjuncts is: then its candidates are its answer.
    // A superset that is empty is exact too (the Studio's `references($raw)` usually is).
    if (plans.length === parts.length && plans.every((plan) => plan.test)) {
      sides.push({plans, best})
    } else if (best.estimate > 0 || best.candidates().length > 0) {
      allExact = false
      sides.push({plans, best})
    }
  }
  const union = (): readonly VisibleDocument[] => {
    for (const {plans, best} of sides) {
      const list = best.candidates()
      const others = plans
        .filter((plan) => plan !== best && plan.test)
        .map((plan) => testerIn(plan, list))
      lists.push(list.filter((doc, position) => others.every((test) => test(doc, position))))
    }
    if (lists.length === 1) return lists[0] ?? []
    const byId = new Map<string, VisibleDocument>()
    for (const list of lists) for (const doc of list) byId.set(doc._id, doc)
    return [...byId.values()].sort(compareIds)
  }
  if (allExact) {
    let built: readonly VisibleDocument[] | undefined
    return {
      key: undefined,
      deps: [],
      estimate: sides.reduce((sum, side) => sum + side.best.estimate, 0),
      candidates: () => (built ??= union()),
      enumerationCost: Math.max(1, ...sides.map(({best}) => best.enumerationCost ?? 1)),
      test: (doc) => sides.some(({plans}) => plans.every((plan) => plan.test?.(doc))),
      testIn: (docs) => {
        const testers = sides.map(({plans}) => plans.map((plan) => testerIn(plan, docs)))
        return (doc, position) =>
          testers.some((side) => side.every((tester) => tester(doc, position)))
      },
    }
  }
  const candidates = union()
  return {
    key: undefined,
    deps: [],
    estimate: candidates.length,
    candidates: () => candidates,
    test: undefined,
  }
}

/**
 * `!(_id in path("versions.**"))`, which the Studio's global search sends: an exact test with
 * groq-js's own `Path` (every `_id` is a string, so `in` is never null and `!` never null either).
 * It names no candidates cheaply, so it only ever tests the candidates of another conjunct.
 */
function notInPathPlan(
  inner: ExprNode,
  view: DatasetView,
  params: Record<string, unknown>,
): ConjunctPlan | undefined {
  let node = inner
  while (node.type === 'Group') node = node.base
  if (node.type !== 'OpCall' || node.op !== 'in' || !sameAttributePath(node.left, ['_id'])) {
    return undefined
  }
  const right = node.right
  if (right.type !== 'FuncCall' || right.namespace !== 'global' || right.name !== 'path') {
    return undefined
  }
  const glob = right.args.length === 1 && right.args[0] && constantValue(right.args[0], params)
  if (typeof glob !== 'string') return undefined
  const path = new Path(glob)
  const test = (doc: VisibleDocument) => !path.matches(doc._id)
  const idTest = (storedId: string) => !path.matches(view.visibleId(storedId))
  return {
    idTest,
    ids: () => view.allStoredIds().filter(idTest),
    // No bucket of its own to depend on: memoised only beside a conjunct that has one (any
    // document entering or leaving that conjunct's answer touches its bucket).
    key: JSON.stringify(['!in path', glob]),
    deps: [],
    // Usually beside an indexed conjunct that is far smaller: the whole list is built only when
    // this plan is the one the filter starts from.
    estimate: view.sizeBound(),
    candidates: () => view.all().filter(test),
    test,
  }
}

/**
 * A plan for one conjunct, or undefined. `unindexed` collects the paths of equality and `in`
 * conjuncts that an index would have answered, had the path had one.
 */
function planConjunct(
  conjunct: ExprNode,
  view: DatasetView,
  params: Record<string, unknown>,
  unindexed: FieldPath[],
): ConjunctPlan | undefined {
  let node = conjunct
  // A loop, not recursion: a query's parentheses nest as deep as its author likes.
  while (node.type === 'Group') node = node.base
  if (node.type === 'FuncCall' && node.namespace === 'global' && node.name === 'references') {
    return referencesPlan(node.args, view, params)
  }
  if (node.type === 'Or') return orPlan(node, view, params)
  if (node.type === 'Not') return notInPathPlan(node.base, view, params)
  if (node.type !== 'OpCall') return undefined
  if (node.op === 'match') return matchPlan(node, view, params)
  if (node.op === '==') {
    for (const [field, constant] of [
      [node.left, node.right],
      [node.right, node.left],
    ] as const) {
      const path = attributePath(field)
      const value = path && indexableConstant(constant, params)
      if (path && value !== undefined) {
        const plan = equalsPlan(view, path, value)
        if (!plan) unindexed.push(path)
        return plan
      }
    }
    return undefined
  }
  if (node.op === 'in') {
    const path = attributePath(node.left)
    if (!path) return undefined
    const right = node.right
    if (
      right.type === 'FuncCall' &&
      right.namespace === 'global' &&
      right.name === 'path' &&
      path.length === 1 &&
      path[0] === '_id'
    ) {
      const glob = right.args[0] && indexableConstant(right.args[0], params)
      if (typeof glob !== 'string') return undefined
      const star = glob.indexOf('*')
      const candidates = view.idPrefix(star === -1 ? glob : glob.slice(0, star))
      return candidates
        ? {
            key: undefined,
            deps: [],
            estimate: candidates.length,
            candidates: () => candidates,
            test: undefined,
          }
        : undefined
    }
    const values = indexableConstantList(right, params)
    if (!values) return undefined
    const plan = inPlan(view, path, values)
    if (!plan) unindexed.push(path)
    return plan
  }
  return undefined
}

/**
 * For `*[filter]`: the candidates the indexes can name. Returns the Filter with a narrowed base,
 * or the exact result as a Value when every conjunct was answered by an index. Only the most
 * selective conjunct's list is built; the other exact conjuncts are checked per candidate.
 */
/**
 * Value nodes that hold a whole exact answer: `order()`, slices and `count()` can build on them.
 * `key` names the answer in the view's memos (undefined: not memoised); `ids`, when known, are the
 * stored ids behind its documents (answers from ids, whose documents are read only if groq-js
 * reads the Value).
 */
interface ExactAnswer {
  key: string | undefined
  deps: readonly string[]
  ids: readonly string[] | undefined
  docs(): readonly VisibleDocument[]
}
type ExactAnswers = WeakMap<ExprNode, ExactAnswer>

/**
 * A Value node for an answer known by its stored ids: its documents are read (only theirs) when
 * groq-js first reads the value. What the planner builds on it (`count()`, a slice, an ordering
 * by kept sort keys) reads the ids instead, so `count(*[_type == "x" && status == "new"])` and
 * `*[_type == "x"] | order(publishedAt desc)[20...40]` read no bodies, or forty.
 */
function idAnswer(
  view: DatasetView,
  ids: readonly string[],
  key: string | undefined,
  deps: readonly string[],
  exact: ExactAnswers,
): ExprNode {
  let docs: readonly VisibleDocument[] | undefined
  const read = (): readonly VisibleDocument[] => {
    if (docs) return docs
    const memoised = key === undefined ? undefined : view.planMemo.get(key)
    docs = memoised?.docs ?? view.documentsOf(ids)
    // Kept only while small enough for the view's document memo (`DocumentMemo`).
    if (!memoised && key !== undefined) view.planMemo.set(key, {deps, docs})
    return docs
  }
  const node = {type: 'Value'} as ExprNode & {type: 'Value'}
  Object.defineProperty(node, 'value', {enumerable: true, get: read})
  exact.set(node, {key, deps, ids, docs: read})
  lazyAnswers.add(node)
  return node
}

/** Value nodes whose documents are read on first use (`idAnswer`). */
const lazyAnswers = new WeakSet<ExprNode>()

/**
 * Reads the documents of every answer from ids left in `tree`. The cooperative evaluator calls
 * this before its first yield, so that, as with answers built from documents, a query sees the
 * documents as they were when it was planned, not after a commit that lands while it waits.
 */
function settleAnswers(tree: ExprNode): void {
  // An explicit stack: a query nests as deep as its author likes. Values hold data, not nodes.
  const stack: unknown[] = [tree]
  while (stack.length > 0) {
    const value = stack.pop()
    if (value === null || typeof value !== 'object') continue
    if ((value as {type?: unknown}).type === 'Value') {
      if (lazyAnswers.has(value as ExprNode)) void (value as {value: unknown}).value
      continue
    }
    for (const child of Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push(child)
    }
  }
}

function planFilter(
  node: ExprNode & {type: 'Filter'},
  view: DatasetView,
  params: Record<string, unknown>,
  memo: Map<string, PlanMemoEntry>,
  exact: ExactAnswers,
): ExprNode | undefined {
  const parts = conjuncts(node.expr)
  const plans: ConjunctPlan[] = []
  const unindexed: FieldPath[] = []
  let unplanned = 0
  // The conjuncts groq-js must still evaluate over the candidates: every document handed to it
  // satisfies the exact ones already (the base is filtered by all of their tests).
  const residual: ExprNode[] = []
  for (const part of parts) {
    const plan = planConjunct(part, view, params, unindexed)
    if (plan) plans.push(plan)
    else unplanned++
    if (!plan?.test) residual.push(part)
  }
  // What each index saved, or would have saved: the evidence adaptive indexes are built from.
  const scanned = plans.length === 0 ? view.all().length : Math.min(...plans.map((p) => p.estimate))
  for (const path of unindexed) view.noteUnindexed(path, scanned)
  for (const plan of plans) if (plan.path) view.noteIndexed(plan.path, plan.estimate)
  if (plans.length === 0) return undefined
  const allExact = plans.every((plan) => plan.test)
  // Each plan key is JSON text, and so is their sorted list: no two predicates share a key.
  // Exact plans without a key (text) are answered afresh each time, and so are answers that
  // depend on no index bucket (a commit would not invalidate them).
  const memoKey =
    allExact &&
    plans.every((plan) => plan.key !== undefined) &&
    plans.some((plan) => plan.deps.length > 0)
      ? JSON.stringify(plans.map((plan) => plan.key).sort())
      : undefined
  if (view.readsOnDemand && allExact && plans.every((plan) => plan.ids && plan.idTest)) {
    const {ids, deps} = filterIds(plans, view, memoKey)
    const answer = idAnswer(view, ids, memoKey, deps, exact)
    if (unplanned === 0) return answer
    const [first, ...rest] = residual
    const expr = first
      ? rest.reduce<ExprNode>((left, right) => ({type: 'And', left, right}), first)
      : node.expr
    return {...node, base: answer, expr}
  }
  let entry = memoKey === undefined ? undefined : memo.get(memoKey)
  if (!entry) {
    // The cheapest list to start from: a text match only when clearly smaller than a memoised
    // list (a Studio list's type), which is then tested against it a byte per document.
    const cost = (plan: ConjunctPlan) => plan.estimate * (plan.enumerationCost ?? 1)
    const smallest = plans.reduce((a, b) => (cost(b) < cost(a) ? b : a))
    const base = smallest.candidates()
    const tests = plans
      .filter((plan) => plan !== smallest && plan.test)
      .map((plan) => testerIn(plan, base))
    const docs =
      tests.length === 0
        ? base
        : base.filter((doc, position) => tests.every((test) => test(doc, position)))
    entry = {deps: plans.flatMap((plan) => plan.deps), docs}
    if (memoKey !== undefined) memo.set(memoKey, entry)
  }
  if (unplanned === 0 && allExact) {
    const answer: ExprNode = {type: 'Value', value: entry.docs}
    const {deps, docs} = entry
    exact.set(answer, {key: memoKey, deps, ids: undefined, docs: () => docs})
    return answer
  }
  const [first, ...rest] = residual
  const expr = first
    ? rest.reduce<ExprNode>((left, right) => ({type: 'And', left, right}), first)
    : node.expr
  return {...node, base: {type: 'Value', value: entry.docs}, expr}
}

/**
 * The stored ids satisfying every (exact, id-answerable) plan, in dataset order, from the index
 * lists alone: the smallest plan's ids, tested against the others' buckets. Memoised per view.
 */
function filterIds(
  plans: readonly ConjunctPlan[],
  view: DatasetView,
  memoKey: string | undefined,
): IdMemoEntry {
  const memoised = memoKey === undefined ? undefined : view.idMemo.get(memoKey)
  if (memoised) return memoised
  const smallest = plans.reduce((a, b) => (b.estimate < a.estimate ? b : a))
  const tests = plans
    .filter((plan) => plan !== smallest)
    .map((plan) => plan.idTest as (storedId: string) => boolean)
  const base = (smallest.ids as () => readonly string[])()
  const tested = tests.length === 0 ? base : base.filter((id) => tests.every((test) => test(id)))
  // Every candidate passed: the (possibly shared) list itself is kept rather than a copy.
  const ids = tested.length === base.length ? base : tested
  const entry: IdMemoEntry = {deps: plans.flatMap((plan) => plan.deps), ids}
  if (memoKey !== undefined) view.idMemo.set(memoKey, entry)
  return entry
}

interface PlainOrdering {
  path: FieldPath
  desc: boolean
}

/** `order()` arguments that depend on nothing but the element: attribute paths, asc or desc. */
function plainOrderings(args: ExprNode[]): PlainOrdering[] | undefined {
  const out: PlainOrdering[] = []
  for (const arg of args) {
    const desc = arg.type === 'Desc'
    const path = attributePath(arg.type === 'Asc' || arg.type === 'Desc' ? arg.base : arg)
    if (!path) return undefined
    out.push({path, desc})
  }
  return out
}

// groq-js's total order for order(): datetimes, numbers, strings, booleans, then everything
// else as equal; ties keep input order. Attribute values straight from JSON are never datetimes.
const TYPE_RANK: Record<string, number> = {number: 2, string: 3, boolean: 4}

function rank(value: unknown): number {
  return (value !== null && TYPE_RANK[typeof value]) || 100
}

function totalCompare(a: unknown, b: unknown): number {
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  if (ra === 100) return 0
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0
  return (a as number) - (b as number)
}

/**
 * Sorts as groq-js's order() does for plain attribute paths (checked against it by the corpus
 * tests). Written here because groq-js builds a scope and a value wrapper per element and key,
 * which made re-sorting a large type after each commit several times slower.
 */
function sortLikeGroq(
  docs: readonly VisibleDocument[],
  orderings: PlainOrdering[],
  count: number = docs.length,
): VisibleDocument[] {
  const n = docs.length
  // One column of sort keys per ordering, read once per document.
  const columns = orderings.map((ordering) => {
    const column: unknown[] = new Array(n)
    for (let i = 0; i < n; i++) column[i] = valueAtPath(docs[i], ordering.path) ?? null
    return column
  })
  const positions = orderedPositions(n, columns, orderings, count)
  return positions === undefined
    ? docs.slice(0, count)
    : positions.map((i) => docs[i] as VisibleDocument)
}

/**
 * The first `count` positions of `n` items in groq-js's `order()` order, given one column of sort
 * keys per ordering (null for a value that is not a string, number or boolean); undefined when
 * they are in order already.
 */
function orderedPositions(
  n: number,
  columns: readonly unknown[][],
  orderings: readonly PlainOrdering[],
  count: number,
): number[] | undefined {
  // A strict total order on positions: ties keep input order, as groq-js's stable sort does.
  const compare = (a: number, b: number): number => {
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k] as unknown[]
      const c = totalCompare(column[a], column[b])
      if (c !== 0) return orderings[k]?.desc ? -c : c
    }
    return a - b
  }
  // Planned answers come in `_id` order, which is what `order(_id)` (the Studio's global search)
  // asks for: one pass finds there is nothing to sort.
  let inOrder = true
  for (let i = 1; i < n && inOrder; i++) inOrder = compare(i - 1, i) < 0
  if (inOrder) return undefined
  if (count * 4 < n && count <= MAX_SELECTED) {
    // The first `count` only (a page of a list), kept sorted while the rest stream past.
    const kept: number[] = []
    for (let i = 0; i < n; i++) offerFirst(kept, count, compare, i)
    return kept
  }
  const positions = Array.from({length: n}, (_, i) => i)
  positions.sort(compare)
  return positions.length > count ? positions.slice(0, count) : positions
}

/**
 * Stored ids (an answer from ids) in `order()` order by sort keys kept per id, reading no body;
 * undefined when an ordering's path keeps none (`DatasetView.sortKeyOf`).
 */
function orderIds(
  ids: readonly string[],
  orderings: readonly PlainOrdering[],
  view: DatasetView,
  count: number = ids.length,
): readonly string[] | undefined {
  const keyOf = orderings.map((ordering) => view.sortKeyOf(ordering.path))
  if (!keyOf.every((key) => key !== undefined)) return undefined
  const columns = keyOf.map((key) => ids.map((id) => key(id)))
  const positions = orderedPositions(ids.length, columns, orderings, count)
  return positions === undefined ? ids.slice(0, count) : positions.map((i) => ids[i] as string)
}

/** The most documents a page is selected for without sorting every match. */
const MAX_SELECTED = 1000

/**
 * `<memoised answer> | order(a, b desc)`: sorted once and memoised with the answer's
 * dependencies, so paged lists (`| order(publishedAt desc)[20...40]`) cost a slice.
 */
function planOrder(
  node: ExprNode & {type: 'PipeFuncCall'},
  view: DatasetView,
  memo: Map<string, PlanMemoEntry>,
  exact: ExactAnswers,
): ExprNode | undefined {
  const answer = exact.get(node.base)
  if (node.name !== 'order') return undefined
  const orderings = plainOrderings(node.args)
  if (!orderings) return undefined
  if (answer?.ids && orderings.length > 0) {
    // An answer from ids, ordered by sort keys kept per id: no body is read.
    const key =
      answer.key === undefined ? undefined : JSON.stringify([answer.key, 'order', orderings])
    const memoised = key === undefined ? undefined : view.idMemo.get(key)
    const ids = memoised?.ids ?? orderIds(answer.ids, orderings, view)
    if (ids) {
      if (!memoised && key !== undefined) view.idMemo.set(key, {deps: answer.deps, ids})
      return idAnswer(view, ids, key, answer.deps, exact)
    }
  }
  if (!answer || answer.key === undefined) {
    // A planned answer that is not memoised (text search): sorted here all the same, as
    // groq-js would sort it, when every element is an object.
    const base = node.base
    if (base.type !== 'Value' || !Array.isArray(base.value) || node.args.length === 0) {
      return undefined
    }
    const docs = base.value as unknown[]
    if (!docs.every((doc) => doc !== null && typeof doc === 'object' && !Array.isArray(doc))) {
      return undefined
    }
    return {type: 'Value', value: sortLikeGroq(docs as VisibleDocument[], orderings)}
  }
  const key = JSON.stringify([answer.key, 'order', orderings])
  let entry = memo.get(key)
  if (!entry) {
    entry = {deps: answer.deps, docs: sortLikeGroq(answer.docs(), orderings)}
    memo.set(key, entry)
  }
  const {docs} = entry
  const value: ExprNode = {type: 'Value', value: docs}
  exact.set(value, {key, deps: entry.deps, ids: undefined, docs: () => docs})
  return value
}

/**
 * `<answer from ids>[m...n]` and `<answer from ids>[i]` with constant non-negative bounds: the ids
 * are sliced first, so only the documents returned are read.
 */
function planIdSlice(
  node: ExprNode & {type: 'Slice' | 'AccessElement'},
  view: DatasetView,
  exact: ExactAnswers,
): ExprNode | undefined {
  const answer = exact.get(node.base)
  if (!answer?.ids) return undefined
  if (node.type === 'AccessElement') {
    const index = node.index
    if (!Number.isInteger(index) || index < 0) return undefined
    const id = answer.ids[index]
    return {type: 'Value', value: id === undefined ? null : (view.documentsOf([id])[0] ?? null)}
  }
  const {left, right, isInclusive} = node
  if (!Number.isInteger(left) || !Number.isInteger(right) || left < 0 || right < 0) return undefined
  const ids = answer.ids.slice(left, isInclusive ? right + 1 : right)
  return idAnswer(view, ids, undefined, answer.deps, exact)
}

/**
 * `<answer>{…, "o": [a]} | order(o[0] desc) [m...n]`, the Studio's list shape (it orders on a
 * projected copy of the ordering fields): the answer's documents are sorted on the fields
 * themselves and sliced before the projection, so groq-js projects `n - m` documents instead of
 * every match. Only when each ordering names a projected attribute path, the projection has no
 * spreads, every element is an object (so projecting cannot change what is compared) and the
 * slice counts from the start.
 */
function planOrderedSlice(
  node: ExprNode & {type: 'Slice'},
  view: DatasetView,
  exact: ExactAnswers,
): ExprNode | undefined {
  const order = node.base
  if (order.type !== 'PipeFuncCall' || order.name !== 'order' || order.args.length === 0) {
    return undefined
  }
  const map = order.base
  // An answer from ids is not read here (that would read every body): its ids are ordered below.
  const fromIds = map.type === 'Map' ? exact.get(map.base) : undefined
  if (
    map.type !== 'Map' ||
    map.base.type !== 'Value' ||
    (!fromIds?.ids && !Array.isArray(map.base.value))
  ) {
    return undefined
  }
  const projection = map.expr
  if (projection.type !== 'Projection' || projection.base.type !== 'This') return undefined
  if (projection.expr.type !== 'Object') return undefined
  const projected = new Map<string, ExprNode>()
  for (const attribute of projection.expr.attributes) {
    if (attribute.type !== 'ObjectAttributeValue' || projected.has(attribute.name)) return undefined
    projected.set(attribute.name, attribute.value)
  }
  const orderings: PlainOrdering[] = []
  for (const arg of order.args) {
    const desc = arg.type === 'Desc'
    const key = arg.type === 'Asc' || arg.type === 'Desc' ? arg.base : arg
    let source: ExprNode | undefined
    if (key.type === 'AccessAttribute' && (!key.base || key.base.type === 'This')) {
      source = projected.get(key.name)
    } else if (
      key.type === 'AccessElement' &&
      key.base.type === 'AccessAttribute' &&
      (!key.base.base || key.base.base.type === 'This')
    ) {
      const array = projected.get(key.base.name)
      const element = array?.type === 'Array' ? array.elements[key.index] : undefined
      source = element && !element.isSplat ? element.value : undefined
    }
    const path = source && attributePath(source)
    if (!path) return undefined
    orderings.push({path, desc})
  }
  const {left, right, isInclusive} = node
  if (!Number.isInteger(left) || !Number.isInteger(right) || left < 0 || right < 0) return undefined
  const end = isInclusive ? right + 1 : right
  if (fromIds?.ids) {
    // Documents are objects, so projecting cannot change what is compared: the ids are ordered
    // by their kept sort keys and only the page's bodies are read.
    const ids = orderIds(fromIds.ids, orderings, view, end)
    if (ids) return {...map, base: idAnswer(view, ids.slice(left, end), undefined, [], exact)}
  }
  const docs = map.base.value as unknown[]
  if (!docs.every((doc) => doc !== null && typeof doc === 'object' && !Array.isArray(doc))) {
    return undefined
  }
  const sorted = sortLikeGroq(docs as VisibleDocument[], orderings, end)
  return {...map, base: {type: 'Value', value: sorted.slice(left, end)}}
}

export interface PreparedQuery {
  tree: ExprNode
  /** False when no `*` is left after planning, so groq-js can be given an empty dataset. */
  needsDataset: boolean
}

interface TreeFacts {
  /** Has `*[...]` filters or text::query() calls: the rewrite has work to do. */
  rewritable: boolean
  /** Reads the dataset (`*`, or `releases::*`, which scans it through a `*` of its own). */
  readsDataset: boolean
}

const treeFacts = new WeakMap<ExprNode, TreeFacts>()

/**
 * Per object of a query tree (nodes, and the arrays and attribute objects between them): whether
 * it reads the dataset. A planned tree shares every subtree the planner left alone with the
 * cached parse, so only the planner's new nodes are walked on each request.
 */
const datasetReads = new WeakMap<object, boolean>()

function readsDataset(tree: ExprNode): boolean {
  const known = datasetReads.get(tree)
  if (known !== undefined) return known
  // Post-order with an explicit stack: a query nests as deep as its author likes.
  const stack: {value: object; children: object[] | undefined}[] = [
    {value: tree, children: undefined},
  ]
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as {value: object; children: object[] | undefined}
    if (datasetReads.has(top.value)) {
      stack.pop()
      continue
    }
    if (top.children === undefined) {
      const value = top.value as {type?: unknown}
      const node =
        !Array.isArray(value) && typeof value.type === 'string' ? (value as ExprNode) : undefined
      if (
        node &&
        (node.type === 'Everything' || (node.type === 'FuncCall' && node.namespace === 'releases'))
      ) {
        datasetReads.set(top.value, true)
        stack.pop()
        continue
      }
      // A Value holds data (documents, answers), not query nodes.
      top.children =
        node?.type === 'Value'
          ? []
          : (Object.values(top.value).filter(
              (child) => child !== null && typeof child === 'object',
            ) as object[])
      for (const child of top.children) {
        if (!datasetReads.has(child)) stack.push({value: child, children: undefined})
      }
      continue
    }
    datasetReads.set(
      top.value,
      top.children.some((child) => datasetReads.get(child) === true),
    )
    stack.pop()
  }
  return datasetReads.get(tree) === true
}

function factsOf(tree: ExprNode): TreeFacts {
  let facts = treeFacts.get(tree)
  if (!facts) {
    facts = {
      rewritable: someNode(
        tree,
        (node) =>
          (node.type === 'Filter' && node.base.type === 'Everything') ||
          (node.type === 'FuncCall' && node.namespace === 'text') ||
          isCountAll(node),
      ),
      readsDataset: readsDataset(tree),
    }
    treeFacts.set(tree, facts)
  }
  return facts
}

/** `count(*)`: counted from the ids when bodies are read on demand. */
function isCountAll(node: ExprNode): boolean {
  return (
    node.type === 'FuncCall' &&
    node.namespace === 'global' &&
    node.name === 'count' &&
    node.args.length === 1 &&
    node.args[0]?.type === 'Everything'
  )
}

/** What the planner can rewrite: a filter of the whole dataset, a text:: function, `count(*)`. */
function isPlannable(node: ExprNode): boolean {
  return (
    (node.type === 'Filter' && node.base.type === 'Everything') ||
    (node.type === 'FuncCall' && node.namespace === 'text') ||
    isCountAll(node)
  )
}

/**
 * Whether a subtree holds anything the planner rewrites. Parsed trees are cached and shared, so
 * this is worked out once per node: later walks skip projections and other plain subtrees.
 */
const plannableSubtree = new WeakMap<ExprNode, boolean>()
function hasPlannable(node: ExprNode): boolean {
  let known = plannableSubtree.get(node)
  if (known === undefined) {
    known = someNode(node, isPlannable)
    plannableSubtree.set(node, known)
  }
  return known
}

/** Rewrites text::query() and narrows `*[...]` filters (and orderings of them) through indexes. */
export function prepareQuery(
  tree: ExprNode,
  params: Record<string, unknown>,
  view: DatasetView,
  refPrefix: () => string = textRefPrefix,
): PreparedQuery {
  const facts = factsOf(tree)
  if (!facts.rewritable) return {tree, needsDataset: facts.readsDataset}
  view.noteQuery()
  // The Studio's search pages: found by the text index, only the page's documents read.
  const paged = planSearchPage(tree, params, view) ?? tree
  // Combined candidate sets are memoised per view until the next commit.
  const memo = view.planMemo
  const exact: ExactAnswers = new WeakMap()
  const rewritten = rewriteNode(
    paged,
    (node) => {
      const text = rewriteTextQuery(node, params, refPrefix)
      if (text) return text
      if (node.type === 'Filter' && node.base.type === 'Everything') {
        return planFilter(node, view, params, memo, exact)
      }
      if (node.type === 'PipeFuncCall') return planOrder(node, view, memo, exact)
      if (node.type === 'Slice') {
        return planIdSlice(node, view, exact) ?? planOrderedSlice(node, view, exact)
      }
      if (node.type === 'AccessElement') return planIdSlice(node, view, exact)
      if (isCountAll(node) && view.readsOnDemand) {
        // Every visible document, counted from the ids: reading a million bodies to count them
        // is what `count(*)` cost before.
        return {type: 'Value', value: view.countAll()}
      }
      if (
        node.type === 'FuncCall' &&
        node.namespace === 'global' &&
        node.name === 'count' &&
        node.args.length === 1 &&
        node.args[0]?.type === 'Value'
      ) {
        // count() of an answered filter: groq-js would walk the array only to count it. An
        // answer from ids is counted by its ids, reading no body (its value is not touched).
        const arg = node.args[0]
        const ids = exact.get(arg)?.ids
        if (ids) return {type: 'Value', value: ids.length}
        if (Array.isArray(arg.value)) return {type: 'Value', value: arg.value.length}
      }
      return undefined
    },
    hasPlannable,
  )
  return {tree: rewritten, needsDataset: readsDataset(rewritten)}
}

export interface RunOptions {
  params: Record<string, unknown>
  identity?: string | undefined
  timestamp?: Date | undefined
  sanity?: {projectId: string; dataset: string} | undefined
  /** Counters the evaluation adds to (the store's `queryStats()`). */
  stats?: Pick<QueryStats, 'subqueryEvaluations'> | undefined
}

/**
 * A query that only groq-js's asynchronous `evaluate` can run: it implements some functions
 * (`diff::changedAny`, `diff::changedOnly`, `delta::*`) there only. `runQueryAsync` falls back
 * to it; the synchronous `runQuery` reports it as this 400.
 */
export class NeedsAsyncEvaluation extends LakeError {}

/** groq-js's message for an executor that exists only in its asynchronous evaluator. */
const SYNC_UNSUPPORTED = 'executeSync not supported'

type Mode = 'sync' | 'async'

/**
 * One evaluation of one query: the secret `_ref` prefixes its rewrites use, and the answers of
 * its hoisted subqueries (each evaluated once, on first use).
 */
class Evaluation {
  private readonly view: DatasetView
  private readonly options: RunOptions
  /** One clock for the whole query, subqueries included, so `now()` agrees with itself. */
  private readonly timestamp: Date
  private textPrefix: string | undefined
  private stubPrefix: string | undefined
  private subqueries: ExprNode[] = []
  private readonly answers = new Map<number, unknown>()

  constructor(view: DatasetView, options: RunOptions) {
    this.view = view
    this.options = options
    this.timestamp = options.timestamp ?? new Date()
  }

  prepare(tree: ExprNode): PreparedQuery {
    let main = tree
    if (hasHoistable(tree)) {
      const hoisted = hoistSubqueries(tree, (index) => this.stub(index))
      if (hoisted) {
        main = hoisted.tree
        this.subqueries = hoisted.subqueries
      }
    }
    return prepareQuery(main, this.options.params, this.view, () => this.textRefPrefix())
  }

  private textRefPrefix(): string {
    this.textPrefix ??= textRefPrefix()
    return this.textPrefix
  }

  /** `{"_ref": <secret>i}->`: answered by `dereference` with subquery i's value. */
  private stub(index: number): ExprNode {
    // Ids cannot contain NUL, and the random part is this query's own: no stored `_ref` reaches it.
    this.stubPrefix ??= `\u0000subquery:${randomUUID()}:`
    return {type: 'Deref', base: {type: 'Value', value: {_ref: this.stubPrefix + String(index)}}}
  }

  evaluateOptions(prepared: PreparedQuery, mode: Mode) {
    const {view, options} = this
    if (mode === 'async') settleAnswers(prepared.tree)
    return {
      dataset: prepared.needsDataset ? view.all() : [],
      params: options.params,
      ...(options.identity === undefined ? {} : {identity: options.identity}),
      timestamp: this.timestamp,
      ...(options.sanity === undefined ? {} : {sanity: options.sanity}),
      // The hook's declared return type is a document; groq-js accepts any value from it.
      dereference: ({_ref}: {_ref: string}) =>
        this.dereference(_ref, mode) as VisibleDocument | null | Promise<VisibleDocument | null>,
    }
  }

  private dereference(ref: string, mode: Mode): unknown {
    if (this.textPrefix !== undefined && ref.startsWith(this.textPrefix)) {
      const doc = this.view.get(ref.slice(this.textPrefix.length))
      return doc ? deepText(doc) : null
    }
    if (this.stubPrefix !== undefined && ref.startsWith(this.stubPrefix)) {
      return this.subquery(Number(ref.slice(this.stubPrefix.length)), mode)
    }
    return this.view.get(ref)
  }

  private subquery(index: number, mode: Mode): unknown {
    if (this.answers.has(index)) return this.answers.get(index)
    const tree = this.subqueries[index]
    if (!tree) return null
    if (this.options.stats) this.options.stats.subqueryEvaluations++
    const prepared = prepareQuery(tree, this.options.params, this.view, () => this.textRefPrefix())
    // The value's own data, not toJS(): datetimes and paths keep their GROQ types.
    let answer: unknown
    if (mode === 'sync') {
      answer = evaluateSync(prepared.tree, this.evaluateOptions(prepared, mode)).data
    } else {
      answer = Promise.resolve(evaluate(prepared.tree, this.evaluateOptions(prepared, mode))).then(
        async (value) => (value.type === 'stream' ? (await value.asStatic()).data : value.data),
      )
    }
    this.answers.set(index, answer)
    return answer
  }
}

function evaluationError(query: string, error: unknown): LakeError {
  if (error instanceof LakeError) return error
  const description = error instanceof Error ? error.message : String(error)
  if (description === SYNC_UNSUPPORTED) {
    return new NeedsAsyncEvaluation(
      400,
      'queryExecutionError',
      'This query uses a function only the asynchronous evaluator implements',
      {query, start: 0, end: query.length},
    )
  }
  // groq-js only finds unknown (or unimplemented, e.g. geo::) functions when it evaluates
  // them; Content Lake rejects unknown functions when it parses, so they are reported the same
  // way. Other evaluation errors also come from the query (e.g. boost() outside score()).
  const unsupported = /^Unknown (pipe )?function|not implemented/.test(description)
  return new LakeError(400, unsupported ? 'queryParseError' : 'queryExecutionError', description, {
    query,
    start: 0,
    end: query.length,
  })
}

type EvaluateOptions = NonNullable<Parameters<typeof evaluateSync>[1]>

/** One query planned on a view, with groq-js's options for either evaluator. */
export interface PlannedEvaluation {
  tree: ExprNode
  options(mode: Mode): EvaluateOptions
}

/**
 * Plans a parsed query for evaluators outside this module (`budget.ts`, which runs it within a
 * time budget): hoisted subqueries, secret `_ref` prefixes and the dereference hook, as
 * `runQuery` uses them.
 */
export function planEvaluation(
  tree: ExprNode,
  view: DatasetView,
  options: RunOptions,
): PlannedEvaluation {
  const evaluation = new Evaluation(view, options)
  const prepared = evaluation.prepare(tree)
  return {
    tree: prepared.tree,
    options: (mode) => evaluation.evaluateOptions(prepared, mode) as EvaluateOptions,
  }
}

/** An error thrown while evaluating, as Content Lake reports it. */
export function toEvaluationError(query: string, error: unknown): LakeError {
  return evaluationError(query, error)
}

/** Evaluates a query against a view: planner, dereference hook, groq-js `evaluateSync`. */
export function runQuery(query: string, view: DatasetView, options: RunOptions): unknown {
  const tree = parseQuery(query, options.params)
  const evaluation = new Evaluation(view, options)
  try {
    const prepared = evaluation.prepare(tree)
    return toJS(
      withoutBudget(() =>
        evaluateSync(prepared.tree, evaluation.evaluateOptions(prepared, 'sync')),
      ),
    )
  } catch (error) {
    throw evaluationError(query, error)
  }
}

/**
 * `runQuery`, falling back to groq-js's asynchronous `evaluate` for the queries only it can run.
 * The synchronous evaluator stays the first choice: it is several times faster.
 */
export async function runQueryAsync(
  query: string,
  view: DatasetView,
  options: RunOptions,
): Promise<unknown> {
  try {
    return runQuery(query, view, options)
  } catch (error) {
    if (!(error instanceof NeedsAsyncEvaluation)) throw error
  }
  const tree = parseQuery(query, options.params)
  const evaluation = new Evaluation(view, options)
  try {
    const prepared = evaluation.prepare(tree)
    const value = await evaluate(prepared.tree, evaluation.evaluateOptions(prepared, 'async'))
    return await value.get()
  } catch (error) {
    throw evaluationError(query, error)
  }
}
