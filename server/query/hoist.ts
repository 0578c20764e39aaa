import type {ExprNode} from 'groq-js'

/**
 * Subqueries that do not depend on the row they sit in are evaluated once per query.
 *
 * groq-js evaluates `*[_id in *[_type == "organisation"]._id]` by running the inner `*[...]`
 * again for every document the outer filter tests: nested once it is quadratic, nested twice
 * cubic. A subquery whose text never says `^` reads nothing from the row around it (inside
 * `*[...]`, `@` and bare attributes are its own elements), so its answer is the same for every
 * row. Such a subtree is replaced by a stub, `{"_ref": <secret>}->`, which the query's dereference
 * hook answers by evaluating the subtree the first time and reusing the answer after that. The
 * stub is lazy, so a subquery the outer query never reaches costs nothing, and the answer keeps
 * groq-js's own values (datetimes stay datetimes).
 *
 * Walked with an explicit stack: a query is user input, and its nesting must not be able to
 * overflow the call stack.
 */

/** Hoisted subtrees, numbered by their stub; a subtree may contain stubs of earlier ones. */
export interface Hoisted {
  tree: ExprNode
  subqueries: ExprNode[]
}

/** The children groq-js evaluates with `@` bound to each element of the node's `base`. */
function opensRowScope(node: ExprNode, key: string): boolean {
  switch (node.type) {
    case 'Filter':
    case 'Map':
    case 'FlatMap':
    case 'Projection':
      return key === 'expr'
    case 'PipeFuncCall':
      return key === 'args'
    default:
      return false
  }
}

/** Nodes whose `base` is the only input besides row-scoped children: a stub base keeps them constant. */
const EXTENDS_STUB = new Set<string>([
  'Filter',
  'Map',
  'FlatMap',
  'Projection',
  'PipeFuncCall',
  'AccessElement',
  'Slice',
  'AccessAttribute',
  'ArrayCoerce',
])

function isNode(value: unknown): value is ExprNode {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as {type?: unknown}).type === 'string'
  )
}

interface Frame {
  /** The value being rebuilt: a node, a non-node object (e.g. an array element) or an array. */
  value: object
  /** Inside a row scope: per-row evaluation, where hoisting pays. */
  scoped: boolean
  /** The keys (or array indexes) of the children that can hold nodes, visited in order. */
  keys: string[]
  next: number
  /** Rewritten children, by key, once they are done. */
  done: Map<string, unknown>
  hasParent: boolean
  /** The stub index of a child that became a stub, by key. */
  stubs: Map<string, number>
}

interface Result {
  value: unknown
  hasParent: boolean
  /** When the value is a stub: its index. */
  stub: number | undefined
}

/**
 * Returns the tree with row-independent subqueries replaced by stubs (`stub(i)` builds the node
 * for subquery `i`), or undefined when there is nothing to hoist.
 */
export function hoistSubqueries(
  tree: ExprNode,
  stub: (index: number) => ExprNode,
): Hoisted | undefined {
  const subqueries: ExprNode[] = []

  const makeStub = (subtree: ExprNode): Result => {
    const index = subqueries.push(subtree) - 1
    return {value: stub(index), hasParent: false, stub: index}
  }

  const frame = (value: object, scoped: boolean): Frame => ({
    value,
    scoped,
    keys: Array.isArray(value)
      ? value.map((_, i) => String(i))
      : // A Value's payload is data, never AST.
        isNode(value) && value.type === 'Value'
        ? []
        : Object.keys(value).filter((key) => {
            const child: unknown = (value as Record<string, unknown>)[key]
            return child !== null && typeof child === 'object'
          }),
    next: 0,
    done: new Map(),
    hasParent: isNode(value) && value.type === 'Parent',
    stubs: new Map(),
  })

  const finish = (current: Frame): Result => {
    let value: object = current.value
    let changed = false
    for (const [key, child] of current.done) {
      if (child !== (current.value as Record<string, unknown>)[key]) changed = true
    }
    if (changed) {
      if (Array.isArray(current.value)) {
        value = current.value.map((item, i) =>
          current.done.has(String(i)) ? current.done.get(String(i)) : item,
        )
      } else {
        const copy: Record<string, unknown> = {...(current.value as Record<string, unknown>)}
        for (const [key, child] of current.done) copy[key] = child
        value = copy
      }
    }
    if (!isNode(value) || !current.scoped || current.hasParent) {
      return {value, hasParent: current.hasParent, stub: undefined}
    }
    if (value.type === 'Filter' && value.base.type === 'Everything') return makeStub(value)
    const baseStub = current.stubs.get('base')
    if (EXTENDS_STUB.has(value.type) && baseStub !== undefined) {
      // The stub's subquery grows to take this node in: one subquery per maximal
      // row-independent subtree, rather than a chain of stubs each reading the last.
      const grown = {...value, base: subqueries[baseStub]} as ExprNode
      subqueries[baseStub] = grown
      return {value: stub(baseStub), hasParent: false, stub: baseStub}
    }
    return {value, hasParent: false, stub: undefined}
  }

  const stack: Frame[] = [frame(tree, false)]
  let result: Result | undefined
  while (stack.length > 0) {
    const current = stack[stack.length - 1] as Frame
    if (result !== undefined) {
      const key = current.keys[current.next - 1] as string
      current.done.set(key, result.value)
      if (result.hasParent) current.hasParent = true
      if (result.stub !== undefined) current.stubs.set(key, result.stub)
      result = undefined
    }
    const key = current.keys[current.next]
    if (key === undefined) {
      stack.pop()
      result = finish(current)
      continue
    }
    current.next++
    const child = (current.value as Record<string, unknown>)[key] as object
    const owner = Array.isArray(current.value) ? undefined : current.value
    const scoped = current.scoped || (isNode(owner) && opensRowScope(owner, key))
    stack.push(frame(child, scoped))
  }
  if (subqueries.length === 0 || result === undefined) return undefined
  return {tree: result.value as ExprNode, subqueries}
}

/** Whether a tree has a subquery `hoistSubqueries` would hoist (cached: parsed trees are shared). */
const hoistable = new WeakMap<ExprNode, boolean>()
export function hasHoistable(tree: ExprNode): boolean {
  let known = hoistable.get(tree)
  if (known === undefined) {
    known = hoistSubqueries(tree, () => ({type: 'Value', value: null})) !== undefined
    hoistable.set(tree, known)
  }
  return known
}
