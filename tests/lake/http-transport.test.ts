/**
 * The transport: HTTP/2 over TLS negotiated by ALPN, HTTP/1.1 fallback, no `Connection` header on
 * HTTP/2, the certificate on disk (SANs, key mode, reuse), API version prefixes, the static
 * Studio, and the presence WebSocket (bifur JSON-RPC) with the `ws` client.
 */
import {X509Certificate} from 'node:crypto'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {Agent as HttpsAgent, request as httpsRequest} from 'node:https'
import {connect, constants} from 'node:http2'
import {tmpdir} from 'node:os'
import type {TLSSocket} from 'node:tls'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import WebSocket from 'ws'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let studioDir: string
let ca: string

beforeAll(async () => {
  // A tiny stand-in for `studio-dist/` (building the real Studio takes far too long for a test).
  studioDir = mkdtempSync(join(tmpdir(), 'studio-dist-'))
  mkdirSync(join(studioDir, 'static'))
  writeFileSync(join(studioDir, 'index.html'), '<!doctype html><title>Fake Studio</title>')
  writeFileSync(join(studioDir, 'static', 'sanity-a1B2c3D4e5.js'), 'console.log("studio")')
  lake = await startTestLake({studioDir})
  ca = readFileSync(join(lake.dataDir, 'tls', 'cert.pem'), 'utf8')
})
afterAll(async () => {
  await lake.close()
  rmSync(studioDir, {recursive: true, force: true})
})

function h2Get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  alpn: string | false | undefined
  status: number
  headers: Record<string, unknown>
  body: string
}> {
  return new Promise((resolve, reject) => {
    const session = connect(lake.url, {ca})
    session.on('error', reject)
    const stream = session.request({':path': path, ...headers})
    let body = ''
    let responseHeaders: Record<string, unknown> = {}
    stream.setEncoding('utf8')
    stream.on('response', (h) => (responseHeaders = h))
    stream.on('data', (chunk: string) => (body += chunk))
    stream.on('end', () => {
      const alpn = session.alpnProtocol
      session.close()
      resolve({
        alpn,
        status: Number(responseHeaders[constants.HTTP2_HEADER_STATUS]),
        headers: responseHeaders,
        body,
      })
    })
    stream.on('error', reject)
    stream.end()
  })
}

function http1Get(
  path: string,
): Promise<{version: string; status: number; body: string; alpn: string | false | null}> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${lake.url}${path}`,
      {agent: new HttpsAgent({ca, ALPNProtocols: ['http/1.1']})},
      (res) => {
        let body = ''
        // Read before the body ends: the socket is detached from the response afterwards.
        const alpn = (res.socket as TLSSocket).alpnProtocol
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (body += chunk))
        res.on('end', () =>
          resolve({version: res.httpVersion, status: res.statusCode ?? 0, body, alpn}),
        )
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** A POST over HTTP/2, as the Studio sends its writes. */
function h2Post(
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const session = connect(lake.url, {ca})
    session.on('error', reject)
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/json',
      authorization: `Bearer ${lake.adminToken}`,
      ...headers,
    })
    let text = ''
    let status = 0
    stream.setEncoding('utf8')
    stream.on('response', (h) => (status = Number(h[constants.HTTP2_HEADER_STATUS])))
    stream.on('data', (chunk: string) => (text += chunk))
    stream.on('end', () => {
      session.close()
      resolve({status, body: text})
    })
    // The server may answer (413) and close the stream before it has read the whole body.
    stream.on('error', (error) => (status ? resolve({status, body: text}) : reject(error)))
    stream.end(body)
  })
}

describe('HTTP/2 and HTTP/1.1 on one TLS port', () => {
  it('negotiates h2 by ALPN and never sends a Connection header', async () => {
    const res = await h2Get('/v2025-03-01/ping?tag=sanity.studio.protocol-check')
    expect(res.alpn).toBe('h2')
    expect(res.status).toBe(200)
    expect(res.body).toBe('PONG')
    expect(res.headers).not.toHaveProperty('connection')

    const query = await h2Get('/v2025-02-19/data/query/production?query=count(*)', {
      authorization: `Bearer ${lake.adminToken}`,
    })
    expect(query.status).toBe(200)
    expect(JSON.parse(query.body)).toMatchObject({result: expect.any(Number)})
  })

  it('reads JSON bodies over HTTP/2 and refuses an oversized one with 413', async () => {
    const ok = await h2Post(
      '/v2025-02-19/data/mutate/production?returnIds=true',
      JSON.stringify({mutations: [{createOrReplace: {_id: 'h2-doc', _type: 'page', via: 'h2'}}]}),
    )
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({documentIds: ['h2-doc']})

    const huge = JSON.stringify({
      mutations: [{create: {_id: 'h2-huge', _type: 'page', blob: 'x'.repeat(4_200_000)}}],
    })
    // Without a declared length the limit is enforced while streaming.
    const tooLarge = await h2Post('/v2025-02-19/data/mutate/production', huge)
    expect(tooLarge.status).toBe(413)
    expect(JSON.parse(tooLarge.body)).toMatchObject({error: {type: 'requestEntityTooLargeError'}})
    const declared = await h2Post('/v2025-02-19/data/mutate/production', huge, {
      'content-length': String(Buffer.byteLength(huge)),
    })
    expect(declared.status).toBe(413)
    const check = await h2Get(
      `/v2025-02-19/data/query/production?query=${encodeURIComponent('*[_id in ["h2-doc", "h2-huge"]]._id')}&perspective=raw`,
      {authorization: `Bearer ${lake.adminToken}`},
    )
    expect(JSON.parse(check.body)).toMatchObject({result: ['h2-doc']})
  })

  it('falls back to HTTP/1.1 for clients that only speak it', async () => {
    const res = await http1Get('/v1/ping')
    expect(res).toMatchObject({version: '1.1', status: 200, body: 'PONG', alpn: 'http/1.1'})
  })

  it('strips any API version prefix', async () => {
    for (const version of [
      'v1',
      'vX',
      'v2021-06-07',
      `v${new Date().toISOString().slice(0, 10)}`,
    ]) {
      const res = await lakeFetch(lake, `/${version}/datasets`, {token: lake.adminToken})
      expect(res.json(), version).toEqual([{name: 'production', aclMode: 'public'}])
    }
    expect((await lakeFetch(lake, '/v1/features')).json()).toEqual([])
    expect((await lakeFetch(lake, '/v1/intake/telemetry-status')).json()).toEqual({
      status: 'denied',
    })
  })
})

describe('the certificate', () => {
  it('covers localhost and loopback, keeps its key private, and is reused on restart', async () => {
    const x509 = new X509Certificate(ca)
    expect(x509.subjectAltName).toContain('DNS:localhost')
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1')
    expect(x509.subjectAltName).toMatch(/IP Address:(0:0:0:0:0:0:0:1|::1)/)
    expect(statSync(join(lake.dataDir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600)
    expect(statSync(join(lake.dataDir, 'admin-token')).mode & 0o777).toBe(0o600)

    const dataDir = mkdtempSync(join(tmpdir(), 'lake-cert-'))
    try {
      const first = await startTestLake({dataDir})
      const cert = readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8')
      const token = first.adminToken
      await first.close()
      const second = await startTestLake({dataDir})
      expect(readFileSync(join(dataDir, 'tls', 'cert.pem'), 'utf8')).toBe(cert)
      // The developer token is created once, not on every start.
      expect(second.adminToken).toBe(token)
      expect(second.developerTokenFile).toBeNull()
      await second.close()
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})

describe('the static Studio', () => {
  it('redirects / to /studio/, serves files, falls back to index.html, caches hashed assets', async () => {
    const root = await lakeFetch(lake, '/', {redirect: 'manual'})
    expect(root.status).toBe(302)
    expect(root.headers.get('location')).toBe('/studio/')

    const index = await lakeFetch(lake, '/studio/')
    expect(index.text).toContain('Fake Studio')
    expect(index.headers.get('cache-control')).toBe('no-cache')

    const route = await lakeFetch(lake, '/studio/structure/page;abc')
    expect(route.status).toBe(200)
    expect(route.text).toContain('Fake Studio')

    const asset = await lakeFetch(lake, '/studio/static/sanity-a1B2c3D4e5.js')
    expect(asset.headers.get('content-type')).toMatch(/javascript/)
    expect(asset.headers.get('cache-control')).toMatch(/immutable/)

    // Builds that address assets from the root (`/static/…`) work too.
    const rootAsset = await lakeFetch(lake, '/static/sanity-a1B2c3D4e5.js')
    expect(rootAsset.text).toBe('console.log("studio")')
    expect((await lakeFetch(lake, '/static/gone-0123456789.js')).status).toBe(404)
    expect((await lakeFetch(lake, '/studio/static/gone-0123456789.js')).status).toBe(404)

    const escape = await lakeFetch(lake, '/studio/..%2f..%2fetc%2fpasswd')
    expect(escape.text).toContain('Fake Studio')
    expect((await lakeFetch(lake, '/static/..%2f..%2f..%2fetc%2fpasswd')).status).toBe(404)
  })

  it('explains how to build it when studio-dist is missing (503)', async () => {
    const bare = await startTestLake({studioDir: join(tmpdir(), 'no-such-studio-dist')})
    try {
      const res = await lakeFetch(bare, '/studio/')
      expect(res.status).toBe(503)
      expect(res.text).toContain('npm run studio:build')
    } finally {
      await bare.close()
    }
  })
})

describe('presence over WebSocket (bifur)', () => {
  interface Rpc {
    id?: string
    result?: unknown
    error?: {code: number}
    method?: string
    params?: {subscription: string; result: Record<string, unknown>}
  }

  function open(headers: Record<string, string> = {}, path = '/v2022-06-30/socket/production') {
    const ws = new WebSocket(`${lake.url.replace(/^https/, 'wss')}${path}?tag=sanity.studio`, {
      ca,
      headers,
    })
    const messages: (Rpc | '♥')[] = []
    const waiters: (() => void)[] = []
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8')
      messages.push(text === '♥' ? '♥' : (JSON.parse(text) as Rpc))
      for (const wake of waiters.splice(0)) wake()
    })
    const next = async (predicate: (m: Rpc) => boolean): Promise<Rpc> => {
      for (;;) {
        const found = messages.find((m): m is Rpc => m !== '♥' && predicate(m))
        if (found) return found
        await new Promise<void>((resolve) => waiters.push(resolve))
      }
    }
    let counter = 0
    const call = async (method: string, params: Record<string, unknown> = {}) => {
      const id = `r${++counter}`
      ws.send(JSON.stringify({jsonrpc: '2.0', method, params: {...params, apiVersion: 'v1'}, id}))
      return next((m) => m.id === id)
    }
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    })
    return {ws, opened, call, next}
  }

  it('subscribes, announces, rolls call and disconnects between two peers', async () => {
    const alice = open({authorization: `Bearer ${lake.adminToken}`})
    const bob = open()
    await Promise.all([alice.opened, bob.opened])

    // Bob authenticates the way the Studio does in token mode: an `authorization` RPC.
    const editorToken = lake.createToken('editor', 'Bob')
    expect(await bob.call('authorization', {authorization: `Bearer ${editorToken}`})).toMatchObject(
      {result: true},
    )
    const subscription = (await bob.call('presence_subscribe')).result
    expect(subscription).toEqual(expect.any(String))
    await alice.call('presence_subscribe')

    const locations = [
      {
        type: 'document',
        documentId: 'abc',
        path: ['title'],
        lastActiveAt: new Date().toISOString(),
      },
    ]
    expect(
      (await alice.call('presence_announce', {data: {sessionId: 'alice-session', locations}}))
        .result,
    ).toBe(true)
    const state = await bob.next(
      (m) => m.method === 'presence_subscription' && m.params?.result['type'] === 'state',
    )
    expect(state.params).toEqual({
      subscription,
      result: {type: 'state', i: 'p-localdev', m: {sessionId: 'alice-session', locations}},
    })

    await bob.call('presence_rollcall', {session: 'bob-session'})
    const rollCall = await alice.next((m) => m.params?.result['type'] === 'rollCall')
    expect(rollCall.params?.result).toMatchObject({
      type: 'rollCall',
      session: 'bob-session',
      i: expect.stringMatching(/^p-/),
    })

    // Closing a socket tells the others its announced sessions are gone.
    alice.ws.close()
    const gone = await bob.next((m) => m.params?.result['type'] === 'disconnect')
    expect(gone.params?.result).toEqual({
      type: 'disconnect',
      i: 'p-localdev',
      m: {session: 'alice-session'},
    })
    bob.ws.close()
  })

  it('keeps presence from anonymous sockets and refuses bad tokens and foreign origins', async () => {
    const anonymous = open()
    await anonymous.opened
    expect((await anonymous.call('presence_subscribe')).error?.code).toBe(4001)
    expect(
      (await anonymous.call('authorization', {authorization: 'Bearer nope'})).error?.code,
    ).toBe(4001)
    expect((await anonymous.call('no_such_method')).error?.code).toBe(-32601)
    anonymous.ws.close()

    await expect(open({authorization: 'Bearer nope'}).opened).rejects.toThrow('HTTP 401')
    await expect(open({origin: 'https://evil.example'}).opened).rejects.toThrow('HTTP 403')
    await expect(open({}, '/v2022-06-30/socket/staging').opened).rejects.toThrow('HTTP 404')
  })
})
