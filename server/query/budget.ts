/**
 * Bounds on user GROQ: what parsing may cost (checked on the text before groq-js sees it, and on
 * the tree after), how long evaluation may run, how long it may hold the event loop at once, and
 * how large its answer may be. See `server/query/README.md`, "Budgets", for the design.
 *
 * groq-js cannot be interrupted from outside, so it is watched from inside, through two of its
 * own seams:
 * - every value groq-js wraps passes `getType`, which asks `value instanceof Path`: `Path` is
 *   exported, and its `Symbol.hasInstance` counts those steps. Every 1,024 steps the running
 *   budget looks at the clock (and may throw, which unwinds groq-js's synchronous evaluator
 *   cleanly; in the async one it throws only to end a stretch that would not yield).
 * - in its async evaluator, every loop over an array or stream is a `for await` over the value's
 *   `Symbol.asyncIterator`; wrapping that method on groq-js's two value classes lets a budgeted
 *   evaluation yield the event loop (`setImmediate`) between slices, and park for good once its
 *   budget is spent, its client is gone or its caller has been answered.
 */
import {AsyncLocalStorage} from 'node:async_hooks'

import {type ExprNode, evaluate, evaluateSync, parse, Path} from 'groq-js'

import {LakeError} from '../store/types'
import {parseQuery, planEvaluation, type RunOptions, toEvaluationError} from './engine'
import {COOPERATIVE_SLICE_MS, MAX_UNYIELDING_MS, type ParseLimits, type QueryLimits} from './limits'
import {budgeted, countListSteps, countSteps, onEvery1024Steps, step} from './steps'
import type {DatasetView} from './views'

type EvaluateOptions = NonNullable<Parameters<typeof evaluateSync>[1]>
type GroqValue = ReturnType<typeof evaluateSync>

// ---------------------------------------------------------------------------------------------
// Parse limits

function parseLimitError(
  query: string,
  description: string,
  start: number,
  echoQuery: boolean,
): LakeError {
  return new LakeError(400, 'queryParseError', description, {
    ...(echoQuery ? {query} : {}),
    start,
    end: Math.min(start + 1, query.length),
  })
}

const WORD = /[\w$@^]/

/**
 * Refuses query text over the byte, token or nesting limits, in one linear pass that never
 * recurses and skips string literals and comments. Tokens are counted generously (each operator
 * character is one), so the count is an upper bound of groq-js's.
 */
export function checkQueryText(query: string, limits: ParseLimits): void {
  // A frontend sends the same few queries again and again: one that passed these limits passes
  // them again (a scan per request was a thirtieth of a by-slug request's time).
  let passed = PASSED.get(limits)
  if (passed?.has(query)) return
  checkQueryTextOnce(query, limits)
  if (query.length > MAX_PASSED_QUERY_LENGTH) return
  if (!passed) PASSED.set(limits, (passed = new Set()))
  if (passed.size >= MAX_PASSED_QUERIES) passed.clear()
  passed.add(query)
}

/** Query texts that passed each set of limits (bounded: cleared when full). */
const PASSED = new WeakMap<ParseLimits, Set<string>>()
const MAX_PASSED_QUERIES = 1_000
/** Longer texts are checked every time: the memo holds at most 10 M characters per set of limits. */
const MAX_PASSED_QUERY_LENGTH = 10_000

function checkQueryTextOnce(query: string, limits: ParseLimits): void {
  // UTF-8 never takes fewer bytes than UTF-16 units, so the cheap length test comes first.
  const bytes = query.length > limits.maxQueryBytes ? Infinity : Buffer.byteLength(query)
  if (bytes > limits.maxQueryBytes) {
    throw parseLimitError(
      query,
      `Query text is larger than the limit of ${limits.maxQueryBytes} bytes`,
      0,
      false,
    )
  }
  let tokens = 0
  let depth = 0
  let i = 0
  const n = query.length
  while (i < n) {
    const c = query[i] as string
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i++
      continue
    }
    const start = i
    if (c === '"' || c === "'") {
      i++
      while (i < n && query[i] !== c) i += query[i] === '\\' ? 2 : 1
      i++
    } else if (c === '/' && query[i + 1] === '/') {
      while (i < n && query[i] !== '\n') i++
      continue
    } else if (WORD.test(c)) {
      while (i < n && WORD.test(query[i] as string)) i++
    } else {
      if (c === '(' || c === '[' || c === '{') {
        if (++depth > limits.maxNestingDepth) {
          throw parseLimitError(
            query,
            `Query nests brackets more than ${limits.maxNestingDepth} deep (the nesting limit)`,
            start,
            true,
          )
        }
      } else if (c === ')' || c === ']' || c === '}') depth--
      i++
    }
    if (++tokens > limits.maxQueryTokens) {
      throw parseLimitError(
        query,
        `Query has more than ${limits.maxQueryTokens} tokens (the limit on query size)`,
        start,
        true,
      )
    }
  }
}

function isNode(value: unknown): value is ExprNode {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as {type?: unknown}).type === 'string'
  )
}

const treeDepths = new WeakMap<ExprNode, number>()

/** The depth of a parsed tree (a chain `a && b && c` is as deep as it is long), walked with a stack. */
export function treeDepth(tree: ExprNode): number {
  const known = treeDepths.get(tree)
  if (known !== undefined) return known
  let deepest = 0
  const stack: [unknown, number][] = [[tree, 1]]
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [value, depth] = entry
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth])
      continue
    }
    if (value === null || typeof value !== 'object') continue
    let childDepth = depth
    if (isNode(value)) {
      if (depth > deepest) deepest = depth
      // A Value's payload is data (a constant folded by the planner), not tree.
      if (value.type === 'Value') continue
      childDepth = depth + 1
    }
    for (const child of Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push([child, childDepth])
    }
  }
  treeDepths.set(tree, deepest)
  return deepest
}

/** Refuses a parsed tree deeper than the limit (evaluation recurses once per level). */
export function checkTree(query: string, tree: ExprNode, limits: ParseLimits): void {
  if (treeDepth(tree) > limits.maxTreeDepth) {
    throw parseLimitError(
      query,
      `Query nests expressions more than ${limits.maxTreeDepth} deep (the limit on expression depth)`,
      0,
      true,
    )
  }
}

// ---------------------------------------------------------------------------------------------
// Budgets

/** Why a budget stopped its evaluation. */
type StopReason = 'timeout' | 'cancelled' | 'unyielding'

/** Counters since the process started: the hostile-input tests and the README's figures read them. */
export interface QueryBudgetStats {
  /** Budgeted queries started. */
  started: number
  /** Those that needed more than the synchronous slice and ran cooperatively. */
  cooperative: number
  /** Times a cooperative query gave the event loop back to other work. */
  yields: number
  /** Values cooperative queries iterated over (their unit of work). */
  steps: number
  timedOut: number
  /** Stopped because the client went away. */
  cancelled: number
  /** Stopped for holding the event loop longer than `MAX_UNYIELDING_MS`. */
  unyielding: number
  resultTooLarge: number
  /** Cooperative queries that waited for a slot (`maxCooperativeQueries`). */
  queued: number
}

const stats: QueryBudgetStats = {
  started: 0,
  cooperative: 0,
  yields: 0,
  steps: 0,
  timedOut: 0,
  cancelled: 0,
  unyielding: 0,
  resultTooLarge: 0,
  queued: 0,
}

export function queryBudgetStats(): Readonly<QueryBudgetStats> {
  return {...stats}
}

/** Thrown inside groq-js by the synchronous slice; never leaves this module. */
class SliceExceeded extends Error {}

/**
 * One query's clock. `sliceStart` is when it last got the event loop back. Once spent, the budget
 * throws from inside groq-js (sync mode) or parks the evaluation forever (cooperative mode) and
 * rejects `stopped`. Cooperative mode parks rather than throws because groq-js's async evaluator
 * pumps streams ahead of their readers, and a reader that has parked or stopped reading never
 * observes its stream's rejection, which would surface as an unhandled one. Its one throw left
 * ends a synchronous stretch (`tick`), and `observeTickers` keeps that one observed.
 */
class Budget {
  readonly deadline: number
  readonly limits: QueryLimits
  readonly query: string
  sliceStart = performance.now()
  cooperative = false
  stopReason: StopReason | undefined
  readonly stopped: Promise<never>
  // Replaced in the constructor by the `stopped` promise's reject.
  #reject: (error: LakeError) => void = () => undefined
  /** The turn this query is waiting for, while it waits. */
  #pause: Promise<void> | undefined
  /**
   * Set once the caller needs nothing more from the evaluation (it has the answer, or the error):
   * groq-js may still be pumping streams nobody reads (`"a" in *[…]` stops reading at the first
   * match), and those park at their next step.
   */
  answered = false

  constructor(query: string, limits: QueryLimits, startedAt: number) {
    this.query = query
    this.limits = limits
    this.deadline = startedAt + limits.timeBudgetMs
    this.stopped = new Promise<never>((_, reject) => {
      this.#reject = reject
    })
    // Nobody awaits `stopped` on the synchronous path; an unobserved rejection must not crash.
    this.stopped.catch(() => undefined)
  }

  /** Called every 1,024 groq-js steps: looks at the clock. */
  tick(): void {
    const now = performance.now()
    if (!this.cooperative) {
      if (this.stopReason) throw this.#error(this.stopReason)
      if (now - this.sliceStart > this.limits.syncSliceMs) throw new SliceExceeded()
      return
    }
    // A synchronous stretch of groq-js (a sort, `array::intersects` of huge lists) can only be
    // ended by a throw; stream tickers are observed (`observeTickers`), so none goes unhandled.
    // Past the answer it is only leftover work ending: the answer stands.
    if (now - this.sliceStart > MAX_UNYIELDING_MS) {
      throw this.answered ? this.#error('unyielding') : this.stop('unyielding')
    }
    // Anything else parks at the evaluation's next paced step instead of throwing.
    if (!this.stopReason && !this.answered && now > this.deadline) this.stop('timeout')
  }

  /**
   * Called per value a cooperative loop iterates: now and then yields the event loop, and parks
   * the evaluation for good once the budget is spent or the client is gone.
   */
  pace(): Promise<void> | undefined {
    stats.steps++
    if (this.stopReason) return parked()
    // groq-js pumps several streams of one query side by side: once one of them yields, the
    // others wait for the same turn, so the query as a whole gets one slice per turn.
    if (this.#pause) return this.#pause
    if ((stats.steps & 15) !== 0) return undefined
    const now = performance.now()
    if (now > this.deadline) {
      this.stop('timeout')
      return parked()
    }
    if (now - this.sliceStart < COOPERATIVE_SLICE_MS) return undefined
    stats.yields++
    this.#pause = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#pause = undefined
      if (this.stopReason) return parked()
      this.sliceStart = performance.now()
      return undefined
    })
    return this.#pause
  }

  stop(reason: StopReason): LakeError {
    const error = this.#error(reason)
    if (this.stopReason) return error
    this.stopReason = reason
    if (reason === 'timeout') stats.timedOut++
    else if (reason === 'cancelled') stats.cancelled++
    else if (reason === 'unyielding') stats.unyielding++
    this.#reject(error)
    return error
  }

  #error(reason: StopReason): LakeError {
    const details = {query: this.query, start: 0, end: this.query.length}
    switch (reason) {
      case 'timeout':
        return new LakeError(
          422,
          'queryTimeoutError',
          `Query exceeded its time limit of ${this.limits.timeBudgetMs} ms and was cancelled`,
          details,
        )
      case 'unyielding':
        return new LakeError(
          422,
          'queryTimeoutError',
          `Query computed for more than ${MAX_UNYIELDING_MS} ms in one step (the limit on ` +
            'uninterrupted work) and was cancelled',
          details,
        )
      case 'cancelled':
        return new LakeError(499, 'queryCancelledError', 'The client closed the request', details)
    }
  }
}

/** The step of an evaluation inside groq-js: parks once the caller needs nothing more from it. */
function paceEvaluation(budget: Budget): Promise<void> | undefined {
  return budget.answered ? parked() : budget.pace()
}

/**
 * A promise that never settles, new each time: a parked evaluation is then referenced by nothing
 * and collected with its closures (one shared promise would keep every evaluation parked on it).
 */
function parked(): Promise<void> {
  return new Promise<void>(() => undefined)
}

/** The budget of the synchronous evaluation running right now, if any. */
let syncBudget: Budget | undefined
/** The budget of the cooperative evaluation whose continuation is running, if any. */
const cooperativeBudget = new AsyncLocalStorage<Budget>()

const pathPrototype: object = Path.prototype

onEvery1024Steps(() => (syncBudget ?? cooperativeBudget.getStore())?.tick())

Object.defineProperty(Path, Symbol.hasInstance, {
  value(value: unknown): boolean {
    step()
    return (
      typeof value === 'object' &&
      value !== null &&
      Object.prototype.isPrototypeOf.call(pathPrototype, value)
    )
  },
})

type AsyncIteratorMethod = (this: unknown) => AsyncIterator<unknown> | Iterator<unknown>

/**
 * An iterator that asks the budget before each step. A plain object rather than an async
 * generator: this runs once per value a cooperative query touches, and every promise it saves
 * is garbage the collector does not have to stop the loop for.
 */
function paced(inner: Iterator<unknown> | AsyncIterator<unknown>, budget: Budget) {
  const iterator = {
    next(): unknown {
      const pause = paceEvaluation(budget)
      return pause ? pause.then(() => inner.next()) : inner.next()
    },
    return(value?: unknown): unknown {
      return inner.return ? inner.return(value) : {value, done: true}
    },
    [Symbol.asyncIterator]() {
      return iterator
    },
  }
  return iterator
}

/** What `observeTickers` relies on in groq-js 2's `StreamValue` (not exported). */
interface StreamInternals {
  ticker: Promise<void> | null
  _nextTick(this: StreamInternals): Promise<void>
}

function isStreamPrototype(prototype: object): prototype is StreamInternals {
  return typeof (prototype as Partial<StreamInternals>)._nextTick === 'function'
}

/**
 * groq-js's `StreamValue` pumps its generator ahead of its readers into a promise (`ticker`),
 * replaced after every item, and rejects the current one when the generator throws. A reader that
 * parked or stopped reading never awaits that ticker: every ticker of a budgeted stream gets a
 * handler, so a throw that ends a synchronous stretch (`tick`) reaches the readers that do await
 * it and no one else.
 */
function observeTickers(prototype: StreamInternals): void {
  const nextTick = prototype._nextTick
  prototype._nextTick = function (this: StreamInternals) {
    if (this.ticker === null && cooperativeBudget.getStore()) {
      let ticker: Promise<void> | null = null
      Object.defineProperty(this, 'ticker', {
        configurable: true,
        get: () => ticker,
        set(next: Promise<void> | null) {
          ticker = next
          next?.catch(() => undefined)
        },
      })
    }
    return nextTick.call(this)
  }
}

let cooperativeHooks: Promise<void> | undefined

/**
 * Wraps the async iterator of groq-js's value classes (`StaticValue`, `StreamValue`; not exported,
 * so found through values it returns). Outside a budgeted evaluation the original runs unchanged.
 */
function installCooperativeHooks(): Promise<void> {
  cooperativeHooks ??= (async () => {
    const staticValue: object = evaluateSync(parse('1'))
    const streamValue: object = await evaluate(parse('[1]'))
    const streamPrototype = Object.getPrototypeOf(streamValue) as object
    // Checked at start-up: a groq-js that pumps streams otherwise needs this looked at again.
    if (!isStreamPrototype(streamPrototype)) throw new Error('groq-js streams have no _nextTick')
    observeTickers(streamPrototype)
    for (const prototype of new Set([
      Object.getPrototypeOf(staticValue) as Record<symbol, unknown>,
      Object.getPrototypeOf(streamValue) as Record<symbol, unknown>,
    ])) {
      const original = prototype[Symbol.asyncIterator] as AsyncIteratorMethod
      prototype[Symbol.asyncIterator] = function (this: unknown) {
        const iterator = original.call(this)
        const budget = cooperativeBudget.getStore()
        return budget ? paced(iterator, budget) : iterator
      }
    }
  })()
  return cooperativeHooks
}

/** groq-js's messages for what its synchronous evaluator cannot do (its async one can). */
const SYNC_UNSUPPORTED =
  /executeSync not supported|not possible in evaluteSync|in evaluateSync|in synchronous mode/

/** What a budgeted evaluation needs beyond groq-js's own options. */
export interface BudgetedRun {
  query: string
  limits: QueryLimits
  /** Aborted when the client goes away. */
  signal?: AbortSignal | undefined
  /** When the request started (defaults to now): the time budget counts from here. */
  startedAt?: number | undefined
}

/**
 * Evaluates within a budget: first synchronously for `limits.syncSliceMs` (nearly every query is done
 * by then), else again from the start with groq-js's async evaluator, yielding the event loop
 * every `COOPERATIVE_SLICE_MS` and stopping at the time budget or when `signal` aborts. Resolves
 * with the result's raw data (it may hold groq-js DateTime/Path values: serialize it with
 * `serializeResult`). Rejects with a `LakeError` when the budget stops it.
 */
export async function evaluateWithBudget(
  tree: ExprNode,
  evaluateOptions: EvaluateOptions | ((mode: 'sync' | 'async') => EvaluateOptions),
  run: BudgetedRun,
): Promise<{data: unknown; budget: BudgetHandle}> {
  // The planner's options differ per evaluator (a hoisted subquery answers synchronously or with
  // a promise); plain options serve both.
  const optionsFor = (mode: 'sync' | 'async') =>
    typeof evaluateOptions === 'function' ? evaluateOptions(mode) : evaluateOptions
  const options = optionsFor('sync')
  stats.started++
  const budget = new Budget(run.query, run.limits, run.startedAt ?? performance.now())
  if (run.signal?.aborted) throw budget.stop('cancelled')
  countSteps(options.params)
  // Stored documents were given the iterator by the mirror; the list of them needs it too.
  if (Array.isArray(options.dataset)) countListSteps(options.dataset)
  const outer = syncBudget
  syncBudget = budget
  try {
    budget.sliceStart = performance.now()
    const value: GroqValue = budgeted(() => evaluateSync(tree, options))
    return {data: value.data, budget}
  } catch (error) {
    // Past the slice, or a function only groq-js's async evaluator has (`diff::changedAny`…):
    // both continue cooperatively.
    const syncUnsupported = error instanceof Error && SYNC_UNSUPPORTED.test(error.message)
    if (!(error instanceof SliceExceeded) && !syncUnsupported) throw error
  } finally {
    syncBudget = outer
  }
  stats.cooperative++
  // Before the first yield: the planner reads what its answers still need (and the dataset) now,
  // so a commit landing while this query waits does not show in them.
  const asyncOptions = optionsFor('async')
  await installCooperativeHooks()
  budget.cooperative = true
  const onAbort = () => budget.stop('cancelled')
  run.signal?.addEventListener('abort', onAbort, {once: true})
  // Aborted while the hooks were being installed: the event has already fired.
  if (run.signal?.aborted) onAbort()
  let release: (() => void) | undefined
  try {
    release = await takeSlot(budget)
    const evaluation = cooperativeBudget.run(budget, async () => {
      // Start on a fresh turn: the synchronous attempt just used a slice.
      await new Promise<void>((resolve) => setImmediate(resolve))
      budget.sliceStart = performance.now()
      const value = await evaluate(tree, {
        ...asyncOptions,
        ...(asyncOptions.dereference
          ? {dereference: pacedDereference(asyncOptions.dereference, budget)}
          : {}),
      })
      return value.get()
    })
    // A parked evaluation never settles; `stopped` rejects instead. A stretch ended by a throw
    // (`tick`) rejects the evaluation after `stopped` answered: that is observed here.
    evaluation.catch(() => undefined)
    const data: unknown = await Promise.race([evaluation, budget.stopped])
    return {data, budget}
  } finally {
    // Whatever groq-js still pumps (streams nobody reads, a stopped evaluation) parks.
    budget.answered = true
    release?.()
    run.signal?.removeEventListener('abort', onAbort)
  }
}

/** Cooperative queries running under one set of limits (one role), and those waiting. */
interface Slots {
  running: number
  waiting: (() => void)[]
}

const slotsByLimits = new WeakMap<QueryLimits, Slots>()

/**
 * Waits, first come first served and within the query's time budget, until fewer than
 * `maxCooperativeQueries` cooperative queries of its role run. Resolves with the function that
 * hands the slot on.
 */
async function takeSlot(budget: Budget): Promise<() => void> {
  let slots = slotsByLimits.get(budget.limits)
  if (!slots) slotsByLimits.set(budget.limits, (slots = {running: 0, waiting: []}))
  const own = slots
  const release = () => {
    const next = own.waiting.shift()
    if (next) next()
    else own.running--
  }
  if (own.running < budget.limits.maxCooperativeQueries) {
    own.running++
    return release
  }
  stats.queued++
  let grant: () => void = () => undefined
  const granted = new Promise<void>((resolve) => (grant = resolve))
  own.waiting.push(grant)
  // Nothing of this query runs while it waits, so a timer watches its deadline.
  const timer = setTimeout(
    () => budget.stop('timeout'),
    Math.max(0, budget.deadline - performance.now()),
  )
  try {
    await Promise.race([granted, budget.stopped])
    return release
  } catch (error) {
    const index = own.waiting.indexOf(grant)
    if (index >= 0) own.waiting.splice(index, 1)
    // Granted as it was stopped: the slot is ours to hand on.
    else release()
    throw error
  } finally {
    clearTimeout(timer)
  }
}

type Dereference = NonNullable<EvaluateOptions['dereference']>

function pacedDereference(dereference: Dereference, budget: Budget): Dereference {
  return (ref) => {
    const pause = paceEvaluation(budget)
    return pause ? pause.then(() => dereference(ref)) : dereference(ref)
  }
}

/** What the serializer needs from the budget that produced a result. */
export interface BudgetHandle {
  readonly cooperative: boolean
  pace(): Promise<void> | undefined
  /** Rejects with the budget's error once it is spent or cancelled. */
  readonly stopped: Promise<never>
  /** When the time budget runs out (`performance.now()` time). */
  readonly deadline: number
  stop(reason: 'timeout'): LakeError
  readonly limits: QueryLimits
  readonly query: string
}

// ---------------------------------------------------------------------------------------------
// Result size

function tooLarge(handle: BudgetHandle): LakeError {
  stats.resultTooLarge++
  return new LakeError(
    422,
    'queryResultTooLargeError',
    `Query result is larger than the limit of ${handle.limits.maxResultBytes} bytes; ` +
      'narrow the filter, project fewer fields or page with [start...end]',
    {query: handle.query, start: 0, end: handle.query.length},
  )
}

interface Frame {
  container: readonly unknown[] | Record<string, unknown>
  /** An object's keys; undefined for an array. */
  keys: string[] | undefined
  index: number
  /** Whether a member was written (the next one needs a comma). */
  written: boolean
}

/** What `JSON.stringify` does with a value before writing it (`toJSON`: groq-js's DateTime, Path). */
function jsonValue(value: unknown): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as {toJSON?: unknown}).toJSON === 'function'
  ) {
    return (value as {toJSON: () => unknown}).toJSON()
  }
  return value
}

function writable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol'
}

/**
 * `JSON.stringify(result)`, written piece by piece with an explicit stack: stops with a 422 as soon
 * as the text passes `maxResultBytes` (the whole text is never built first), and yields the event
 * loop while writing, within the same time budget.
 */
export async function serializeResult(data: unknown, handle: BudgetHandle): Promise<string> {
  const limit = handle.limits.maxResultBytes
  const parts: string[] = []
  let size = 0
  const emit = (text: string) => {
    size += text.length
    if (size > limit) throw tooLarge(handle)
    parts.push(text)
  }
  const stack: Frame[] = []
  const open = (value: unknown): void => {
    const v = jsonValue(value)
    if (v === null || !writable(v)) return emit('null')
    if (typeof v === 'string') return emit(JSON.stringify(v))
    if (typeof v === 'number') return emit(Number.isFinite(v) ? String(v) : 'null')
    if (typeof v === 'boolean') return emit(v ? 'true' : 'false')
    if (Array.isArray(v)) {
      emit('[')
      stack.push({container: v as unknown[], keys: undefined, index: 0, written: false})
      return
    }
    emit('{')
    const record = v as Record<string, unknown>
    stack.push({container: record, keys: Object.keys(record), index: 0, written: false})
  }
  open(data)
  let steps = 0
  for (let frame = stack.at(-1); frame; frame = stack.at(-1)) {
    if ((++steps & 255) === 0) {
      if (performance.now() > handle.deadline) throw handle.stop('timeout')
      const pause = handle.pace()
      // A budget spent while writing parks `pause` for good and rejects `stopped`.
      if (pause) await Promise.race([pause, handle.stopped])
    }
    if (frame.keys === undefined) {
      const array = frame.container as readonly unknown[]
      if (frame.index >= array.length) {
        stack.pop()
        emit(']')
        continue
      }
      if (frame.index > 0) emit(',')
      const item = array[frame.index++]
      open(writable(jsonValue(item)) ? item : null)
      continue
    }
    const record = frame.container as Record<string, unknown>
    let key = frame.keys[frame.index]
    // Members JSON leaves out (undefined, functions) are skipped, as JSON.stringify skips them.
    while (key !== undefined && !writable(jsonValue(record[key]))) key = frame.keys[++frame.index]
    if (key === undefined) {
      stack.pop()
      emit('}')
      continue
    }
    emit(`${frame.written ? ',' : ''}${JSON.stringify(key)}:`)
    frame.written = true
    frame.index++
    open(record[key])
  }
  return parts.join('')
}

/** Only the time limit applies to `withSyncLimit` runs: their text and results are checked elsewhere. */
const UNBOUNDED: QueryLimits = {
  maxQueryBytes: Infinity,
  maxQueryTokens: Infinity,
  maxNestingDepth: Infinity,
  maxTreeDepth: Infinity,
  syncSliceMs: Infinity,
  maxCooperativeQueries: Infinity,
  timeBudgetMs: Infinity,
  maxResultBytes: Infinity,
}

/**
 * Runs a synchronous groq-js evaluation (listen filters, query-based mutations) under a hard time
 * limit: past `ms` it throws the `LakeError` that `onExceeded` builds. These paths cannot yield
 * (they run inside a commit), so the limit is their whole budget.
 */
export function withSyncLimit<T>(ms: number, run: () => T, onExceeded: () => LakeError): T {
  const budget = new Budget(
    '',
    {...UNBOUNDED, syncSliceMs: ms, timeBudgetMs: ms},
    performance.now(),
  )
  const outer = syncBudget
  syncBudget = budget
  try {
    return budgeted(run)
  } catch (error) {
    if (error instanceof SliceExceeded) throw onExceeded()
    throw error
  } finally {
    syncBudget = outer
  }
}

/**
 * A user's query on a view, within its limits: text and tree checked before evaluation, then
 * `evaluateWithBudget` and `serializeResult`. Resolves with the result as JSON text.
 */
export async function runQueryWithBudget(
  query: string,
  view: DatasetView,
  options: RunOptions,
  run: BudgetedRun,
): Promise<string> {
  checkQueryText(query, run.limits)
  const tree = parseQuery(query, options.params)
  checkTree(query, tree, run.limits)
  let outcome: {data: unknown; budget: BudgetHandle}
  try {
    const planned = planEvaluation(tree, view, options)
    outcome = await evaluateWithBudget(planned.tree, (mode) => planned.options(mode), run)
  } catch (error) {
    throw toEvaluationError(query, error)
  }
  return serializeResult(outcome.data, outcome.budget)
}
