/**
 * "Is this page useful?": `POST /feedback/useful` against a real careers lake through the stock
 * client and the intake's own token. One counter per page per day, nothing personal in it, 200
 * answers at once all counted, and the same defences as reports (origin, rate, size, type).
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {usefulCounterId} from '../../feedback/useful'
import type {FeedbackIntakeOptions} from '../../intake'
import {intakeToken} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'
import {form, FORM, JSON_TYPE, mountIntake, type MountedIntake, post, testClock} from './helpers'

const SITE = 'https://www.healthcareers.nhs.uk'
const USEFUL = '/feedback/useful'

let lake: TestLake
let admin: SanityClient
const mounted: MountedIntake[] = []

beforeAll(async () => {
  lake = await startTestLake()
  admin = lake.client()
  for (const slug of ['useful-a', 'useful-b', 'useful-c']) {
    await admin.createOrReplace({
      _id: `page-${slug}`,
      _type: 'page',
      title: slug,
      slug: {_type: 'slug', current: slug},
    })
  }
})

afterAll(async () => {
  await Promise.all(mounted.map((m) => m.close()))
  await lake?.close()
})

async function intake(options: Partial<FeedbackIntakeOptions> = {}) {
  const clock = testClock()
  const m = await mountIntake({
    client: lake.client({token: intakeToken(lake)}),
    rateLimit: false,
    usefulRateLimit: false,
    siteUrl: SITE,
    clock: clock.now,
    ...options,
  })
  mounted.push(m)
  return {...m, clock}
}

const DAY = '2026-11-25'

describe('counting answers', () => {
  it('a form post counts and goes back to the page: yes thanks, no opens the form', async () => {
    const {url} = await intake()
    const yes = await post(
      url,
      form({url: '/useful-a', useful: 'yes', returnTo: '/useful-a'}),
      {
        ...FORM,
        origin: url,
      },
      USEFUL,
    )
    expect(yes.status).toBe(303)
    expect(yes.headers['location']).toBe(`${url}/useful-a?useful=yes#useful`)
    const no = await post(
      url,
      form({url: '/useful-a', useful: 'no', returnTo: '/useful-a'}),
      {
        ...FORM,
        origin: url,
      },
      USEFUL,
    )
    expect(no.headers['location']).toBe(`${url}/useful-a?useful=no#feedback`)
    expect(await admin.getDocument(usefulCounterId('page-useful-a', DAY))).toMatchObject({
      _type: 'feedbackUseful',
      page: {_ref: 'page-useful-a'},
      day: DAY,
      yes: 1,
      no: 1,
    })
  })

  it('JSON answers 201 and keeps nothing personal (no address, no browser)', async () => {
    const {url} = await intake()
    const res = await post(
      url,
      JSON.stringify({url: `${SITE}/useful-b`, useful: 'no'}),
      {
        ...JSON_TYPE,
        'user-agent': 'Mozilla/5.0 (jane@example.com)',
      },
      USEFUL,
    )
    expect(res.status).toBe(201)
    expect(res.json()).toEqual({page: 'page-useful-b', day: DAY, useful: 'no'})
    const counter = await admin.getDocument(usefulCounterId('page-useful-b', DAY))
    expect(Object.keys(counter!).sort()).toEqual(
      [
        '_createdAt',
        '_id',
        '_rev',
        '_type',
        '_updatedAt',
        'day',
        'no',
        'page',
        'path',
        'yes',
      ].sort(),
    )
    expect(JSON.stringify(counter)).not.toMatch(/127\.0\.0\.1|Mozilla|jane/)
  })

  it('200 answers at once are all counted, in one document', async () => {
    const {url} = await intake()
    const answers = Array.from({length: 200}, (_, i) => (i % 4 === 0 ? 'no' : 'yes'))
    const results = await Promise.all(
      answers.map((useful) =>
        post(url, JSON.stringify({url: '/useful-c', useful}), JSON_TYPE, USEFUL),
      ),
    )
    expect(results.map((r) => r.status)).toEqual(answers.map(() => 201))
    expect(await admin.getDocument(usefulCounterId('page-useful-c', DAY))).toMatchObject({
      yes: 150,
      no: 50,
    })
    expect(
      await admin.fetch(`count(*[_type == "feedbackUseful" && page._ref == "page-useful-c"])`),
    ).toBe(1)
  })

  it('the next day starts a new counter', async () => {
    const {url, clock} = await intake()
    clock.advance(24 * 60 * 60 * 1000)
    await post(url, JSON.stringify({url: '/useful-a', useful: 'yes'}), JSON_TYPE, USEFUL)
    expect(await admin.getDocument(usefulCounterId('page-useful-a', '2026-11-26'))).toMatchObject({
      yes: 1,
      no: 0,
    })
  })
})

describe('bad answers change nothing', () => {
  it('an answer other than yes or no is a 422 naming "useful"', async () => {
    const {url} = await intake()
    const res = await post(
      url,
      JSON.stringify({url: '/useful-a', useful: 'maybe'}),
      JSON_TYPE,
      USEFUL,
    )
    expect(res.status).toBe(422)
    expect(res.json()).toMatchObject({error: {field: 'useful'}})
  })

  it('an address that is no page is a 422 naming "url"', async () => {
    const {url} = await intake()
    const res = await post(
      url,
      JSON.stringify({url: '/no-such-page', useful: 'no'}),
      JSON_TYPE,
      USEFUL,
    )
    expect(res.status).toBe(422)
    expect(res.json()).toMatchObject({error: {field: 'url'}})
    expect(
      await admin.fetch(`count(*[_type == "feedbackUseful" && path == "/no-such-page"])`),
    ).toBe(0)
  })

  it('nobody but the intake writes a counter, not even an administrator', async () => {
    const id = usefulCounterId('page-useful-a', DAY)
    await expect(admin.patch(id).inc({no: 100}).commit()).rejects.toThrow(
      /Only the feedback intake/,
    )
    const reviewer = lake.client({token: lake.createToken('reviewer')})
    await expect(reviewer.patch(id).set({yes: 0}).commit()).rejects.toThrow(
      /Only the feedback intake/,
    )
  })
})

describe('the same defences as reports', () => {
  it('refuses a cross-site post (403)', async () => {
    const {url} = await intake()
    const res = await post(
      url,
      form({url: '/useful-a', useful: 'yes'}),
      {
        ...FORM,
        origin: 'https://evil.example',
      },
      USEFUL,
    )
    expect(res.status).toBe(403)
  })

  it('refuses another content type (415) and a body over the limit (413)', async () => {
    const {url} = await intake()
    expect((await post(url, 'useful=yes', {'content-type': 'text/plain'}, USEFUL)).status).toBe(415)
    const big = form({url: '/useful-a', useful: 'yes', pad: 'x'.repeat(40_000)})
    expect((await post(url, big, FORM, USEFUL)).status).toBe(413)
  })

  it('limits each client in its own bucket: a 429 in words with a way back, reports unaffected', async () => {
    const {url} = await intake({
      usefulRateLimit: {limit: 1, windowMs: 60_000},
      rateLimit: {limit: 1, windowMs: 60_000},
    })
    const first = await post(
      url,
      form({url: '/useful-a', useful: 'yes', returnTo: '/useful-a'}),
      FORM,
      USEFUL,
    )
    expect(first.status).toBe(303)
    const second = await post(
      url,
      form({url: '/useful-a', useful: 'yes', returnTo: '/useful-a'}),
      {...FORM, referer: `${url}/useful-a?x=1`},
      USEFUL,
    )
    expect(second.status).toBe(429)
    expect(second.headers['retry-after']).toBe('60')
    expect(second.body).toContain('You can send another answer in 1 minute.')
    expect(second.body).toContain('href="/useful-a"')
    // A report still goes through: answering did not use up the reader's report.
    const report = await post(
      url,
      JSON.stringify({
        url: '/useful-a',
        whatWentWrong: 'The page says nothing about the STP',
        renderedAt: String(Date.parse('2026-11-25T08:59:00Z')),
      }),
      JSON_TYPE,
    )
    expect(report.status).toBe(201)
  })
})
