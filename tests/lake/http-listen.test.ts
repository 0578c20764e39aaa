/**
 * `client.listen()` against a real lake: welcome first, then one mutation event per matching
 * document per transaction, in commit order, with transitions, revisions, mutations, mendoza
 * effects and results as the Studio needs them; filtering by GROQ and by what the listener may
 * read; query errors; and cleanup when the client goes away.
 */
import {readFileSync} from 'node:fs'
import {connect} from 'node:http2'
import {join} from 'node:path'

import type {ListenEvent, MutationEvent, SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let client: SanityClient

beforeAll(async () => {
  lake = await startTestLake()
  client = lake.client()
})
afterAll(() => lake.close())

interface Collector {
  events: ListenEvent<Record<string, unknown>>[]
  errors: unknown[]
  mutations: () => MutationEvent<Record<string, unknown>>[]
  welcomed: () => Promise<void>
  stop: () => void
}

function listen(
  listener: SanityClient,
  query: string,
  params: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
): Collector {
  const events: ListenEvent<Record<string, unknown>>[] = []
  const errors: unknown[] = []
  const subscription = listener
    .listen(query, params, {events: ['welcome', 'mutation'], ...options})
    .subscribe({next: (event) => events.push(event), error: (error: unknown) => errors.push(error)})
  return {
    events,
    errors,
    mutations: () =>
      events.filter((e): e is MutationEvent<Record<string, unknown>> => e.type === 'mutation'),
    welcomed: () =>
      vi.waitFor(() => expect(events[0]?.type).toBe('welcome'), {timeout: 10_000, interval: 20}),
    stop: () => subscription.unsubscribe(),
  }
}

async function untilMutations(collector: Collector, count: number): Promise<void> {
  await vi.waitFor(() => expect(collector.mutations().length).toBeGreaterThanOrEqual(count), {
    timeout: 10_000,
    interval: 20,
  })
}

describe('listen', () => {
  it('delivers appear, update and disappear events in commit order with revisions', async () => {
    const l = listen(
      client,
      '*[_type == "listened"]',
      {},
      {
        includeResult: true,
        includePreviousRevision: true,
        effectFormat: 'mendoza',
        visibility: 'query',
      },
    )
    await l.welcomed()

    const created = await client.create({_id: 'l1', _type: 'listened', n: 0})
    for (let n = 1; n <= 5; n++) await client.patch('l1').set({n}).commit()
    const transactionId = 'tx-both'
    await client
      .transaction()
      .patch('l1', (p) => p.set({n: 6}))
      .create({_id: 'l2', _type: 'listened', n: 0})
      .commit({transactionId})
    await client.create({_id: 'unrelated', _type: 'other'})
    await client.delete('l1')

    await untilMutations(l, 9)
    const events = l.mutations()
    expect(events).toHaveLength(9)
    expect(events.map((e) => [e.documentId, e.transition])).toEqual([
      ['l1', 'appear'],
      ['l1', 'update'],
      ['l1', 'update'],
      ['l1', 'update'],
      ['l1', 'update'],
      ['l1', 'update'],
      ['l1', 'update'],
      ['l2', 'appear'],
      ['l1', 'disappear'],
    ])
    // Each event's previous revision is the one before it: nothing lost, nothing reordered.
    const l1 = events.filter((e) => e.documentId === 'l1')
    expect(l1[0]?.resultRev).toBe(created._rev)
    for (let i = 1; i < l1.length; i++) expect(l1[i]?.previousRev).toBe(l1[i - 1]?.resultRev)
    expect(l1.slice(0, 7).map((e) => e.result?.['n'])).toEqual([0, 1, 2, 3, 4, 5, 6])

    const [both1, both2] = events.slice(6, 8)
    expect(both1).toMatchObject({
      transactionId,
      eventId: `${transactionId}#l1`,
      transactionTotalEvents: 2,
      transactionCurrentEvent: 1,
      identity: 'p-localdev',
      visibility: 'query',
      previous: {n: 5},
      effects: {
        apply: [0, expect.objectContaining({n: 6})],
        revert: [0, expect.objectContaining({n: 5})],
      },
      mutations: expect.any(Array),
    })
    expect(both1?.effects?.apply[1]).not.toHaveProperty('_rev')
    expect(both2).toMatchObject({
      transactionId,
      transactionCurrentEvent: 2,
      transactionTotalEvents: 2,
    })

    const gone = events[8]
    expect(gone).toMatchObject({effects: {apply: [0, null]}})
    expect(gone).not.toHaveProperty('result')
    l.stop()
  })

  it('reports a document leaving the filter as disappear, and honours includeMutations=false', async () => {
    await client.create({_id: 'mover', _type: 'watched'})
    // (@sanity/client never sends `includeResult=false`: it drops false options from the URL.)
    const l = listen(client, '*[_type == $type]', {type: 'watched'}, {includeMutations: false})
    await l.welcomed()
    await client.patch('mover').set({_type: 'unwatched'}).commit()
    await untilMutations(l, 1)
    const [event] = l.mutations()
    expect(event).toMatchObject({documentId: 'mover', transition: 'disappear'})
    expect(event?.result).toMatchObject({_type: 'unwatched'})
    expect(event).not.toHaveProperty('mutations')
    l.stop()
  })

  it('shows anonymous listeners only public documents', async () => {
    const anonymous = listen(lake.client({token: null}), '*')
    await anonymous.welcomed()
    await client
      .transaction()
      .create({_id: 'drafts.secret-draft', _type: 'page'})
      .create({_id: 'feedback.secret', _type: 'feedbackSubmission', status: 'new'})
      .create({_id: 'public-news', _type: 'page'})
      .commit()
    await untilMutations(anonymous, 1)
    // Wait for anything else that might (wrongly) follow before asserting.
    await client.create({_id: 'public-marker', _type: 'page'})
    await untilMutations(anonymous, 2)
    expect(anonymous.mutations().map((e) => e.documentId)).toEqual(['public-news', 'public-marker'])
    expect(anonymous.mutations()[0]?.transactionTotalEvents).toBe(1)
    anonymous.stop()
  })

  it('gives listeners sharing a filter each their own reads and options', async () => {
    // Same query and parameters: one shared predicate, but each listener's role and options.
    const query = '*[_type == $type]'
    const withResult = listen(client, query, {type: 'sharedFilter'}, {includeResult: true})
    const withoutResult = listen(
      client,
      query,
      {type: 'sharedFilter'},
      {includeResult: true, includeMutations: false},
    )
    const anonymous = listen(lake.client({token: null}), query, {type: 'sharedFilter'})
    await Promise.all([withResult.welcomed(), withoutResult.welcomed(), anonymous.welcomed()])
    await client
      .transaction()
      .create({_id: 'drafts.shared-draft', _type: 'sharedFilter', n: 1})
      .create({_id: 'shared-public', _type: 'sharedFilter', n: 2})
      .commit()
    await Promise.all([
      untilMutations(withResult, 2),
      untilMutations(withoutResult, 2),
      untilMutations(anonymous, 1),
    ])
    expect(withResult.mutations().map((e) => e.result?.['n'])).toEqual([1, 2])
    expect(withResult.mutations().every((e) => Array.isArray(e.mutations))).toBe(true)
    expect(withoutResult.mutations().map((e) => e.mutations)).toEqual([undefined, undefined])
    expect(withoutResult.mutations().map((e) => e.documentId)).toEqual([
      'drafts.shared-draft',
      'shared-public',
    ])
    // The anonymous listener's event counts only what it may read.
    await client.create({_id: 'shared-marker', _type: 'sharedFilter'})
    await untilMutations(anonymous, 2)
    expect(anonymous.mutations().map((e) => e.documentId)).toEqual([
      'shared-public',
      'shared-marker',
    ])
    expect(anonymous.mutations()[0]?.transactionTotalEvents).toBe(1)
    for (const l of [withResult, withoutResult, anonymous]) l.stop()
  })

  it('fails a listener with an invalid query with a channel error', async () => {
    const l = listen(client, '*[_type == ')
    await vi.waitFor(() => expect(l.errors).toHaveLength(1), {timeout: 10_000, interval: 20})
    expect(String(l.errors[0])).toMatch(/./)
    l.stop()
  })

  it('disconnects a listener that stops reading instead of buffering without bound', async () => {
    const ca = readFileSync(join(lake.dataDir, 'tls', 'cert.pem'), 'utf8')
    const session = connect(lake.url, {ca})
    const stream = session.request({
      ':path': `/v2025-02-19/data/listen/production?query=${encodeURIComponent('*[_type == "bulky"]')}`,
      authorization: `Bearer ${lake.adminToken}`,
    })
    let received = ''
    const onData = (chunk: Buffer) => (received += chunk.toString('utf8'))
    stream.on('data', onData)
    await vi.waitFor(() => expect(received).toContain('event: welcome'), {timeout: 10_000})
    const before = lake.connections().listeners
    stream.off('data', onData)
    stream.pause()
    const blob = 'b'.repeat(1_000_000)
    for (let i = 0; i < 24; i++)
      await client.createOrReplace({_id: `bulky-${i}`, _type: 'bulky', blob})
    await vi.waitFor(() => expect(lake.connections().listeners).toBe(before - 1), {timeout: 10_000})
    const ended = new Promise((resolve) => stream.once('end', resolve))
    stream.resume()
    await ended
    session.close()
  })

  it('cleans up a listener when the client disconnects', async () => {
    await vi.waitFor(() => expect(lake.connections().listeners).toBe(0), {timeout: 10_000})
    const l = listen(client, '*')
    await l.welcomed()
    expect(lake.connections().listeners).toBe(1)
    l.stop()
    await vi.waitFor(() => expect(lake.connections().listeners).toBe(0), {timeout: 10_000})
  })
})
