/**
 * Each query limit in `server/query/limits.ts`, at and just past its value, on the functions that
 * enforce it (the HTTP behaviour is in `queries.test.ts`).
 */
import {isDeepStrictEqual} from 'node:util'

import {DateTime, evaluateSync, parse, Path} from 'groq-js'
import {describe, expect, it} from 'vitest'

import {
  type BudgetHandle,
  checkQueryText,
  checkTree,
  evaluateWithBudget,
  serializeResult,
  treeDepth,
  withSyncLimit,
} from '../../server/query/budget'
import {ANONYMOUS_LIMITS, LISTEN_FILTER_LIMITS, MEMBER_LIMITS} from '../../server/query/limits'
import {countSteps} from '../../server/query/steps'
import {LakeError} from '../../server/store/types'

function refusal(run: () => unknown): LakeError {
  try {
    run()
  } catch (error) {
    if (error instanceof LakeError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

/** `count([1,1,…])` with exactly `tokens` tokens (count ( [ 1 , … 1 ] ) = 2n + 4), for even counts. */
function withTokens(tokens: number): string {
  const ones = (tokens - 4) / 2
  return `count([${Array(ones).fill('1').join(',')}])`
}

describe('query text', () => {
  it('is remembered as passing per set of limits only: a text under one is still refused by another', () => {
    const text = withTokens(ANONYMOUS_LIMITS.maxQueryTokens + 2)
    expect(() => checkQueryText(text, MEMBER_LIMITS)).not.toThrow()
    expect(() => checkQueryText(text, MEMBER_LIMITS)).not.toThrow()
    expect(refusal(() => checkQueryText(text, ANONYMOUS_LIMITS)).message).toContain('tokens')
    const strict = {...MEMBER_LIMITS, maxQueryTokens: 3}
    expect(refusal(() => checkQueryText(text, strict)).message).toContain('tokens')
  })

  for (const [who, limits] of [
    ['members', MEMBER_LIMITS],
    ['anonymous', ANONYMOUS_LIMITS],
    ['listen filters', LISTEN_FILTER_LIMITS],
  ] as const) {
    it(`${who}: ${limits.maxQueryBytes} bytes pass, one more is refused`, () => {
      const padding = limits.maxQueryBytes - 2
      const atLimit = `"${'x'.repeat(padding)}"`
      expect(Buffer.byteLength(atLimit)).toBe(limits.maxQueryBytes)
      expect(() => checkQueryText(atLimit, limits)).not.toThrow()
      const past = refusal(() => checkQueryText(`"${'x'.repeat(padding + 1)}"`, limits))
      expect(past.statusCode).toBe(400)
      expect(past.type).toBe('queryParseError')
      expect(past.message).toContain(`limit of ${limits.maxQueryBytes} bytes`)
      // The oversized text is not echoed back.
      expect(past.details['query']).toBeUndefined()
    })

    it(`${who}: ${limits.maxQueryTokens} tokens pass, one more is refused`, () => {
      const atLimit = withTokens(limits.maxQueryTokens)
      expect(() => checkQueryText(atLimit, limits)).not.toThrow()
      expect(() => parse(atLimit)).not.toThrow()
      const past = refusal(() => checkQueryText(`-${atLimit}`, limits))
      expect(past.type).toBe('queryParseError')
      expect(past.message).toContain(`more than ${limits.maxQueryTokens} tokens`)
    })

    it(`${who}: brackets nest ${limits.maxNestingDepth} deep, not one more`, () => {
      for (const [open, close] of [
        ['(', ')'],
        ['[', ']'],
      ] as const) {
        const d = limits.maxNestingDepth
        expect(() => checkQueryText(`${open.repeat(d)}1${close.repeat(d)}`, limits)).not.toThrow()
        const past = refusal(() =>
          checkQueryText(`${open.repeat(d + 1)}1${close.repeat(d + 1)}`, limits),
        )
        expect(past.message).toContain(`more than ${d} deep`)
        expect(past.details['start']).toBe(d)
      }
    })
  }

  it('counts bytes, not characters', () => {
    const limits = {...ANONYMOUS_LIMITS, maxQueryBytes: 10}
    expect(() => checkQueryText('"éééé"', limits)).not.toThrow() // 10 bytes
    expect(() => checkQueryText('"ééééé"', limits)).toThrow(/limit of 10 bytes/)
  })

  it('skips brackets inside strings and comments', () => {
    const limits = {...ANONYMOUS_LIMITS, maxNestingDepth: 2}
    expect(() => checkQueryText('[["((((", \'[[[[\', "\\"(((("]]', limits)).not.toThrow()
    expect(() => checkQueryText('// ((((((\n[[1]]', limits)).not.toThrow()
  })

  it('refuses 100,000-deep nesting in one linear pass, without recursion', () => {
    for (const bomb of [
      `${'('.repeat(100_000)}1${')'.repeat(100_000)}`,
      `${'['.repeat(100_000)}1${']'.repeat(100_000)}`,
      `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
    ]) {
      expect(refusal(() => checkQueryText(bomb, {...MEMBER_LIMITS, maxQueryBytes: 1e6})).type).toBe(
        'queryParseError',
      )
    }
  })
})

describe('tree depth', () => {
  /** `!!…!true` is a chain of Not nodes: one level per `!`, plus the value. */
  const nots = (n: number) => `${'!'.repeat(n)}true`

  it('is the length of an operator chain, counted without recursion', () => {
    expect(treeDepth(parse(nots(10)))).toBe(11)
    expect(treeDepth(parse('a && b && c && d'))).toBe(4)
  })

  for (const [who, limits] of [
    ['members', MEMBER_LIMITS],
    ['anonymous', ANONYMOUS_LIMITS],
    ['listen filters', LISTEN_FILTER_LIMITS],
  ] as const) {
    it(`${who}: ${limits.maxTreeDepth} levels pass, one more is refused`, () => {
      const atLimit = nots(limits.maxTreeDepth - 1)
      expect(() => checkTree(atLimit, parse(atLimit), limits)).not.toThrow()
      const past = nots(limits.maxTreeDepth)
      const error = refusal(() => checkTree(past, parse(past), limits))
      expect(error.statusCode).toBe(400)
      expect(error.message).toContain(`more than ${limits.maxTreeDepth} deep`)
    })
  }
})

describe('result size', () => {
  const handle = (maxResultBytes: number): BudgetHandle => ({
    cooperative: false,
    pace: () => undefined,
    stopped: new Promise<never>(() => undefined),
    deadline: Infinity,
    stop: () => new LakeError(422, 'queryTimeoutError', 'spent'),
    limits: {...MEMBER_LIMITS, maxResultBytes},
    query: '*',
  })

  it('writes what JSON.stringify writes', async () => {
    const values: unknown[] = [
      null,
      0,
      -1.5,
      'a "quoted"\nline é',
      true,
      [],
      {},
      [1, [2, [3, {}]], {a: [null]}],
      {a: 1, skipped: undefined, b: {c: 'd'}, e: [undefined, NaN, Infinity]},
      {first: undefined, second: 2},
      evaluateSync(parse('{"at": dateTime("2026-11-29T10:00:00Z"), "p": path("a.*")}')).data,
      new DateTime(new Date('2026-01-01T00:00:00Z')),
      new Path('drafts.**'),
    ]
    for (const value of values) {
      expect(await serializeResult(value, handle(1e9))).toBe(JSON.stringify(value))
    }
  })

  it('answers up to the limit, and refuses one byte past it without building the text', async () => {
    const value = {items: Array.from({length: 1000}, (_, i) => ({i, title: `Title ${i}`}))}
    const size = JSON.stringify(value).length
    expect(await serializeResult(value, handle(size))).toBe(JSON.stringify(value))
    await expect(serializeResult(value, handle(size - 1))).rejects.toMatchObject({
      statusCode: 422,
      type: 'queryResultTooLargeError',
    })
  })
})

describe('synchronous time limit', () => {
  const slow = parse('count(*[count(*[count(*[true]) > 0]) > 0])')
  const dataset = Array.from({length: 200}, (_, i) => ({_id: `d${i}`}))

  it('stops a synchronous groq-js evaluation from inside once it runs past the limit', () => {
    const error = refusal(() =>
      withSyncLimit(
        5,
        () => evaluateSync(slow, {dataset}),
        () => new LakeError(422, 'queryTimeoutError', 'too slow'),
      ),
    )
    expect(error.type).toBe('queryTimeoutError')
  })

  it('returns what a quick evaluation returns', () => {
    const value = withSyncLimit(
      5,
      () => evaluateSync(parse('count(*)'), {dataset}),
      () => new LakeError(422, 'queryTimeoutError', 'too slow'),
    )
    expect(value.data).toBe(200)
  })
})

describe('time budget', () => {
  const dataset = Array.from({length: 30}, (_, i) => ({
    _id: `p${i}`,
    _type: 'page',
    title: `T${i}`,
  }))

  it('stops a query whose budget runs out while its answer is being written', async () => {
    // 40^4 objects evaluate in well under the budget; writing 2.5 million titled documents (some
    // 400 MB of JSON) does not, on any machine this runs on.
    const wide = Array.from({length: 40}, (_, i) => ({
      _id: `w${i}`,
      _type: 'page',
      title: `${'T'.repeat(100)}${i}`,
    }))
    const query = '*{"a":*{"b":*{"c":*}}}'
    const limits = {...MEMBER_LIMITS, syncSliceMs: 1, timeBudgetMs: 1500, maxResultBytes: 1e10}
    const answer = (async () => {
      const {data, budget} = await evaluateWithBudget(
        parse(query),
        {dataset: wide},
        {query, limits},
      )
      return serializeResult(data, budget)
    })()
    await expect(answer).rejects.toMatchObject({statusCode: 422, type: 'queryTimeoutError'})
  }, 30_000)

  it('answers what groq-js answers when the query fits its budget', async () => {
    const query = 'count(*[count(*[true]) > 0])'
    const limits = {...MEMBER_LIMITS, syncSliceMs: 0}
    const {data, budget} = await evaluateWithBudget(parse(query), {dataset}, {query, limits})
    expect(budget.cooperative).toBe(true)
    expect(data).toBe(30)
  })
})

describe('step-counting iterators', () => {
  it('are invisible to JSON, equality and copies', () => {
    const doc = {_id: 'a', list: [null, [1, 2], {deep: [null]}]}
    const copy = structuredClone(doc)
    countSteps(doc)
    expect(Object.getOwnPropertySymbols(doc.list)).toEqual([Symbol.iterator])
    expect(JSON.stringify(doc)).toBe(JSON.stringify(copy))
    expect(isDeepStrictEqual(doc, copy)).toBe(true)
    expect(doc).toStrictEqual(copy)
    expect([...doc.list]).toEqual(copy.list)
    expect(Object.keys(doc.list)).toEqual(['0', '1', '2'])
  })

  it('let the synchronous limit stop loops that make no values', () => {
    const tree = parse('*[0]{"r": a[^.a[^.^.a[@]]]}')
    const doc = {_id: 'x', a: Array<null>(3000).fill(null)}
    countSteps(doc)
    const error = refusal(() =>
      withSyncLimit(
        5,
        () => evaluateSync(tree, {dataset: [doc]}),
        () => new LakeError(422, 'queryTimeoutError', 'too slow'),
      ),
    )
    expect(error.type).toBe('queryTimeoutError')
  })
})
