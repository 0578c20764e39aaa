import type {ExprNode} from 'groq-js'

import {type FieldPath, type IndexableValue, isIndexableValue} from '../store/mirror'

/**
 * Small helpers over groq-js's AST. groq-js exposes node types but no visitor; the tree is plain
 * data, so a generic copy-on-write walk covers every node kind, including ones added later.
 */

type Node = ExprNode
type Visitor = (node: Node) => Node | undefined
/** Whether the walk should enter a node at all (false: it and its subtree stay as they are). */
type Enter = (node: Node) => boolean

function isNode(value: unknown): value is Node {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as {type?: unknown}).type === 'string'
  )
}

function rewriteAny(value: unknown, visit: Visitor, enter?: Enter): unknown {
  if (Array.isArray(value)) {
    let changed = false
    const out = value.map((item: unknown) => {
      const next = rewriteAny(item, visit, enter)
      if (next !== item) changed = true
      return next
    })
    return changed ? out : value
  }
  if (isNode(value)) return rewriteNode(value, visit, enter)
  if (value !== null && typeof value === 'object') return rewriteFields(value, visit, enter)
  return value
}

function rewriteFields<T extends object>(node: T, visit: Visitor, enter?: Enter): T {
  let copy: Record<string, unknown> | undefined
  for (const key in node) {
    const child: unknown = node[key]
    // Only objects can hold nodes; skipping primitives keeps the walk cheap (it runs per query).
    if (child === null || typeof child !== 'object') continue
    const next = rewriteAny(child, visit, enter)
    if (next !== child) {
      copy ??= {...(node as Record<string, unknown>)}
      copy[key] = next
    }
  }
  return (copy as T | undefined) ?? node
}

/**
 * Post-order, copy-on-write rewrite: children first, then `visit` may replace the node. The input
 * tree is never mutated (parsed trees are cached and shared). `Value` payloads are data, not AST,
 * so the walk never enters them; nor does it enter a node for which `enter` says no.
 */
export function rewriteNode(node: Node, visit: Visitor, enter?: Enter): Node {
  if (enter && !enter(node)) return node
  const withChildren = node.type === 'Value' ? node : rewriteFields(node, visit, enter)
  return visit(withChildren) ?? withChildren
}

export function someNode(node: unknown, predicate: (node: Node) => boolean): boolean {
  if (Array.isArray(node)) return node.some((item) => someNode(item, predicate))
  if (node === null || typeof node !== 'object') return false
  if (isNode(node)) {
    if (predicate(node)) return true
    if (node.type === 'Value') return false
  }
  return Object.values(node).some((child) => someNode(child, predicate))
}

/** `a && b && c` as `[a, b, c]`, looking through parentheses. */
export function conjuncts(node: Node): Node[] {
  if (node.type === 'Group') return conjuncts(node.base)
  if (node.type === 'And') return [...conjuncts(node.left), ...conjuncts(node.right)]
  return [node]
}

/** The attribute path of `a.b.c` relative to `@`, or undefined for anything else. */
export function attributePath(node: Node): FieldPath | undefined {
  if (node.type === 'Group') return attributePath(node.base)
  if (node.type !== 'AccessAttribute') return undefined
  if (!node.base || node.base.type === 'This') return [node.name]
  const parent = attributePath(node.base)
  return parent ? [...parent, node.name] : undefined
}

const NOT_CONSTANT: unique symbol = Symbol('not constant')

/** The value of a literal or a parameter; `NOT_CONSTANT` for anything that depends on data. */
export function constantValue(
  node: Node,
  params: Record<string, unknown>,
): unknown | typeof NOT_CONSTANT {
  switch (node.type) {
    case 'Value':
      return node.value
    case 'Parameter':
      return Object.hasOwn(params, node.name) ? params[node.name] : null
    case 'Group':
      return constantValue(node.base, params)
    case 'Array': {
      const out: unknown[] = []
      for (const element of node.elements) {
        if (element.isSplat) return NOT_CONSTANT
        const value = constantValue(element.value, params)
        if (value === NOT_CONSTANT) return NOT_CONSTANT
        out.push(value)
      }
      return out
    }
    default:
      return NOT_CONSTANT
  }
}

export function isConstant(value: unknown): boolean {
  return value !== NOT_CONSTANT
}

export function indexableConstant(
  node: Node,
  params: Record<string, unknown>,
): IndexableValue | undefined {
  const value = constantValue(node, params)
  return isIndexableValue(value) ? value : undefined
}

export function indexableConstantList(
  node: Node,
  params: Record<string, unknown>,
): IndexableValue[] | undefined {
  const value = constantValue(node, params)
  if (!Array.isArray(value)) return undefined
  return value.every(isIndexableValue) ? (value as IndexableValue[]) : undefined
}
