/**
 * The public intake against hostile input, over real HTTP into a real lake (a reviewer token
 * through the stock `@sanity/client`): off-site return addresses, IPv6 clients rotating through
 * their /64, replayed idempotency keys carrying a different body, and the frontend's intake
 * holding no more than a reviewer's token.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {type FeedbackIntakeOptions, rateLimitKey} from '../../intake'
import {FRONTEND_INTAKE_TOKEN} from '../../app/lake'
import {submissionId} from '../../intake/id'
import {createFeedbackIntakeFromEnv} from '../../intake/mount'
import {FEEDBACK_INTAKE_TOKEN_FILE} from '../../lib/client'
import {AuthStore} from '../../server/auth/tokens'
import {startWeb} from '../../web/server'
import {sameSitePath} from '../../intake/origin'
import {
  form,
  FORM,
  JSON_TYPE,
  mountIntake,
  type MountedIntake,
  post,
  testClock,
} from '../feedback/helpers'
import {intakeToken} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'

const SITE = 'https://www.healthcareers.nhs.uk'
const PAGE_PATH = '/working-health/cardiac-sciences'

let lake: TestLake
let writer: SanityClient
const mounted: MountedIntake[] = []

beforeAll(async () => {
  lake = await startTestLake()
  // The reviewer token the careers lake made for its intake: only the intake files reports.
  writer = lake.client({token: intakeToken(lake)})
})

afterAll(async () => {
  await Promise.all(mounted.map((m) => m.close()))
  await lake?.close()
})

async function intake(options: Partial<FeedbackIntakeOptions> = {}) {
  const clock = testClock()
  const m = await mountIntake({
    client: writer,
    rateLimit: false,
    clock: clock.now,
    siteUrl: SITE,
    ...options,
  })
  mounted.push(m)
  return {...m, clock}
}

let serial = 0
function report(clock: {now: () => number}, extra: Record<string, string> = {}) {
  serial++
  return {
    url: `${SITE}${PAGE_PATH}`,
    whatDoing: `Reading about training routes, visit ${serial}`,
    whatWentWrong: `The table of programmes is cut off (case ${serial})`,
    renderedAt: String(clock.now() - 30_000),
    idempotencyKey: `hostile-${serial}-${Date.now()}`,
    ...extra,
  }
}

/** Each of these has taken a naive "starts with one slash" check somewhere off-site. */
const EVIL_RETURN_TO = [
  '/\t/evil.example/',
  '/\n/evil.example/',
  '/\r/evil.example/',
  '//evil.example/',
  '/\\evil.example/',
  '/\\/evil.example/',
  '\\/\\/evil.example/',
  '\\\\evil.example/',
  'https://evil.example/',
  'HTTPS://evil.example/',
  'javascript:alert(1)',
  ' javascript:alert(1)',
  'evil.example/',
  '/\u0000/evil.example/',
  '/\u007f/evil.example/',
]

describe('returnTo: only same-site paths', () => {
  it.each(EVIL_RETURN_TO)(
    'refuses %j with a 400 naming the field and stores nothing',
    async (returnTo) => {
      const {url, clock} = await intake()
      const fields = report(clock, {returnTo})
      const res = await post(url, form(fields), {...FORM, origin: url, referer: `${url}/page`})
      expect(res.status).toBe(400)
      expect(res.body).toContain('Return address')
      expect(res.headers['location']).toBeUndefined()
      expect(await lake.client().getDocument(submissionId(fields.idempotencyKey))).toBeUndefined()
    },
  )

  it('redirects a percent-encoded control character to a path on the same origin', async () => {
    const {url, clock} = await intake()
    const res = await post(url, form(report(clock, {returnTo: '/%09/evil.example/x'})), {
      ...FORM,
      origin: url,
    })
    expect(res.status).toBe(303)
    const location = new URL(String(res.headers['location']))
    expect(location.origin).toBe(url)
    expect(location.pathname).toBe('/%09/evil.example/x')
  })

  it('keeps a plain path and its query', async () => {
    const {url, clock} = await intake()
    const res = await post(url, form(report(clock, {returnTo: '/a/b?c=1'})), {...FORM, origin: url})
    expect(res.status).toBe(303)
    expect(res.headers['location']).toBe(`${url}/a/b?c=1&feedback=sent#feedback`)
  })

  it.each(EVIL_RETURN_TO)('sameSitePath(%j) is undefined', (value) => {
    expect(sameSitePath(value, SITE)).toBeUndefined()
  })
})

describe('rate limit keys: IPv6 clients per /64', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:c000:0201', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1%eth0', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['2001:db8::192.0.2.1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['proxy-computed key', 'proxy-computed key'],
  ])('%s counts as %s', (address, key) => {
    expect(rateLimitKey(address)).toBe(key)
  })

  it('a second address in the same /64 is limited; the next /64 is not', async () => {
    const {url, clock} = await intake({
      rateLimit: {limit: 1, windowMs: 60_000},
      // As a proxy would pass the client's address on.
      clientKey: (req) => String(req.headers['x-client-address']),
    })
    const from = (address: string) =>
      post(url, form(report(clock)), {...FORM, origin: url, 'x-client-address': address})
    expect((await from('2001:db8:1:2::1')).status).toBe(200)
    const sameNetwork = await from('2001:db8:1:2:ffff:ffff:ffff:fffe')
    expect(sameNetwork.status).toBe(429)
    expect(sameNetwork.headers['retry-after']).toBe('60')
    expect((await from('2001:db8:1:3::1')).status).toBe(200)
    // An IPv4 client seen through a dual-stack socket is the same client as plain IPv4.
    expect((await from('192.0.2.7')).status).toBe(200)
    expect((await from('::ffff:192.0.2.7')).status).toBe(429)
  })
})

describe('a repeated idempotency key is answered from what is stored', () => {
  it('JSON: the second body (another category, another page) does not change the answer', async () => {
    const {url, clock} = await intake({contactPageUrl: `${SITE}/contact`})
    const first = report(clock, {category: 'broken-link'})
    const stored = await post(url, JSON.stringify(first), JSON_TYPE)
    expect(stored.status).toBe(201)
    expect(stored.json()).toMatchObject({status: 'received'})

    const replayed = await post(
      url,
      JSON.stringify({
        ...first,
        url: `${SITE}/somewhere-else`,
        category: 'career-question',
        whatWentWrong: 'Something else entirely',
      }),
      JSON_TYPE,
    )
    expect(replayed.status).toBe(201)
    expect(replayed.json()).toEqual(stored.json())
    expect(await lake.client().getDocument(submissionId(first.idempotencyKey))).toMatchObject({
      status: 'new',
      url: `${SITE}${PAGE_PATH}`,
      whatWentWrong: first.whatWentWrong,
    })
  })

  it('form: the confirmation links back to the stored page, not the one sent again', async () => {
    const {url, clock} = await intake({contactPageUrl: `${SITE}/contact`})
    const first = report(clock)
    expect((await post(url, form(first), FORM)).status).toBe(200)
    const replayed = await post(
      url,
      form({...first, url: `${SITE}/elsewhere`, category: 'career-question'}),
      FORM,
    )
    expect(replayed.status).toBe(200)
    expect(replayed.body).toContain('Thank you for your feedback')
    expect(replayed.body).toContain(`${SITE}${PAGE_PATH}`)
    expect(replayed.body).not.toContain('/elsewhere')
  })

  it('rate-limited resubmission: the stored page, not the new one', async () => {
    const {url, clock} = await intake({rateLimit: {limit: 1, windowMs: 60_000}})
    const first = report(clock)
    expect((await post(url, form(first), FORM)).status).toBe(200)
    const replayed = await post(url, form({...first, url: `${SITE}/elsewhere`}), FORM)
    expect(replayed.status).toBe(200)
    expect(replayed.body).toContain(`${SITE}${PAGE_PATH}`)
    expect(replayed.body).not.toContain('/elsewhere')
  })
})

describe('the frontend’s intake writes with the least role that works', () => {
  it('writes as the reviewer token the careers lake made for it, never as an administrator', async () => {
    const saved = process.env.LAKE_INTAKE_TOKEN
    delete process.env.LAKE_INTAKE_TOKEN
    try {
      // As `npm run web` builds it: from the environment and the lake's data directory.
      const handler = createFeedbackIntakeFromEnv({
        lakeUrl: lake.url,
        lakeDataDir: lake.dataDir,
        rateLimit: false,
        siteUrl: SITE,
      })
      const web = await startWeb({
        port: 0,
        host: '127.0.0.1',
        lakeUrl: lake.url,
        feedbackHandler: handler,
      })
      try {
        const clock = {now: () => Date.now()}
        const fields = report(clock)
        const res = await post(web.url, JSON.stringify(fields), JSON_TYPE)
        expect(res.status).toBe(201)
        const id = submissionId(fields.idempotencyKey)
        const [written] = lake.store.transactions({documentIds: [id]})
        expect(written?.author).toBe(`p-${FRONTEND_INTAKE_TOKEN.id}`)
        const auth = new AuthStore(lake.dataDir)
        try {
          expect(auth.listTokens().find((t) => t.id === FRONTEND_INTAKE_TOKEN.id)?.role).toBe(
            'reviewer',
          )
        } finally {
          auth.close()
        }
      } finally {
        await web.close()
      }
    } finally {
      if (saved !== undefined) process.env.LAKE_INTAKE_TOKEN = saved
    }
  })

  it('the file holds a token that can write feedback and nothing else', async () => {
    const token = readFileSync(join(lake.dataDir, FEEDBACK_INTAKE_TOKEN_FILE), 'utf8').trim()
    expect(statSync(join(lake.dataDir, FEEDBACK_INTAKE_TOKEN_FILE)).mode & 0o777).toBe(0o600)
    const intakeClient = lake.client({token})
    await expect(
      intakeClient.create({_id: 'page-by-intake', _type: 'page', title: 'Not yours'}),
    ).rejects.toMatchObject({statusCode: 403})
    // One role less (viewer) cannot create a report at all: reviewer is the least that works.
    const viewer = lake.client({token: lake.createToken('viewer')})
    await expect(
      viewer.createIfNotExists({
        _id: 'feedback.by-viewer',
        _type: 'feedbackSubmission',
        status: 'new',
      }),
    ).rejects.toMatchObject({statusCode: 403})
  })
})

describe('personal data in every stored field', () => {
  it('masks the text, the address, the path, the referrer and the user agent; none reaches disk', async () => {
    const {url, clock} = await intake()
    const secrets = [
      'jane＠example.com',
      'jane@example.com',
      'jane%40example.com',
      'jane (at) example (dot) org',
      '447700900123',
      'QQ-12-34-56-C',
      'SW1A-1AA',
      '3f2a9c1e4b5d6a7f8e9d0c1b',
      '07700/900123',
    ]
    const fields = report(clock, {
      url: `${SITE}/users/jane%40example.com/profile`,
      whatDoing: `Writing from jane＠example.com or jane (at) example (dot) org`,
      whatWentWrong: `Call 447700900123; NI QQ-12-34-56-C; I live at SW1A-1AA`,
    })
    const res = await post(url, JSON.stringify(fields), {
      ...JSON_TYPE,
      'user-agent': `CareersApp/2.1 (jane@example.com; device 3f2a9c1e4b5d6a7f8e9d0c1b)`,
      referer: `${url}/callback/07700/900123`,
    })
    expect(res.status).toBe(201)
    const id = submissionId(fields.idempotencyKey)
    const doc = await lake.client().getDocument<Record<string, string | boolean>>(id)
    expect(doc).toMatchObject({
      piiMasked: true,
      whatDoing: 'Writing from [email removed] or [email removed]',
      whatWentWrong:
        'Call [phone number removed]; NI [NI number removed]; I live at [postcode removed]',
      path: '/users/[email removed]/profile',
      url: `${SITE}/users/%5Bemail%20removed%5D/profile`,
      userAgent: 'CareersApp/2.1 ([email removed]; device [identifier removed])',
      referrer: `${url}/callback/%5Bphone%20number%20removed%5D`,
    })
    const history = JSON.stringify(lake.store.transactions({documentIds: [id]}))
    const files = readdirSync(lake.dataDir).filter((f) => f.includes('sqlite'))
    const disk = files.map((f) => readFileSync(join(lake.dataDir, f)).toString('utf8')).join('')
    for (const secret of secrets) {
      expect(history).not.toContain(secret)
      expect(disk).not.toContain(secret)
    }
  })

  it('a form key carrying personal data is not stored; the report still is, idempotently', async () => {
    const {url, clock} = await intake()
    const fields = report(clock, {idempotencyKey: `key-07700900123-${Date.now()}`})
    expect((await post(url, JSON.stringify(fields), JSON_TYPE)).status).toBe(201)
    const id = submissionId(fields.idempotencyKey)
    const doc = await lake.client().getDocument<Record<string, unknown>>(id)
    expect(doc).toMatchObject({piiMasked: true})
    expect(doc).not.toHaveProperty('idempotencyKey')
    expect((await post(url, JSON.stringify(fields), JSON_TYPE)).json()).toMatchObject({id})
  })
})
