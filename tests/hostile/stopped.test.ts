/**
 * How a cooperative evaluation ends once nobody needs it: its budget ran out, its client went
 * away, or its caller already has the answer. groq-js's async evaluator pumps streams ahead of
 * their readers, so a throw from the budget's hooks could reject a promise nobody observes; these
 * run many such evaluations side by side, with budgets small enough that they stop mid-stream,
 * and count unhandled rejections. They also check that a stopped evaluation is collected.
 */
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import {parse} from 'groq-js'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {evaluateWithBudget, queryBudgetStats} from '../../server/query/budget'
import {MEMBER_LIMITS, type QueryLimits} from '../../server/query/limits'
import {admin, everyone, type TempLake, tempLake} from '../fixtures/groq/temp-lake'

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})
beforeEach(() => {
  unhandled.length = 0
})

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Node reports unhandled rejections after the microtasks of a turn: a few turns see them all. */
async function settled(): Promise<void> {
  for (let i = 0; i < 10; i++) await turn()
}

function pages(count: number) {
  return Array.from({length: count}, (_, i) => ({_id: `p${i}`, _type: 'page', title: `T${i}`}))
}

/**
 * Two streams pumped side by side, each item costing 2,000 counted steps (`count($p)` loops
 * over the parameter synchronously): the budget's clock is looked at inside items, not only
 * between them.
 */
const heavy = 'count(*[count(*[count($p) > 0 && _id != ^._id]) > 0])'
const nested =
  'count(*[count(*[_id != ^._id && count(*[_id != ^._id && count(*[_id != ^._id && true])>0])>0])>0])'
const params = {p: Array<null>(2000).fill(null)}

/** Every evaluation cooperative at once, no queue. */
const limits: QueryLimits = {...MEMBER_LIMITS, syncSliceMs: 0, maxCooperativeQueries: 1000}

async function outcome(query: string, run: Promise<unknown>): Promise<string> {
  try {
    await run
    return `${query}: answered`
  } catch (error) {
    return `${query}: ${(error as {type?: string}).type ?? String(error)}`
  }
}

describe('a cooperative evaluation whose budget runs out', () => {
  it('leaves no unhandled rejection, with many stopping mid-stream at once', async () => {
    const dataset = pages(30)
    // Where each stops depends on the machine's timing: several rounds make a miss unlikely.
    for (const query of [heavy, heavy, heavy, heavy, nested, nested]) {
      const runs = Array.from({length: 40}, (_, i) =>
        outcome(
          query,
          evaluateWithBudget(
            parse(query),
            {dataset, params},
            // 1 to 40 ms: each stops somewhere else in its streams.
            {query, limits: {...limits, timeBudgetMs: 1 + i}},
          ),
        ),
      )
      const results = await Promise.all(runs)
      await settled()
      expect(unhandled).toEqual([])
      expect(new Set(results)).toEqual(new Set([`${query}: queryTimeoutError`]))
    }
  }, 60_000)

  it('is collected: nothing keeps what it was evaluating', async () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    let collected = 0
    const registry = new FinalizationRegistry(() => collected++)
    const stop = async (timeBudgetMs: number) => {
      // Each run its own dataset, reachable from its evaluation only.
      const dataset = pages(30)
      registry.register(dataset, timeBudgetMs)
      // The error is not kept: until its stack is formatted, V8 keeps the frames it was made in.
      return outcome(
        heavy,
        evaluateWithBudget(
          parse(heavy),
          {dataset, params},
          {query: heavy, limits: {...limits, timeBudgetMs}},
        ),
      )
    }
    const runs = 10
    const results = await Promise.all(Array.from({length: runs}, (_, i) => stop(2 + i)))
    expect(new Set(results)).toEqual(new Set([`${heavy}: queryTimeoutError`]))
    // Finalizers run in a later task than the collection that found their targets gone.
    for (let i = 0; i < 20 && collected < runs; i++) {
      gc()
      await turn()
    }
    expect(collected).toBe(runs)
  }, 60_000)
})

describe('a cooperative evaluation whose client goes away', () => {
  it('leaves no unhandled rejection', async () => {
    const dataset = pages(30)
    const runs = Array.from({length: 20}, async (_, i) => {
      const controller = new AbortController()
      const run = outcome(
        heavy,
        evaluateWithBudget(
          parse(heavy),
          {dataset, params},
          {query: heavy, limits, signal: controller.signal},
        ),
      )
      // Aborted after 1 to 20 turns: somewhere else in its streams each time.
      for (let t = 0; t <= i; t++) await turn()
      controller.abort()
      return run
    })
    const results = await Promise.all(runs)
    await settled()
    expect(unhandled).toEqual([])
    // On a loaded machine a slice can be descheduled past `MAX_UNYIELDING_MS`, which stops that
    // query as unyielding (a 422) before its client goes away; that is the only other ending.
    expect(results).toContain(`${heavy}: queryCancelledError`)
    for (const result of results) {
      expect([`${heavy}: queryCancelledError`, `${heavy}: queryTimeoutError`]).toContain(result)
    }
  }, 60_000)
})

describe('a cooperative evaluation whose caller has the answer', () => {
  it('stops pumping streams nobody reads', async () => {
    const dataset = pages(100)
    // `in` stops reading at the first page; groq-js would go on filtering the other 99
    // (100 × 100 × 2,000 steps).
    const query = '"p0" in *[count(*[count($p) > 0]) > 0]._id'
    const {data} = await evaluateWithBudget(parse(query), {dataset, params}, {query, limits})
    expect(data).toBe(true)
    await settled()
    const steps = queryBudgetStats().steps
    await settled()
    expect(queryBudgetStats().steps).toBe(steps)
    expect(unhandled).toEqual([])
  }, 60_000)

  it('leaves no unhandled rejection when a stream nobody reads runs out of time', async () => {
    const dataset = pages(300)
    // `in` stops reading at the first page; groq-js goes on filtering the other 299 (each
    // `count($p)` is 2,000 counted steps) until the budget, 50 ms, is spent.
    const query = 'count($p) > 0 && "p0" in *[count($p) > 0]._id'
    const {data} = await evaluateWithBudget(
      parse(query),
      {dataset, params},
      {query, limits: {...limits, timeBudgetMs: 50}},
    )
    expect(data).toBe(true)
    // Past the deadline (a timer, not a measurement: nothing is asserted about time).
    await new Promise((resolve) => setTimeout(resolve, 100))
    await settled()
    expect(unhandled).toEqual([])
  })

  it('leaves no unhandled rejection when a stream nobody reads fails', async () => {
    const dataset = pages(3)
    // `in` stops reading at the first page while groq-js goes on filtering the second, which
    // fails (`geo::distance` is not implemented): that stream's rejection has no reader.
    // `count($p)` first, so the synchronous attempt runs out of its slice before it fails.
    const query = 'count($p) > 0 && "p0" in *[select(_id == "p0" => true, geo::distance(1, 2))]._id'
    const {data} = await evaluateWithBudget(parse(query), {dataset, params}, {query, limits})
    expect(data).toBe(true)
    await settled()
    expect(unhandled).toEqual([])
  })

  it('a stretch that would not yield, stopped in streams read side by side', async () => {
    const dataset = pages(3)
    const a = Array.from({length: 20_000}, (_, i) => i)
    const b = a.map((i) => -1 - i)
    const query = 'count(*[array::intersects($a, $b)]) + count(*[array::intersects($b, $a)])'
    const result = outcome(
      query,
      evaluateWithBudget(parse(query), {dataset, params: {a, b}}, {query, limits}),
    )
    expect(await result).toBe(`${query}: queryTimeoutError`)
    await settled()
    expect(unhandled).toEqual([])
  }, 60_000)
})

describe('a query the lake asks itself inside a running query', () => {
  let lake: TempLake
  beforeEach(() => {
    lake = tempLake()
  })
  afterEach(() => lake.cleanup())

  it("does not run the outer query's clock (whose throw would end it as its own fault)", async () => {
    await lake.store.mutate(
      [
        {create: {_id: 'target', _type: 'asset'}},
        ...pages(4).map((page) => ({create: {...page, ref: {_ref: 'target'}}})),
        ...Array.from({length: 3000}, (_, i) => ({create: {_id: `n${i}`, _type: 'note'}})),
      ],
      admin,
    )
    // A read rule that asks the store something, as asset access does (`*[references($id)]`),
    // walking enough documents to reach the budget's clock; asked as references are followed.
    let asked = 0
    const canRead = (id: string) => {
      if (id !== 'target') return true
      asked++
      const {result} = lake.store.query(
        'count(*[_type == "note" && _id != "x"]) > 0',
        {},
        {
          perspective: 'raw',
          canRead: everyone,
        },
      )
      return result === true
    }
    // A slice of 0 ms: the outer query's clock is spent at its first look.
    const answer = await lake.store.queryWithinBudget(
      '*[_type == "page"] | order(_id) {"to": ref->_id}',
      {},
      {perspective: 'raw', canRead, limits: {...limits, syncSliceMs: 0}},
    )
    expect(asked).toBeGreaterThan(0)
    expect(JSON.parse(answer.json)).toEqual(Array(4).fill({to: 'target'}))
  })
})
