/**
 * The intake against a real lake: mounted on loopback HTTP/1.1 and HTTP/2 servers, writing with
 * a reviewer token (the least a writer of feedback needs) through `@sanity/client`.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {FeedbackIntakeOptions} from '../../intake'
import {signRenderedAt} from '../../intake/formToken'
import {submissionId} from '../../intake/id'
import {intakeToken} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'
import {
  form,
  FORM,
  JSON_TYPE,
  mountIntake,
  type MountedIntake,
  post,
  postHttp2,
  testClock,
} from './helpers'

const SITE = 'https://www.healthcareers.nhs.uk'
const PAGE_PATH = '/working-health/cardiac-sciences'
const CONTACT = 'https://www.healthcareers.nhs.uk/about/contact-us'

let lake: TestLake
let writer: SanityClient
let admin: SanityClient
let pageRev: string
const mounted: MountedIntake[] = []

beforeAll(async () => {
  lake = await startTestLake()
  admin = lake.client()
  writer = lake.client({token: intakeToken(lake)})
  const page = await admin.createOrReplace({
    _id: 'page-cardiac-sciences',
    _type: 'page',
    title: 'Cardiac sciences',
    slug: {_type: 'slug', current: 'cardiac-sciences'},
  })
  pageRev = page._rev
  await admin.createOrReplace({_id: 'settings', _type: 'settings', contactPageUrl: CONTACT})
})

afterAll(async () => {
  await Promise.all(mounted.map((m) => m.close()))
  await lake?.close()
})

async function intake(
  options: Partial<FeedbackIntakeOptions> = {},
  protocol: 'http1' | 'http2' = 'http1',
): Promise<MountedIntake & {clock: ReturnType<typeof testClock>}> {
  const clock = testClock()
  const m = await mountIntake(
    {client: writer, rateLimit: false, clock: clock.now, siteUrl: SITE, ...options},
    protocol,
  )
  mounted.push(m)
  return {...m, clock}
}

let serial = 0
/** A genuine report, unique per call so duplicate detection stays out of the way. */
function report(clock: {now: () => number}, extra: Record<string, unknown> = {}) {
  serial++
  return {
    url: `${SITE}${PAGE_PATH}`,
    whatDoing: `Reading about echocardiography training, visit ${serial}`,
    whatWentWrong: `The link to the HSST page goes nowhere (case ${serial})`,
    category: 'broken-link',
    renderedAt: String(clock.now() - 30_000),
    idempotencyKey: `test-${serial}-${Date.now()}`,
    ...extra,
  }
}

async function stored(id: string) {
  return admin.getDocument<Record<string, unknown>>(id)
}

describe('accepting reports', () => {
  it('stores a form post against the page and its revision, and redirects back (303)', async () => {
    const {url, clock} = await intake()
    const fields = report(clock, {contactConsent: 'yes'})
    const res = await post(url, form(fields), {
      ...FORM,
      referer: `${url}${PAGE_PATH}?utm=x`,
      'user-agent': 'Mozilla/5.0 test',
    })
    expect(res.status).toBe(303)
    expect(res.headers['location']).toBe(`${url}${PAGE_PATH}?utm=x&feedback=sent#feedback`)
    const doc = await stored(submissionId(fields.idempotencyKey))
    expect(doc).toMatchObject({
      _type: 'feedbackSubmission',
      status: 'new',
      url: `${SITE}${PAGE_PATH}`,
      path: PAGE_PATH,
      whatDoing: fields.whatDoing,
      whatWentWrong: fields.whatWentWrong,
      category: 'broken-link',
      contactConsent: true,
      page: {_type: 'reference', _ref: 'page-cardiac-sciences', _weak: true},
      pageRevision: pageRev,
      submittedAt: new Date(clock.now()).toISOString(),
      userAgent: 'Mozilla/5.0 test',
      referrer: `${url}${PAGE_PATH}`,
      piiMasked: false,
    })
  })

  it('answers JSON with 201 {id, status} and is idempotent by key', async () => {
    const {url, clock} = await intake()
    const fields = report(clock)
    const first = await post(url, JSON.stringify(fields), JSON_TYPE)
    const second = await post(url, JSON.stringify(fields), JSON_TYPE)
    expect(first.status).toBe(201)
    expect(first.json()).toMatchObject({
      id: submissionId(fields.idempotencyKey),
      status: 'received',
    })
    expect(second.json()).toEqual(first.json())
    const count = await admin.fetch<number>('count(*[idempotencyKey == $key])', {
      key: fields.idempotencyKey,
    })
    expect(count).toBe(1)
  })

  it('works over HTTP/2 (the lake’s protocol)', async () => {
    const {url, clock} = await intake({}, 'http2')
    const fields = report(clock)
    const res = await postHttp2(url, JSON.stringify(fields), JSON_TYPE)
    expect(res.status).toBe(201)
    expect(await stored(submissionId(fields.idempotencyKey))).toMatchObject({status: 'new'})
  })

  it('routes career questions to the contact page and stores them as not-a-page-problem', async () => {
    const {url, clock} = await intake()
    const fields = report(clock, {category: 'career-question'})
    const res = await post(url, JSON.stringify(fields), JSON_TYPE)
    expect(res.status).toBe(201)
    expect(res.json()).toMatchObject({status: 'not-a-page-problem', contactUrl: CONTACT})
    expect(await stored(submissionId(fields.idempotencyKey))).toMatchObject({
      status: 'not-a-page-problem',
    })
    const html = await post(url, form(report(clock, {category: 'career-question'})), FORM)
    expect(html.status).toBe(200)
    expect(html.body).toContain(`href="${CONTACT}"`)
  })

  it('stores a report about an unknown address without a page reference', async () => {
    const {url, clock} = await intake()
    const fields = report(clock, {url: '/no/such-page'})
    expect((await post(url, JSON.stringify(fields), JSON_TYPE)).status).toBe(201)
    const doc = await stored(submissionId(fields.idempotencyKey))
    expect(doc).toMatchObject({path: '/no/such-page', url: `${SITE}/no/such-page`})
    expect(doc?.['page']).toBeUndefined()
  })
})

describe('defences', () => {
  it('413: a declared body over the limit is refused without reading it', async () => {
    const {url} = await intake({bodyLimit: 1000})
    const res = await post(url, 'x'.repeat(10), {...FORM, 'content-length': '5000'})
    expect(res.status).toBe(413)
  })

  it('413: a chunked body that grows past the limit is cut off', async () => {
    const {url} = await intake({bodyLimit: 1000})
    const res = await post(
      url,
      Array.from({length: 20}, () => 'whatDoing=' + 'a'.repeat(100)),
      FORM,
    )
    expect(res.status).toBe(413)
  })

  it.each(['text/plain', 'multipart/form-data; boundary=x', 'application/xml', ''])(
    '415: content type "%s"',
    async (type) => {
      const {url, clock} = await intake()
      const res = await post(url, JSON.stringify(report(clock)), type ? {'content-type': type} : {})
      expect(res.status).toBe(415)
    },
  )

  it('400 naming the field: too long, null bytes, URL too long (JSON)', async () => {
    const {url, clock} = await intake()
    const long = await post(
      url,
      JSON.stringify(report(clock, {whatWentWrong: 'a'.repeat(1251)})),
      JSON_TYPE,
    )
    expect(long.status).toBe(400)
    expect(long.json()).toMatchObject({error: {field: 'whatWentWrong'}})
    const nul = await post(url, JSON.stringify(report(clock, {whatDoing: 'a\u0000b'})), JSON_TYPE)
    expect(nul.json()).toMatchObject({error: {field: 'whatDoing'}})
    const longUrl = await post(
      url,
      JSON.stringify(report(clock, {url: `${SITE}/${'p'.repeat(2048)}`})),
      JSON_TYPE,
    )
    expect(longUrl.status).toBe(400)
    expect(longUrl.json()).toMatchObject({error: {field: 'url'}})
  })

  it('form validation errors re-show the form with the message and what was typed', async () => {
    const {url, clock} = await intake()
    const tooLong = await post(
      url,
      form(report(clock, {whatDoing: '<b>mine</b>', whatWentWrong: 'w'.repeat(1251)})),
      FORM,
    )
    expect(tooLong.status).toBe(400)
    expect(tooLong.body).toContain('What went wrong')
    expect(tooLong.body).toContain('&lt;b&gt;mine&lt;/b&gt;')
    const empty = await post(url, form({url: PAGE_PATH, whatDoing: '', whatWentWrong: ' '}), FORM)
    expect(empty.status).toBe(422)
    expect(empty.headers['content-type']).toMatch(/text\/html/)
    expect(empty.body).toContain('Tell us what you were doing or what went wrong')
    expect(empty.headers['content-security-policy']).toContain("default-src 'none'")
    expect(empty.body).toContain('action="/feedback"')
  })

  it('nothing is stored for invalid submissions', async () => {
    const {url, clock} = await intake()
    const fields = report(clock, {whatWentWrong: 'a'.repeat(1251)})
    await post(url, JSON.stringify(fields), JSON_TYPE)
    expect(await stored(submissionId(fields.idempotencyKey))).toBeUndefined()
  })

  it.each([
    ['honeypot', {website: 'http://cheap.example'}, 'hidden "website" field'],
    ['timing', {renderedAt: 'NOW'}, 'Sent sooner'],
    [
      'scanner marker',
      {whatWentWrong: "1' UNION SELECT password FROM users--"},
      'security scanners',
    ],
    [
      'identical fields',
      {whatDoing: 'Nothing works here', whatWentWrong: 'nothing works here'},
      'same text',
    ],
    ['single words', {whatDoing: 'hello', whatWentWrong: 'world'}, 'single words'],
  ])(
    'spam (%s) gets a normal reply and is stored as spam with the reason',
    async (_, extra, reason) => {
      const {url, clock} = await intake()
      const fields = report(clock, extra)
      if (fields.renderedAt === 'NOW') fields.renderedAt = String(clock.now() - 1500)
      const res = await post(url, JSON.stringify(fields), JSON_TYPE)
      expect(res.status).toBe(201)
      expect(res.json()).toEqual({
        id: submissionId(fields.idempotencyKey),
        status: 'received',
        message: 'Thank you: your report was received.',
      })
      const doc = await stored(submissionId(fields.idempotencyKey))
      expect(doc?.['status']).toBe('spam')
      expect(String(doc?.['spamReason'])).toContain(reason)
      const formRes = await post(
        url,
        form(report(clock, {...extra, renderedAt: fields.renderedAt})),
        {
          ...FORM,
          referer: `${url}${PAGE_PATH}`,
        },
      )
      expect(formRes.status).toBe(303)
    },
  )

  it('with a form secret, an unsigned or backdated render time is spam; a signed one is not', async () => {
    const {url, clock} = await intake({formSecret: 'form-secret'})
    const signed = report(clock, {renderedAt: signRenderedAt('form-secret', clock.now() - 30_000)})
    const unsigned = report(clock)
    const forged = report(clock, {
      renderedAt: signRenderedAt('form-secret', clock.now()).replace(
        /^\d+/,
        String(clock.now() - 30_000),
      ),
    })
    const tooFast = report(clock, {renderedAt: signRenderedAt('form-secret', clock.now() - 1000)})
    for (const f of [signed, unsigned, forged, tooFast]) {
      expect((await post(url, JSON.stringify(f), JSON_TYPE)).status).toBe(201)
    }
    const status = async (f: {idempotencyKey: string}) =>
      (await stored(submissionId(f.idempotencyKey)))?.['status']
    expect(await status(signed)).toBe('new')
    expect(await status(unsigned)).toBe('spam')
    expect(await status(forged)).toBe('spam')
    expect(await status(tooFast)).toBe('spam')
  })

  it('429 with Retry-After past the limit; invalid submissions do not count; resubmits are answered', async () => {
    const {url, clock} = await intake({rateLimit: {limit: 2, windowMs: 60_000}})
    for (let i = 0; i < 3; i++) {
      const invalid = await post(
        url,
        JSON.stringify(report(clock, {whatDoing: '', whatWentWrong: ''})),
        JSON_TYPE,
      )
      expect(invalid.status).toBe(422)
    }
    const first = report(clock)
    expect((await post(url, JSON.stringify(first), JSON_TYPE)).status).toBe(201)
    clock.advance(20_000)
    expect((await post(url, JSON.stringify(report(clock)), JSON_TYPE)).status).toBe(201)
    const limited = await post(url, JSON.stringify(report(clock)), JSON_TYPE)
    expect(limited.status).toBe(429)
    expect(limited.headers['retry-after']).toBe('40')
    // The same form sent again (double click, back button) is not a new report.
    const again = await post(url, JSON.stringify(first), JSON_TYPE)
    expect(again.status).toBe(201)
    expect(again.json()).toMatchObject({id: submissionId(first.idempotencyKey)})
    clock.advance(40_000)
    expect((await post(url, JSON.stringify(report(clock)), JSON_TYPE)).status).toBe(201)
  })

  it('spam counts against the limit', async () => {
    const {url, clock} = await intake({rateLimit: {limit: 1, windowMs: 60_000}})
    expect((await post(url, JSON.stringify(report(clock, {website: 'x'})), JSON_TYPE)).status).toBe(
      201,
    )
    expect((await post(url, JSON.stringify(report(clock)), JSON_TYPE)).status).toBe(429)
  })

  it('403 for cross-site posts (Sec-Fetch-Site first, Origin allow-list fallback), Vary on every answer', async () => {
    const {url, clock} = await intake({allowedOrigins: ['https://web.example']})
    const body = () => JSON.stringify(report(clock))
    const crossSite = await post(url, body(), {
      ...JSON_TYPE,
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    })
    expect(crossSite.status).toBe(403)
    expect(crossSite.headers['vary']).toBe('Origin, Sec-Fetch-Site')
    const badOrigin = await post(url, body(), {...JSON_TYPE, origin: 'https://evil.example'})
    expect(badOrigin.status).toBe(403)
    const listed = await post(url, body(), {
      ...JSON_TYPE,
      'sec-fetch-site': 'same-site',
      origin: 'https://web.example',
    })
    expect(listed.status).toBe(201)
    expect(listed.headers['vary']).toBe('Origin, Sec-Fetch-Site')
    const sameOrigin = await post(url, body(), {...JSON_TYPE, 'sec-fetch-site': 'same-origin'})
    expect(sameOrigin.status).toBe(201)
  })

  it('answers CORS preflights for listed origins only, never with *', async () => {
    const {url, clock} = await intake({allowedOrigins: ['https://web.example']})
    const preflight = await fetch(`${url}/feedback`, {
      method: 'OPTIONS',
      headers: {origin: 'https://web.example', 'access-control-request-method': 'POST'},
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://web.example')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Content-Type')
    const evil = await fetch(`${url}/feedback`, {
      method: 'OPTIONS',
      headers: {origin: 'https://evil.example'},
    })
    expect(evil.status).toBe(403)
    expect(evil.headers.get('access-control-allow-origin')).toBeNull()
    const res = await post(url, JSON.stringify(report(clock)), {
      ...JSON_TYPE,
      'sec-fetch-site': 'cross-site',
      origin: 'https://web.example',
    })
    expect(res.status).toBe(201)
    expect(res.headers['access-control-allow-origin']).toBe('https://web.example')
  })

  it('masks personal information; the original never reaches the lake’s database', async () => {
    const {url, clock} = await intake()
    const secrets = [
      'jo.bloggs@example.org',
      '07700 900123',
      '943 476 5919',
      'QQ 12 34 56 C',
      'SW1A 1AA',
    ]
    const fields = report(clock, {
      whatDoing: `I am ${secrets[0]}, call ${secrets[1]}`,
      whatWentWrong: `My NHS number ${secrets[2]} and NI ${secrets[3]}, I live at ${secrets[4]}`,
    })
    expect((await post(url, JSON.stringify(fields), JSON_TYPE)).status).toBe(201)
    const id = submissionId(fields.idempotencyKey)
    const doc = await stored(id)
    expect(doc).toMatchObject({
      piiMasked: true,
      whatDoing: 'I am [email removed], call [phone number removed]',
      whatWentWrong:
        'My NHS number [NHS number removed] and NI [NI number removed], I live at [postcode removed]',
    })
    const history = JSON.stringify(lake.store.transactions({documentIds: [id]}))
    expect(history).toContain('[email removed]')
    // Every byte the lake has on disk (database, WAL) is free of the originals.
    const files = readdirSync(lake.dataDir).filter((f) => f.includes('sqlite'))
    expect(files.length).toBeGreaterThan(0)
    const disk = files.map((f) => readFileSync(join(lake.dataDir, f)).toString('latin1')).join('')
    expect(disk).toContain('[NHS number removed]')
    for (const secret of secrets) {
      expect(history).not.toContain(secret)
      expect(disk).not.toContain(secret)
    }
  })

  it('marks the same page and text within 5 minutes a duplicate of the first', async () => {
    const {url, clock} = await intake()
    const text = {
      whatDoing: 'Looking for HSST entry requirements',
      whatWentWrong: `The table is empty ${Date.now()}`,
    }
    const first = report(clock, text)
    await post(url, JSON.stringify(first), JSON_TYPE)
    clock.advance(4 * 60_000)
    const second = report(clock, {...text, whatWentWrong: `  ${text.whatWentWrong.toUpperCase()}!`})
    expect((await post(url, JSON.stringify(second), JSON_TYPE)).json()).toMatchObject({
      status: 'received',
    })
    expect(await stored(submissionId(second.idempotencyKey))).toMatchObject({
      status: 'duplicate',
      duplicateOf: {_ref: submissionId(first.idempotencyKey)},
    })
    // Five minutes after the last copy, the same text is a new report again.
    clock.advance(5 * 60_000 + 1000)
    const third = report(clock, text)
    await post(url, JSON.stringify(third), JSON_TYPE)
    expect(await stored(submissionId(third.idempotencyKey))).toMatchObject({status: 'new'})
  })

  it('identical reports arriving together: one original, the rest duplicates of it', async () => {
    const {url, clock} = await intake()
    const text = {
      whatDoing: 'Comparing programmes',
      whatWentWrong: `Two tabs sent this ${Date.now()}`,
    }
    const all = Array.from({length: 5}, () => report(clock, text))
    const answers = await Promise.all(all.map((f) => post(url, JSON.stringify(f), JSON_TYPE)))
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201])
    const docs = await admin.fetch<{_id: string; status: string; duplicateOf?: {_ref: string}}[]>(
      '*[_id in $ids]{_id, status, duplicateOf}',
      {ids: all.map((f) => submissionId(f.idempotencyKey))},
    )
    const originals = docs.filter((d) => d.status === 'new')
    expect(originals).toHaveLength(1)
    const duplicates = docs.filter((d) => d.status === 'duplicate')
    expect(duplicates).toHaveLength(4)
    for (const d of duplicates) expect(d.duplicateOf?._ref).toBe(originals[0]?._id)
  })

  it('503 (and no rate-limit cost) when the lake cannot be reached', async () => {
    const down = lake
      .client()
      .withConfig({apiHost: 'https://127.0.0.1:9', token: 'x', maxRetries: 0})
    const {url, clock} = await intake({
      client: down,
      rateLimit: {limit: 1, windowMs: 60_000},
      retry: {retries: 1, baseDelayMs: 1, maxDelayMs: 1},
      onError: () => undefined,
    })
    const res = await post(url, JSON.stringify(report(clock)), JSON_TYPE)
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('60')
    expect((await post(url, JSON.stringify(report(clock)), JSON_TYPE)).status).toBe(503)
  })

  it('405 for anything but POST', async () => {
    const {url} = await intake()
    const res = await fetch(`${url}/feedback`)
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST, OPTIONS')
  })
})

describe('privacy', () => {
  it('a public (unauthenticated) GROQ query never returns a submission', async () => {
    const {url, clock} = await intake()
    const fields = report(clock)
    await post(url, JSON.stringify(fields), JSON_TYPE)
    const id = submissionId(fields.idempotencyKey)
    const anonymous = lake.client({token: null})
    expect(await admin.fetch('count(*[_type == "feedbackSubmission"])')).toBeGreaterThan(0)
    expect(await anonymous.fetch('*[_type == "feedbackSubmission"]')).toEqual([])
    expect(await anonymous.fetch('*[_id in path("feedback.**")]')).toEqual([])
    expect(await anonymous.fetch('*[_id == $id]', {id})).toEqual([])
    expect(
      await anonymous.fetch(
        '*[_type == "page"]{"fb": *[_type == "feedbackSubmission" && references(^._id)]}',
      ),
    ).toEqual([{fb: []}])
    expect(await anonymous.getDocument(id)).toBeUndefined()
    const viewer = lake.client({token: lake.createToken('viewer')})
    expect(await viewer.fetch('*[_type == "feedbackSubmission"]')).toEqual([])
  })
})
