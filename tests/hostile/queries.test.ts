/**
 * Hostile queries against a real lake over HTTP (the stock @sanity/client and raw requests): the
 * expensive ones are answered with a clear error while cheap requests keep answering, parse bombs
 * are refused before groq-js parses them, a client that goes away stops its query, and listen
 * filters and query-based mutations are bounded too. Times are logged, never asserted: what is
 * asserted is the order things finish in and what each answer says.
 */
import {readFileSync} from 'node:fs'
import {connect} from 'node:http2'
import {join} from 'node:path'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {queryBudgetStats} from '../../server/query/budget'
import {ANONYMOUS_LIMITS, MEMBER_LIMITS} from '../../server/query/limits'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let admin: SanityClient
let anonymous: SanityClient

const PAGES = 30

beforeAll(async () => {
  lake = await startTestLake()
  admin = lake.client()
  anonymous = lake.client({token: null})
  const transaction = admin.transaction()
  for (let i = 0; i < PAGES; i++) {
    // Published ids on the root path: what anonymous callers can read.
    transaction.createOrReplace({
      _id: `page-${i}`,
      _type: 'page',
      title: `Page ${i}`,
      slug: {_type: 'slug', current: `page-${i}`},
    })
  }
  await transaction.commit()
}, 60_000)
afterAll(() => lake.close())

const bySlug = '*[_type == "page" && slug.current == $slug][0]{title}'

interface Outcome {
  ok: boolean
  statusCode?: number
  type?: string
  description?: string
  finishedAt: number
}

/** A fetch that records how it ended (with the lake's error body) instead of throwing. */
async function outcome(request: Promise<unknown>): Promise<Outcome> {
  try {
    await request
    return {ok: true, finishedAt: performance.now()}
  } catch (error) {
    const e = error as {statusCode?: number; response?: {body?: {error?: Record<string, string>}}}
    const body = e.response?.body?.error
    return {
      ok: false,
      ...(e.statusCode === undefined ? {} : {statusCode: e.statusCode}),
      ...(body?.['type'] === undefined ? {} : {type: body['type']}),
      ...(body?.['description'] === undefined ? {} : {description: body['description']}),
      finishedAt: performance.now(),
    }
  }
}

/**
 * Runs `query` and, while it runs, by-slug queries one after another; logs how long each took.
 * Returns the expensive query's outcome and when each cheap answer arrived.
 */
async function whileExpensive(
  client: SanityClient,
  query: string,
  params: Record<string, unknown> = {},
): Promise<{expensive: Outcome; cheapFinishedAt: number[]}> {
  const started = performance.now()
  let done = false
  const expensive = outcome(client.fetch(query, params)).finally(() => (done = true))
  const cheapFinishedAt: number[] = []
  const latencies: number[] = []
  // Answers are checked: a cheap query that fails is a failure here, not a latency.
  while (!done) {
    const sent = performance.now()
    expect(await client.fetch(bySlug, {slug: 'page-3'})).toEqual({title: 'Page 3'})
    cheapFinishedAt.push(performance.now())
    latencies.push(performance.now() - sent)
    // The other cheap requests: ping and a read by id.
    expect((await lakeFetch(lake, '/v2025-02-19/ping')).text).toBe('PONG')
    expect(await admin.getDocument('page-4')).toMatchObject({title: 'Page 4'})
  }
  const result = await expensive
  latencies.sort((a, b) => a - b)
  console.log(
    `${query.slice(0, 70)}: ${result.ok ? 'answered' : `${result.statusCode} ${result.type}`} ` +
      `after ${Math.round(result.finishedAt - started)} ms; ${latencies.length} by-slug ` +
      `queries meanwhile, p50 ${latencies[latencies.length >> 1]?.toFixed(1)} ms, max ` +
      `${latencies.at(-1)?.toFixed(1)} ms`,
  )
  return {expensive: result, cheapFinishedAt}
}

async function stillServes(): Promise<void> {
  expect(await anonymous.fetch(bySlug, {slug: 'page-7'})).toEqual({title: 'Page 7'})
  expect(await admin.fetch('count(*[_type == "page"])')).toBe(PAGES)
}

describe('expensive queries are stopped with a clear error while cheap ones keep answering', () => {
  it('nested counts (30^5 steps) run out of time', async () => {
    const query = 'count(*[count(*[count(*[count(*[count(*[true])>0])>0])>0])>0])'
    const {expensive, cheapFinishedAt} = await whileExpensive(anonymous, query)
    expect(expensive).toMatchObject({ok: false, statusCode: 422, type: 'queryTimeoutError'})
    expect(expensive.description).toContain(`time limit of ${ANONYMOUS_LIMITS.timeBudgetMs} ms`)
    expect(cheapFinishedAt.length).toBeGreaterThan(0)
    expect(cheapFinishedAt[0]).toBeLessThan(expensive.finishedAt)
    await stillServes()
  }, 60_000)

  it('a projection explosion (30^4 objects) is stopped by the result-size limit', async () => {
    const {expensive, cheapFinishedAt} = await whileExpensive(anonymous, '*{"a":*{"b":*{"c":*}}}')
    expect(expensive.ok).toBe(false)
    expect(expensive.statusCode).toBe(422)
    expect(['queryResultTooLargeError', 'queryTimeoutError']).toContain(expensive.type)
    expect(cheapFinishedAt[0]).toBeLessThan(expensive.finishedAt)
    await stillServes()
  }, 60_000)

  it('one groq-js step that never yields (array::intersects of two 20,000-item lists) is stopped', async () => {
    const before = queryBudgetStats()
    const list = Array.from({length: 20_000}, (_, i) => i)
    const other = list.map((i) => -1 - i)
    const {expensive} = await whileExpensive(admin, 'array::intersects($a, $b)', {
      a: list,
      b: other,
    })
    expect(expensive).toMatchObject({ok: false, statusCode: 422, type: 'queryTimeoutError'})
    expect(expensive.description).toContain('in one step')
    expect(queryBudgetStats().unyielding).toBe(before.unyielding + 1)
    await stillServes()
  }, 60_000)

  it('expensive queries arriving together take turns, one anonymous query at a time', async () => {
    const before = queryBudgetStats()
    const query = 'count(*[count(*[count(*[count(*[count(*[true])>0])>0])>0])>0])'
    const others = [outcome(anonymous.fetch(query)), outcome(anonymous.fetch(query))]
    const {expensive, cheapFinishedAt} = await whileExpensive(anonymous, query)
    const all = [expensive, ...(await Promise.all(others))]
    for (const result of all) {
      expect(result).toMatchObject({ok: false, statusCode: 422, type: 'queryTimeoutError'})
    }
    // ANONYMOUS_LIMITS.maxCooperativeQueries is 1: the other two waited for a slot.
    expect(ANONYMOUS_LIMITS.maxCooperativeQueries).toBe(1)
    expect(queryBudgetStats().queued).toBe(before.queued + 2)
    expect(cheapFinishedAt[0]).toBeLessThan(Math.min(...all.map((r) => r.finishedAt)))
    await stillServes()
  }, 60_000)

  it('loops that make no values (parameters of nulls filtered by themselves) are counted too', async () => {
    const nulls = Array.from({length: 1000}, () => null)
    const {expensive, cheapFinishedAt} = await whileExpensive(anonymous, '$p[$p[$p[@]]]', {
      p: nulls,
    })
    expect(expensive).toMatchObject({ok: false, statusCode: 422, type: 'queryTimeoutError'})
    expect(expensive.description).toContain(`time limit of ${ANONYMOUS_LIMITS.timeBudgetMs} ms`)
    expect(cheapFinishedAt[0]).toBeLessThan(expensive.finishedAt)
    await stillServes()
  }, 60_000)

  it('loops over the arrays of a stored document that make no values are counted too', async () => {
    await admin.createOrReplace({_id: 'nulls-1', _type: 'nulls', a: Array(3000).fill(null)})
    const {expensive, cheapFinishedAt} = await whileExpensive(
      anonymous,
      '*[_id == "nulls-1"][0]{"r": a[^.a[^.^.a[@]]]}',
    )
    expect(expensive).toMatchObject({ok: false, statusCode: 422, type: 'queryTimeoutError'})
    expect(cheapFinishedAt[0]).toBeLessThan(expensive.finishedAt)
    await admin.delete('nulls-1')
    await stillServes()
  }, 60_000)

  it('functions only the async evaluator of groq-js has run cooperatively', async () => {
    expect(await anonymous.fetch('diff::changedAny({"a": 1}, {"a": 2}, (a))')).toBe(true)
    expect(
      await anonymous.fetch('diff::changedOnly({"a": 1, "b": 1}, {"a": 2, "b": 1}, (b))'),
    ).toBe(false)
  })

  it('a query within its budget still answers what plain groq-js answers', async () => {
    // 30^3 steps: past the synchronous slice for nobody, but worth checking cooperatively too.
    const query = 'count(*[count(*[count(*[true]) > 0]) > 0])'
    expect(await anonymous.fetch(query)).toBe(PAGES)
    expect(await admin.fetch('*[_type == "page"] | order(title desc)[0..1].title')).toEqual([
      'Page 9',
      'Page 8',
    ])
  })
})

describe('parse bombs are refused before groq-js parses them', () => {
  const refused = async (client: SanityClient, query: string, text: RegExp) => {
    const started = performance.now()
    const result = await outcome(client.fetch(query))
    console.log(
      `${query.slice(0, 30)}… (${query.length} characters): ${result.statusCode} after ` +
        `${Math.round(result.finishedAt - started)} ms`,
    )
    expect(result).toMatchObject({ok: false, statusCode: 400, type: 'queryParseError'})
    expect(result.description).toMatch(text)
  }

  it('a 400 KB `1+1+…` (POST)', async () => {
    const query = Array(200_000).fill('1').join('+')
    await refused(admin, query, new RegExp(`limit of ${MEMBER_LIMITS.maxQueryBytes} bytes`))
    await refused(anonymous, query, new RegExp(`limit of ${ANONYMOUS_LIMITS.maxQueryBytes} bytes`))
    await stillServes()
  })

  it('anonymous callers get the tighter limit', async () => {
    const query = `"${'x'.repeat(20_000)}"`
    expect(await admin.fetch(query)).toHaveLength(20_000)
    await refused(anonymous, query, new RegExp(`limit of ${ANONYMOUS_LIMITS.maxQueryBytes} bytes`))
  })

  it('a `1+1+…` chain within the byte limit but past the token limit', async () => {
    const query = Array(MEMBER_LIMITS.maxQueryTokens).fill('1').join('+')
    await refused(admin, query, /tokens/)
  })

  it('parentheses, arrays and objects nested thousands deep', async () => {
    await refused(admin, `${'('.repeat(5000)}1${')'.repeat(5000)}`, /nests brackets/)
    await refused(admin, `${'['.repeat(5000)}1${']'.repeat(5000)}`, /nests brackets/)
    await refused(admin, `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, /nests brackets/)
    await stillServes()
  })

  it('long `->` chains', async () => {
    // 300 dereferences fit the token limit but nest the tree past its depth limit.
    await refused(admin, `*[_id == "page-1"][0]${'->'.repeat(300)}`, /expression depth/)
    await refused(admin, `*[_id == "page-1"][0]${'->'.repeat(5000)}`, /tokens/)
    // Within both, a chain answers (a page is no reference, so null).
    expect(await admin.fetch(`*[_id == "page-1"][0]${'->'.repeat(50)}`)).toBeNull()
  })

  it('a GET query string is held to the same limits', async () => {
    const query = `${'('.repeat(100)}1${')'.repeat(100)}`
    const response = await lakeFetch(
      lake,
      `/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}`,
    )
    expect(response.status).toBe(400)
    expect(response.json()).toMatchObject({
      error: {type: 'queryParseError', description: expect.stringMatching(/nests brackets/)},
    })
  })
})

describe('a client that goes away stops its query', () => {
  it('aborting the request cancels the evaluation, and the next query answers', async () => {
    const before = queryBudgetStats()
    const controller = new AbortController()
    const query = 'count(*[count(*[count(*[count(*[count(*[true])>0])>0])>0])>0])'
    const aborted = outcome(admin.fetch(query, {}, {signal: controller.signal}))
    // Running cooperatively (past its synchronous slice) and doing work.
    await vi.waitFor(
      () => expect(queryBudgetStats().steps).toBeGreaterThan(before.steps + 10_000),
      {timeout: 20_000, interval: 10},
    )
    controller.abort()
    await aborted
    await vi.waitFor(() => expect(queryBudgetStats().cancelled).toBe(before.cancelled + 1), {
      timeout: 10_000,
      interval: 10,
    })
    const stepsAtCancel = queryBudgetStats().steps
    const sent = performance.now()
    expect(await admin.fetch(bySlug, {slug: 'page-3'})).toEqual({title: 'Page 3'})
    console.log(
      `after cancelling, a by-slug query answered in ${(performance.now() - sent).toFixed(1)} ms`,
    )
    // Several turns of the event loop later, the cancelled evaluation has done nothing more.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(queryBudgetStats().steps).toBe(stepsAtCancel)
    expect(queryBudgetStats().timedOut).toBe(before.timedOut)
  }, 60_000)

  it('resetting an HTTP/2 stream cancels the evaluation', async () => {
    const before = queryBudgetStats()
    const ca = readFileSync(join(lake.dataDir, 'tls', 'cert.pem'), 'utf8')
    const session = connect(lake.url, {ca})
    const query = 'count(*[count(*[count(*[count(*[count(*[true])>0])>0])>0])>0])'
    const stream = session.request({
      ':path': `/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}`,
      authorization: `Bearer ${lake.adminToken}`,
    })
    stream.on('error', () => undefined)
    await vi.waitFor(
      () => expect(queryBudgetStats().steps).toBeGreaterThan(before.steps + 10_000),
      {timeout: 20_000, interval: 10},
    )
    stream.close()
    await vi.waitFor(() => expect(queryBudgetStats().cancelled).toBe(before.cancelled + 1), {
      timeout: 10_000,
      interval: 10,
    })
    session.close()
    await stillServes()
  }, 60_000)
})

describe('listen filters are bounded', () => {
  it('refuses a filter over the listen limits with a channel error', async () => {
    const errors: unknown[] = []
    const subscription = admin
      .listen(`*[${'('.repeat(40)}true${')'.repeat(40)}]`)
      .subscribe({error: (error: unknown) => errors.push(error)})
    await vi.waitFor(() => expect(errors).toHaveLength(1), {timeout: 10_000, interval: 20})
    expect(String(errors[0])).toMatch(/nests brackets more than 32 deep/)
    subscription.unsubscribe()
  })

  it('closes a listener whose filter runs past its time limit on a document', async () => {
    const ca = readFileSync(join(lake.dataDir, 'tls', 'cert.pem'), 'utf8')
    const session = connect(lake.url, {ca})
    // Quadratic in the document's array: 3,000^2 steps for one document.
    const filter = '_type == "heavy" && count(items[count(^.items[true]) > 0]) > 0'
    const stream = session.request({
      ':path': `/v2025-02-19/data/listen/production?query=${encodeURIComponent(`*[${filter}]`)}`,
      authorization: `Bearer ${lake.adminToken}`,
    })
    let received = ''
    stream.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')))
    const ended = new Promise((resolve) => stream.once('end', resolve))
    await vi.waitFor(() => expect(received).toContain('event: welcome'), {timeout: 10_000})
    await admin.create({
      _id: 'heavy-1',
      _type: 'heavy',
      items: Array.from({length: 3000}, (_, i) => i),
    })
    await ended
    expect(received).toContain('event: channelError')
    expect(received).toContain('queryTimeoutError')
    session.close()
    // The write itself went through, and others still hear about the next ones.
    expect(await admin.getDocument('heavy-1')).toMatchObject({_type: 'heavy'})
    await stillServes()
  }, 30_000)
})

describe('query-based mutations are bounded', () => {
  it('a delete by an expensive query is refused and deletes nothing', async () => {
    const query = '*[count(*[count(*[count(*[count(*[true])>0])>0])>0])>0]'
    const result = await outcome(admin.delete({query}))
    expect(result).toMatchObject({ok: false, statusCode: 422})
    expect(result.description).toMatch(/limit for query-based patches and deletes/)
    expect(await admin.fetch('count(*[_type == "page"])')).toBe(PAGES)
  }, 30_000)

  it('a delete by a query past the parse limits is refused and deletes nothing', async () => {
    const result = await outcome(
      admin.delete({query: `*[${'('.repeat(100)}true${')'.repeat(100)}]`}),
    )
    expect(result).toMatchObject({ok: false, statusCode: 400, type: 'queryParseError'})
    expect(await admin.fetch('count(*[_type == "page"])')).toBe(PAGES)
  })
})
