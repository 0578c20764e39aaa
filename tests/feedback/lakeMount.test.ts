/**
 * The intake as the lake mounts it (`POST /feedback` on the lake's port), over HTTP/2 with TLS as
 * browsers reach it: the compat request/response objects, answers sent before the body is read,
 * and the lake's own CORS left to the intake for this path.
 */
import {readFileSync} from 'node:fs'
import {connect} from 'node:http2'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake

beforeAll(async () => {
  process.env['FEEDBACK_RATE_LIMIT'] = '100/60'
  process.env['FEEDBACK_ALLOWED_ORIGINS'] = 'https://web.example'
  lake = await startTestLake()
  await lake.client().createOrReplace({
    _id: 'page-a',
    _type: 'page',
    title: 'A',
    slug: {_type: 'slug', current: 'a'},
  })
})
afterAll(async () => lake?.close())

function h2(
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<{status: number; headers: Record<string, unknown>; body: string}> {
  return new Promise((resolve, reject) => {
    const session = connect(lake.url, {ca: readFileSync(join(lake.dataDir, 'tls', 'cert.pem'))})
    session.on('error', reject)
    const stream = session.request({':path': '/feedback', ':method': 'POST', ...headers})
    let status = 0
    let responseHeaders: Record<string, unknown> = {}
    const chunks: Buffer[] = []
    stream.on('response', (h) => {
      status = Number(h[':status'])
      responseHeaders = h
    })
    stream.on('data', (c: Buffer) => chunks.push(c))
    stream.on('end', () => {
      session.close()
      resolve({status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8')})
    })
    stream.on('error', (error) => {
      // A reset after the answer (body not read) is expected for early refusals.
      if (status)
        resolve({status, headers: responseHeaders, body: Buffer.concat(chunks).toString()})
      else reject(error)
    })
    if (body === undefined) stream.end()
    else stream.end(body)
  })
}

const report = (key: string) =>
  JSON.stringify({
    url: '/section/a',
    whatDoing: 'Reading the page',
    whatWentWrong: 'A table is cut off on my phone',
    idempotencyKey: key,
    renderedAt: String(Date.now() - 60_000),
  })

describe('POST /feedback on the lake over HTTP/2', () => {
  it('stores a report and answers 201 with Vary', async () => {
    const res = await h2(
      {'content-type': 'application/json', 'sec-fetch-site': 'same-origin'},
      report('h2-1'),
    )
    expect(res.status).toBe(201)
    expect(res.headers['vary']).toBe('Origin, Sec-Fetch-Site')
    const {id} = JSON.parse(res.body) as {id: string}
    expect(await lake.client().getDocument(id)).toMatchObject({
      page: {_ref: 'page-a'},
      status: 'new',
    })
  })

  it('refuses an oversized declared body with 413 without reading it', async () => {
    const res = await h2(
      {'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024)},
      Buffer.alloc(64 * 1024, 'a'),
    )
    expect(res.status).toBe(413)
  })

  it('415 and 403 on HTTP/2 (no Connection header, which HTTP/2 forbids)', async () => {
    expect((await h2({'content-type': 'text/plain'}, 'x')).status).toBe(415)
    expect(
      (
        await h2(
          {
            'content-type': 'application/json',
            'sec-fetch-site': 'cross-site',
            origin: 'https://evil.example',
          },
          report('h2-2'),
        )
      ).status,
    ).toBe(403)
  })

  it('lets the frontend’s listed origin post from script (CORS answered by the intake)', async () => {
    const res = await h2(
      {
        'content-type': 'application/json',
        'sec-fetch-site': 'same-site',
        origin: 'https://web.example',
      },
      report('h2-3'),
    )
    expect(res.status).toBe(201)
    expect(res.headers['access-control-allow-origin']).toBe('https://web.example')
  })
})
