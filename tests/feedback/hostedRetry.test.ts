/**
 * The hosted path's failure modes, reproduced with a real lake behind a fault-injecting HTTP
 * proxy: 429 and 503 answers to mutations (which @sanity/client never retries), and the worst
 * case, a write that was committed but whose answer was lost. The intake retries, and the
 * deterministic id + `createIfNotExists` keep it to one report.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {submissionId} from '../../intake/id'
import {intakeToken} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'
import {JSON_TYPE, mountIntake, type MountedIntake, post} from './helpers'

type Fault = 'pass' | '429' | '503' | 'lose-answer'

let lake: TestLake
let proxy: Server
let proxyUrl: string
let intake: MountedIntake
const faults: Fault[] = []
const seen: string[] = []

beforeAll(async () => {
  lake = await startTestLake()
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const isMutation = req.method === 'POST' && (req.url ?? '').includes('/data/mutate/')
      const fault = isMutation ? (faults.shift() ?? 'pass') : 'pass'
      if (isMutation) seen.push(fault)
      if (fault === '429' || fault === '503') {
        res.writeHead(Number(fault), {'content-type': 'application/json', 'retry-after': '0'})
        res.end(JSON.stringify({error: {description: 'injected'}}))
        return
      }
      const headers: Record<string, string> = {}
      for (const name of ['authorization', 'content-type', 'accept']) {
        const value = req.headers[name]
        if (typeof value === 'string') headers[name] = value
      }
      void fetch(`${lake.url}${req.url}`, {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : {body: Buffer.concat(chunks)}),
      }).then(async (upstream) => {
        const body = await upstream.text()
        if (fault === 'lose-answer') {
          // Committed upstream; the client only sees a gateway error.
          res.writeHead(502, {'content-type': 'application/json'})
          res.end(JSON.stringify({error: {description: 'answer lost'}}))
          return
        }
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/json',
        })
        res.end(body)
      })
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  const client = lake.client({token: intakeToken(lake)}).withConfig({apiHost: proxyUrl})
  intake = await mountIntake({
    client,
    rateLimit: false,
    siteUrl: 'https://www.example.org',
    retry: {retries: 4, baseDelayMs: 5, maxDelayMs: 50},
  })
})

afterAll(async () => {
  await intake?.close()
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()))
  await lake?.close()
})

function body(key: string) {
  return JSON.stringify({
    url: '/some/page',
    whatDoing: 'Reading the training page',
    whatWentWrong: `Retry case ${key}`,
    idempotencyKey: key,
  })
}

describe('writes through a flaky path', () => {
  it('retries 429 and 503 answers to the mutation, then stores the report once', async () => {
    seen.length = 0
    faults.push('429', '503')
    const res = await post(intake.url, body('flaky-1'), JSON_TYPE)
    expect(res.status).toBe(201)
    expect(seen).toEqual(['429', '503', 'pass'])
    expect(await lake.client().fetch('count(*[idempotencyKey == "flaky-1"])')).toBe(1)
  })

  it('a committed write whose answer was lost is retried without a second report', async () => {
    seen.length = 0
    faults.push('lose-answer')
    const res = await post(intake.url, body('flaky-2'), JSON_TYPE)
    expect(res.status).toBe(201)
    expect(seen).toEqual(['lose-answer', 'pass'])
    expect(await lake.client().fetch('*[idempotencyKey == "flaky-2"]._id')).toEqual([
      submissionId('flaky-2'),
    ])
  })

  it('gives up with 503 after the retries', async () => {
    faults.push('503', '503', '503', '503', '503')
    const res = await post(intake.url, body('flaky-3'), JSON_TYPE)
    expect(res.status).toBe(503)
    expect(await lake.client().fetch('count(*[idempotencyKey == "flaky-3"])')).toBe(0)
  })
})
