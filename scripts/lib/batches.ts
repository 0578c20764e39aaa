/**
 * Splits documents into transactions so that every strong reference points at a document that
 * already exists when its transaction commits: documents referencing each other (cycles) share a
 * transaction, and transactions are ordered so targets come first. The Content Lake checks strong
 * references at commit, so any other split can fail half-way through an import.
 */
import {findReferences} from './documents'
import type {DatasetDocument} from './ndjson'

export interface BatchLimits {
  /** Documents per transaction (a group of mutually referencing documents is never split). */
  maxDocuments: number
  /** Approximate JSON bytes per transaction; Sanity's mutation body limit is 4,000,000. */
  maxBytes: number
}

export const defaultBatchLimits: BatchLimits = {maxDocuments: 100, maxBytes: 1_000_000}

/** Strongly connected components in dependency order (targets before referrers), by Tarjan. */
function orderedComponents(documents: readonly DatasetDocument[]): DatasetDocument[][] {
  const byId = new Map(documents.map((d) => [d._id, d]))
  const edges = new Map<string, string[]>()
  for (const document of documents) {
    const targets = findReferences(document)
      .filter((r) => !r.weak && r.ref !== document._id && byId.has(r.ref))
      .map((r) => r.ref)
    edges.set(document._id, [...new Set(targets)])
  }

  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: DatasetDocument[][] = []

  // Iterative to survive long reference chains in large datasets.
  for (const start of documents) {
    if (index.has(start._id)) continue
    const work: {id: string; next: number}[] = [{id: start._id, next: 0}]
    index.set(start._id, counter)
    low.set(start._id, counter++)
    stack.push(start._id)
    onStack.add(start._id)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const targets = edges.get(frame.id) ?? []
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!
        if (!index.has(target)) {
          index.set(target, counter)
          low.set(target, counter++)
          stack.push(target)
          onStack.add(target)
          work.push({id: target, next: 0})
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!))
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: DatasetDocument[] = []
        let id: string | undefined
        do {
          id = stack.pop()!
          onStack.delete(id)
          component.push(byId.get(id)!)
        } while (id !== frame.id)
        // Tarjan emits a component only after everything it references: dependency order.
        components.push(component.reverse())
      }
    }
  }
  return components
}

/** Transactions to write, in order; each is a list of documents. */
export function planBatches(
  documents: readonly DatasetDocument[],
  limits: BatchLimits = defaultBatchLimits,
): DatasetDocument[][] {
  const batches: DatasetDocument[][] = []
  let current: DatasetDocument[] = []
  let currentBytes = 0
  for (const component of orderedComponents(documents)) {
    const bytes = component.reduce((sum, d) => sum + JSON.stringify(d).length, 0)
    const fits =
      current.length + component.length <= limits.maxDocuments &&
      currentBytes + bytes <= limits.maxBytes
    if (!fits && current.length > 0) {
      batches.push(current)
      current = []
      currentBytes = 0
    }
    current.push(...component)
    currentBytes += bytes
  }
  if (current.length > 0) batches.push(current)
  return batches
}
