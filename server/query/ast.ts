import type {ExprNode} from 'groq-js'

import {type FieldPath, type IndexableValue, isIndexableValue} from '../store/mirror'

/**
 * Small helpers over groq-js's AST. groq-js exposes node types but no visitor; the tree is plain
 * data, so a generic copy-on-write walk covers every node kind, including ones added later. A
 * query is user data: every walk here keeps an explicit stack, so no nesting of parentheses,
 * arrays or operators can overflow the call stack.
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

/** One array, node or plain object of the tree whose children are being rewritten. */
interface Frame {
  value: Record<string, unknown> | unknown[]
  /** Nodes get `visit`ed once their children are done; arrays and plain objects do not. */
  isNode: boolean
  /** The keys that hold objects: only objects can hold nodes, so primitives are skipped. */
  keys: string[]
  next: number
  copy: Record<string, unknown> | unknown[] | undefined
}

function objectKeys(value: Record<string, unknown> | unknown[]): string[] {
  const keys: string[] = []
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key]
    if (child !== null && typeof child === 'object') keys.push(key)
  }
  return keys
}

/**
 * Post-order, copy-on-write rewrite: children first, then `visit` may replace the node. The input
 * tree is never mutated (parsed trees are cached and shared). `Value` payloads are data, not AST,
 * so the walk never enters them; nor does it enter a node for which `enter` says no.
 */
export function rewriteNode(node: Node, visit: Visitor, enter?: Enter): Node {
  const stack: Frame[] = []
  let result: unknown
  /** Starts on a value: pushes a frame, or sets `result` when there is nothing to walk. */
  const begin = (value: unknown): boolean => {
    if (value === null || typeof value !== 'object') {
      result = value
      return false
    }
    const container = value as Record<string, unknown> | unknown[]
    if (isNode(container)) {
      if (enter && !enter(container)) {
        result = container
        return false
      }
      if (container.type === 'Value') {
        result = visit(container) ?? container
        return false
      }
    }
    const keys = objectKeys(container)
    stack.push({value: container, isNode: isNode(container), keys, next: 0, copy: undefined})
    return true
  }
  /** The finished child `next` goes in at the frame's current key (copying the frame once). */
  const settle = (frame: Frame, next: unknown): void => {
    const key = frame.keys[frame.next++] as string
    const before = (frame.value as Record<string, unknown>)[key]
    if (next === before) return
    frame.copy ??= Array.isArray(frame.value) ? [...frame.value] : {...frame.value}
    ;(frame.copy as Record<string, unknown>)[key] = next
  }

  if (!begin(node)) return result as Node
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.next < frame.keys.length) {
      const child = (frame.value as Record<string, unknown>)[frame.keys[frame.next] as string]
      if (!begin(child)) settle(frame, result)
      continue
    }
    stack.pop()
    let out = (frame.copy ?? frame.value) as unknown
    if (frame.isNode) out = visit(out as Node) ?? out
    const parent = stack[stack.length - 1]
    if (parent) settle(parent, out)
    else result = out
  }
  return result as Node
}

export function someNode(node: unknown, predicate: (node: Node) => boolean): boolean {
  const stack: unknown[] = [node]
  while (stack.length > 0) {
    const value = stack.pop()
    if (value === null || typeof value !== 'object') continue
    if (isNode(value)) {
      if (predicate(value)) return true
      if (value.type === 'Value') continue
    }
    for (const child of Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push(child)
    }
  }
  return false
}

function withoutGroups(node: Node): Node {
  let current = node
  while (current.type === 'Group') current = current.base
  return current
}

/** `a && b && c` as `[a, b, c]`, looking through parentheses. */
export function conjuncts(node: Node): Node[] {
  const out: Node[] = []
  const stack: Node[] = [node]
  while (stack.length > 0) {
    const current = withoutGroups(stack.pop() as Node)
    // Right first, so the left side comes off the stack (and into `out`) first.
    if (current.type === 'And') stack.push(current.right, current.left)
    else out.push(current)
  }
  return out
}

/** The attribute path of `a.b.c` relative to `@`, or undefined for anything else. */
export function attributePath(node: Node): FieldPath | undefined {
  const names: string[] = []
  let current = node
  for (;;) {
    current = withoutGroups(current)
    if (current.type !== 'AccessAttribute') return undefined
    names.push(current.name)
    if (!current.base || current.base.type === 'This') return names.reverse()
    current = current.base
  }
}

const NOT_CONSTANT: unique symbol = Symbol('not constant')

/** A literal's or a parameter's value; `NOT_CONSTANT` for arrays and anything data-dependent. */
function scalarConstant(node: Node, params: Record<string, unknown>): unknown {
  if (node.type === 'Value') return node.value
  if (node.type === 'Parameter') return Object.hasOwn(params, node.name) ? params[node.name] : null
  return NOT_CONSTANT
}

/** The value of a literal or a parameter; `NOT_CONSTANT` for anything that depends on data. */
export function constantValue(
  node: Node,
  params: Record<string, unknown>,
): unknown | typeof NOT_CONSTANT {
  const root = withoutGroups(node)
  if (root.type !== 'Array') return scalarConstant(root, params)
  const stack: {node: Node & {type: 'Array'}; out: unknown[]; next: number}[] = [
    {node: root, out: [], next: 0},
  ]
  for (;;) {
    const frame = stack[stack.length - 1] as (typeof stack)[number]
    const element = frame.node.elements[frame.next++]
    if (element) {
      if (element.isSplat) return NOT_CONSTANT
      const value = withoutGroups(element.value)
      if (value.type === 'Array') {
        stack.push({node: value, out: [], next: 0})
        continue
      }
      const constant = scalarConstant(value, params)
      if (constant === NOT_CONSTANT) return NOT_CONSTANT
      frame.out.push(constant)
      continue
    }
    stack.pop()
    const parent = stack[stack.length - 1]
    if (!parent) return frame.out
    parent.out.push(frame.out)
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
