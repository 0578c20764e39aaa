/**
 * The step counter budgets read (`budget.ts`). It lives apart so that the store can give the
 * arrays of stored documents a step-counting iterator without importing the query engine.
 */

let ticks = 0
const TICK_MASK = 1023
let onTick: () => void = () => undefined

/** Set once by `budget.ts`: what runs every 1,024 steps (the running budget looks at its clock). */
export function onEvery1024Steps(handler: () => void): void {
  onTick = handler
}

/**
 * True while an evaluation that is no query's (the lake asking itself something, e.g. whether a
 * public document uses an asset) runs inside one that is: its steps must not run the outer
 * query's clock, whose throw would end the inner evaluation as if it were a fault of its own.
 */
let unbudgeted = false

/** One unit of groq-js work. */
export function step(): void {
  if ((++ticks & TICK_MASK) === 0 && !unbudgeted) onTick()
}

/** Runs a synchronous evaluation that no running query's budget counts. */
export function withoutBudget<T>(run: () => T): T {
  const outer = unbudgeted
  unbudgeted = true
  try {
    return run()
  } finally {
    unbudgeted = outer
  }
}

/** Runs a budgeted synchronous section: its steps count, even inside `withoutBudget`. */
export function budgeted<T>(run: () => T): T {
  const outer = unbudgeted
  unbudgeted = false
  try {
    return run()
  } finally {
    unbudgeted = outer
  }
}

/**
 * Arrays whose items are arrays or nulls never reach groq-js's `getType` when its synchronous
 * evaluator loops over them (`$p[$p[$p[@]]]` makes no value at all), so their own iterator counts
 * the steps instead.
 */
function steppingIterator(this: readonly unknown[]): IterableIterator<unknown> {
  const array = this
  let index = 0
  const iterator: IterableIterator<unknown> = {
    next() {
      step()
      return index < array.length
        ? {value: array[index++], done: false}
        : {value: undefined, done: true}
    },
    [Symbol.iterator]() {
      return iterator
    },
  }
  return iterator
}

const stepping = new WeakSet<readonly unknown[]>()

/**
 * Gives every array in `value` (walked with a stack) the step-counting iterator, as an own,
 * non-enumerable property: JSON, equality checks and index access do not see it. For what the
 * lake hands groq-js: parameters, the dataset list, stored documents.
 */
export function countSteps(value: unknown): void {
  const stack = [value]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next === null || typeof next !== 'object') continue
    if (Array.isArray(next)) {
      if (stepping.has(next)) continue
      stepping.add(next)
      Object.defineProperty(next, Symbol.iterator, {value: steppingIterator})
      for (const item of next as unknown[]) stack.push(item)
    } else {
      for (const item of Object.values(next)) stack.push(item)
    }
  }
}

/** `countSteps` for one list, without walking its items. */
export function countListSteps(list: readonly unknown[]): void {
  if (stepping.has(list)) return
  stepping.add(list)
  Object.defineProperty(list, Symbol.iterator, {value: steppingIterator})
}
