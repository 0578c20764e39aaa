/**
 * The frontend's live relay (`GET /api/live`) over real HTTP, against a real lake: a published
 * page names its sync tags; a published change to it arrives on the relay carrying one of them;
 * the relay pings idle streams, refuses readers past its bound with 503, drops a reader who
 * leaves, and closes its one upstream subscription when the last one has gone.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {seedDataset} from '../../scripts/seed'
import {startWeb, type RunningWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'

const PAGE_ID = 'page-training-development-registration-cardiac-sciences'
const PAGE_PATH = '/training-development-registration-cardiac-sciences'
const MAX = 2

let lake: TestLake
let web: RunningWeb

beforeAll(async () => {
  lake = await startTestLake()
  await seedDataset(lake.client())
  web = await startWeb({
    port: 0,
    host: '127.0.0.1',
    lakeUrl: lake.url,
    lakeDataDir: lake.dataDir,
    live: {maxSubscribers: MAX, heartbeatMs: 200},
    log: () => undefined,
  })
}, 120_000)

afterAll(async () => {
  await web?.close()
  await lake?.close()
})

interface Reader {
  /** The next event (or comment, as `{comment}`), in order. */
  next(): Promise<{event?: string; data?: unknown; comment?: string}>
  close(): void
}

async function connect(): Promise<Reader> {
  const controller = new AbortController()
  const response = await fetch(`${web.url}/api/live`, {signal: controller.signal})
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let text = ''
  return {
    async next() {
      for (;;) {
        const end = text.indexOf('\n\n')
        if (end !== -1) {
          const block = text.slice(0, end)
          text = text.slice(end + 2)
          const lines = block.split('\n').filter((line) => !line.startsWith('retry:'))
          if (lines.every((line) => line.startsWith(':'))) return {comment: lines.join('\n')}
          const field = (name: string) =>
            lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2)
          const data = field('data')
          return {event: field('event'), data: data ? (JSON.parse(data) as unknown) : undefined}
        }
        const {value, done} = await reader.read()
        if (done) throw new Error('The stream ended')
        text += decoder.decode(value, {stream: true})
      }
    },
    close: () => controller.abort(),
  }
}

/** Waits (polling, no deadline of its own: the test's timeout bounds it) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20))
}

async function pageTags(): Promise<string[]> {
  const html = await (await fetch(`${web.url}${PAGE_PATH}`)).text()
  const content = /<meta name="sanity-sync-tags" content="([^"]*)"/.exec(html)?.[1] ?? ''
  return content.split(' ').filter(Boolean)
}

describe('the live relay', () => {
  it('tells a reader of a page when a published change to it arrives, by one of its tags', async () => {
    const tags = await pageTags()
    expect(tags.length).toBeGreaterThan(0)
    for (const tag of tags) expect(tag).toMatch(/^s1:/)
    const reader = await connect()
    try {
      expect((await reader.next()).event).toBe('welcome')
      expect(web.live.upstreamOpen).toBe(true)
      await lake.client().patch(PAGE_ID).set({summary: 'A summary published just now'}).commit()
      let message: {event?: string; data?: unknown} = {}
      while (message.event !== 'message') message = await reader.next()
      const sent = (message.data as {tags: string[]}).tags
      expect(sent.some((tag) => tags.includes(tag))).toBe(true)
    } finally {
      reader.close()
    }
  })

  it('pings an idle stream so it stays open', async () => {
    const reader = await connect()
    try {
      expect((await reader.next()).event).toBe('welcome')
      expect((await reader.next()).comment).toBe(': ping')
    } finally {
      reader.close()
    }
  })

  it(`takes ${MAX} readers, refuses the next with 503, and makes room when one leaves`, async () => {
    await until(() => web.live.subscribers === 0)
    const readers = [await connect(), await connect()]
    expect(web.live.subscribers).toBe(MAX)
    const refused = await fetch(`${web.url}/api/live`)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(await refused.text()).toMatch(/at most 2/)
    readers[0]?.close()
    await until(() => web.live.subscribers === MAX - 1)
    const another = await connect()
    expect((await another.next()).event).toBe('welcome')
    readers[1]?.close()
    another.close()
    await until(() => web.live.subscribers === 0)
    // Nobody is listening: the relay stops listening to the lake too.
    expect(web.live.upstreamOpen).toBe(false)
  })

  it('answers only GET', async () => {
    const response = await fetch(`${web.url}/api/live`, {method: 'POST'})
    expect(response.status).toBe(405)
  })
})
