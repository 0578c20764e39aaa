/**
 * The Live Content API against a real generic lake: `syncTags` on query responses, and
 * `GET /data/live/events` through the stock `client.live.events()` (welcome, message tags,
 * what anonymous listeners may hear, drafts with a token) and raw SSE (resume with
 * `Last-Event-ID`, `restart`). No timed assertions: "heard nothing" is proven by the next event
 * being a later write's.
 */
import type {LiveEvent, SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {EVERYTHING_TAG, MAX_REPLAY_TRANSACTIONS, queryTags, typeTag} from '../../server/http/live'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

/** Events of an observable, one `next()` at a time. */
function queue(observable: {
  subscribe(observer: {next(event: LiveEvent): void; error(error: unknown): void}): {
    unsubscribe(): void
  }
}) {
  const buffered: LiveEvent[] = []
  const waiting: ((event: LiveEvent) => void)[] = []
  let failure: unknown
  const subscription = observable.subscribe({
    next(event) {
      const take = waiting.shift()
      if (take) take(event)
      else buffered.push(event)
    },
    error(error) {
      failure = error
    },
  })
  return {
    next(): Promise<LiveEvent> {
      if (failure) return Promise.reject(failure as Error)
      const event = buffered.shift()
      return event ? Promise.resolve(event) : new Promise((resolve) => waiting.push(resolve))
    },
    close: () => subscription.unsubscribe(),
  }
}

/** Reads raw SSE events from a response until `count` have arrived. */
async function readEvents(
  lake: TestLake,
  init: {headers?: Record<string, string>; query?: string; token?: string},
  count: number,
): Promise<{event: string; id?: string; data: unknown}[]> {
  const controller = new AbortController()
  const headers = new Headers(init.headers)
  if (init.token) headers.set('authorization', `Bearer ${init.token}`)
  const response = await fetch(
    `${lake.url}/v2021-03-25/data/live/events/production${init.query ?? ''}`,
    {headers, signal: controller.signal},
  )
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/event-stream')
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const events: {event: string; id?: string; data: unknown}[] = []
  let text = ''
  while (events.length < count) {
    const {value, done} = await reader.read()
    if (done) break
    text += decoder.decode(value, {stream: true})
    let end: number
    while ((end = text.indexOf('\n\n')) !== -1) {
      const block = text.slice(0, end)
      text = text.slice(end + 2)
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      ) as Record<string, string>
      if (!fields['event']) continue
      events.push({
        event: fields['event'],
        ...(fields['id'] ? {id: fields['id']} : {}),
        data: JSON.parse(fields['data'] ?? 'null') as unknown,
      })
    }
  }
  controller.abort()
  return events
}

let lake: TestLake
let admin: SanityClient
let anonymous: SanityClient

beforeAll(async () => {
  lake = await startTestLake({generic: true})
  admin = lake.client()
  anonymous = lake.client({token: null, perspective: 'published'})
})
afterAll(() => lake.close())

describe('syncTags', () => {
  it('tags a query by the types its filters confine it to', async () => {
    const response = await anonymous.fetch(
      '*[_type == $type]',
      {type: 'page'},
      {filterResponse: false},
    )
    expect(response.syncTags).toEqual([typeTag('page')])
    expect(
      queryTags('*[_type in ["a", "b"] && defined(x)]{x, "n": count(*[_type == "c"])}', {}),
    ).toEqual([typeTag('a'), typeTag('b'), typeTag('c')].sort())
    expect(queryTags('*[_type == "a" || _type in $more]', {more: ['b']})).toEqual(
      [typeTag('a'), typeTag('b')].sort(),
    )
  })

  it('falls back to the everything tag when a query can read any type', () => {
    expect(queryTags('*[_id == "settings"][0]', {})).toEqual([EVERYTHING_TAG])
    expect(queryTags('*[_type == "page"]{specialism->}', {})).toEqual([EVERYTHING_TAG])
    expect(queryTags('*[_type == "a" || title == "x"]', {})).toEqual([EVERYTHING_TAG])
    expect(queryTags('*[_type == $type]', {type: 3})).toEqual([EVERYTHING_TAG])
  })
})

describe('live events', () => {
  it('streams the tags a published write invalidates, to anonymous listeners too', async () => {
    const events = queue(anonymous.live.events())
    expect(await events.next()).toMatchObject({type: 'welcome'})
    const {syncTags} = await anonymous.fetch('*[_type == "page"]', {}, {filterResponse: false})
    const written = await admin.createOrReplace({_id: 'live-page', _type: 'page', title: 'A'})
    const message = await events.next()
    expect(message).toMatchObject({type: 'message', id: written._rev})
    if (message.type !== 'message') throw new Error('expected a message')
    for (const tag of syncTags ?? []) expect(message.tags).toContain(tag)
    expect(message.tags).toContain(EVERYTHING_TAG)
    expect(message.tags).not.toContain(typeTag('person'))
    events.close()
  })

  it('tells anonymous listeners nothing about drafts or private documents', async () => {
    const events = queue(anonymous.live.events({tag: 'anonymous-privacy'}))
    expect(await events.next()).toMatchObject({type: 'welcome'})
    await admin.createOrReplace({_id: 'drafts.live-page', _type: 'page', title: 'draft'})
    await admin.createOrReplace({_id: 'private.note', _type: 'secretNote', body: 'x'})
    const marker = await admin.createOrReplace({_id: 'live-person', _type: 'person'})
    // The next event is the marker's: the draft and the private write produced none.
    const message = await events.next()
    expect(message).toMatchObject({type: 'message', id: marker._rev})
    if (message.type !== 'message') throw new Error('expected a message')
    expect(message.tags).not.toContain(typeTag('secretNote'))
    events.close()
  })

  it('streams drafts to a listener with a token and includeDrafts', async () => {
    const viewer = lake.client({token: lake.createToken('viewer')})
    const events = queue(viewer.live.events({includeDrafts: true}))
    expect(await events.next()).toMatchObject({type: 'welcome'})
    const draft = await admin.createOrReplace({_id: 'drafts.live-draft', _type: 'draftOnly'})
    const message = await events.next()
    expect(message).toMatchObject({type: 'message', id: draft._rev})
    if (message.type !== 'message') throw new Error('expected a message')
    expect(message.tags).toContain(typeTag('draftOnly'))
    events.close()
  })

  it('refuses includeDrafts without a token (401)', async () => {
    const response = await lakeFetch(
      lake,
      '/v2021-03-25/data/live/events/production?includeDrafts=true',
    )
    expect(response.status).toBe(401)
    expect(response.text).toContain('includeDrafts')
  })

  it('resumes after Last-Event-ID with what was missed, in order', async () => {
    const first = await admin.createOrReplace({_id: 'resume-1', _type: 'page'})
    const second = await admin.createOrReplace({_id: 'resume-2', _type: 'person'})
    await admin.createOrReplace({_id: 'drafts.resume-3', _type: 'page'})
    const third = await admin.createOrReplace({_id: 'resume-4', _type: 'page'})
    const events = await readEvents(lake, {headers: {'last-event-id': first._rev}}, 3)
    expect(events.map(({event, id}) => [event, id])).toEqual([
      ['welcome', third._rev],
      ['message', second._rev],
      ['message', third._rev],
    ])
    expect(events[1]?.data).toEqual({tags: [EVERYTHING_TAG, typeTag('person')].sort()})
  })

  it('answers an id it does not know with restart', async () => {
    const events = await readEvents(lake, {headers: {'last-event-id': 'not-a-transaction'}}, 2)
    expect(events.map(({event}) => event)).toEqual(['welcome', 'restart'])
  })

  it('tells anonymous listeners when a public document starts using an asset', async () => {
    const asset = await admin.assets.upload('file', Buffer.from('live asset'), {
      contentType: 'text/plain',
    })
    const events = queue(anonymous.live.events({tag: 'asset-tags'}))
    expect(await events.next()).toMatchObject({type: 'welcome'})
    const {syncTags} = await anonymous.fetch(
      '*[_type == "sanity.fileAsset"]._id',
      {},
      {
        filterResponse: false,
      },
    )
    expect(syncTags).toEqual([typeTag('sanity.fileAsset')])
    await admin.createOrReplace({
      _id: 'live-uses-asset',
      _type: 'page',
      file: {_type: 'file', asset: {_type: 'reference', _ref: asset._id}},
    })
    const message = await events.next()
    if (message.type !== 'message') throw new Error('expected a message')
    expect(message.tags).toContain(typeTag('sanity.fileAsset'))
    expect(await anonymous.fetch('*[_type == "sanity.fileAsset"]._id')).toContain(asset._id)
    events.close()
  })

  it(`replays up to ${MAX_REPLAY_TRANSACTIONS} missed transactions and restarts past that`, async () => {
    const session = lake.session({id: 'p-bulk', name: 'Bulk', role: 'administrator'})
    const from = await session.mutate([{createOrReplace: {_id: 'bulk-0', _type: 'bulk'}}])
    // Concurrent writes are still one transaction each (group commit shares only the fsync).
    const all = await Promise.all(
      Array.from({length: MAX_REPLAY_TRANSACTIONS}, (_, index) =>
        session.mutate([{createOrReplace: {_id: `bulk-${index + 1}`, _type: 'bulk'}}]),
      ),
    )
    const head = all.reduce((latest, transaction) =>
      transaction.timestamp >= latest.timestamp ? transaction : latest,
    )
    // Exactly the limit behind: welcome, then every missed transaction.
    const replayed = await readEvents(
      lake,
      {headers: {'last-event-id': from.transactionId}},
      1 + MAX_REPLAY_TRANSACTIONS,
    )
    expect(replayed.filter(({event}) => event === 'message')).toHaveLength(MAX_REPLAY_TRANSACTIONS)
    expect(replayed.at(-1)?.id).toBe(head.transactionId)
    // One more behind: restart.
    const log = lake.store.transactions({
      toTransaction: from.transactionId,
      reverse: true,
      limit: 2,
    })
    const before = log[1]?.id ?? ''
    expect(before).not.toBe('')
    const restarted = await readEvents(lake, {headers: {'last-event-id': before}}, 2)
    expect(restarted.map(({event}) => event)).toEqual(['welcome', 'restart'])
  })

  it('forgets a listener once its client goes away', async () => {
    // The earlier tests' listeners first finish closing.
    await vi.waitFor(() => expect(lake.connections().live).toBe(0), {timeout: 10_000})
    const events = queue(anonymous.live.events({tag: 'cleanup'}))
    expect(await events.next()).toMatchObject({type: 'welcome'})
    expect(lake.connections().live).toBe(1)
    events.close()
    await vi.waitFor(() => expect(lake.connections().live).toBe(0), {timeout: 10_000})
  })
})
