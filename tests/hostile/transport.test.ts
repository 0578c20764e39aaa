/**
 * The lake's transport against hostile clients, over real TLS: a weak `LAKE_ADMIN_TOKEN` refused
 * at start, guessed tokens slowed down per address, and slow headers or bodies timed out on the
 * lake (HTTP/1.1 and HTTP/2), the frontend and the intake's own reader.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {connect as http2Connect} from 'node:http2'
import {request as httpsRequest} from 'node:https'
import {connect as netConnect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {connect as tlsConnect} from 'node:tls'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import WebSocket from 'ws'

import {createTokenGuard, FAILED_TOKEN_LIMIT} from '../../server/auth/guard'
import {ADMIN_TOKEN_MIN_LENGTH} from '../../server/auth/tokens'
import type {TransportTimeouts} from '../../lib/transport'
import {startWeb} from '../../web/server'
import {mountIntake} from '../feedback/helpers'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

const run = promisify(execFile)
const lakes: TestLake[] = []
afterAll(async () => {
  await Promise.all(lakes.map((l) => l.close()))
})

describe('LAKE_ADMIN_TOKEN strength', () => {
  it('refuses one character under the minimum, naming the variable and the minimum', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lake-weak-'))
    try {
      await expect(
        startTestLake({dataDir, adminToken: 'x'.repeat(ADMIN_TOKEN_MIN_LENGTH - 1)}),
      ).rejects.toThrow(/LAKE_ADMIN_TOKEN is too short: 31 characters, at least 32/)
      // Refused before anything was created: no database, no developer token.
      expect(existsSync(join(dataDir, 'lake.sqlite'))).toBe(false)
      expect(existsSync(join(dataDir, 'admin-token'))).toBe(false)
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })

  it('accepts exactly the minimum, as an administrator', async () => {
    const token = 'y'.repeat(ADMIN_TOKEN_MIN_LENGTH)
    const lake = await startTestLake({adminToken: token})
    lakes.push(lake)
    const me = await lakeFetch(lake, '/v1/users/me', {token})
    expect(me.status).toBe(200)
    expect(me.json()).toMatchObject({role: 'administrator'})
  })

  it('`npm run lake` exits 1 with the message, not a stack trace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lake-weak-cli-'))
    try {
      const result = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: {...process.env, LAKE_ADMIN_TOKEN: 'secret', LAKE_DATA_DIR: dataDir, LAKE_PORT: '0'},
      }).then(
        () => ({code: 0, stderr: ''}),
        (error: {code: number; stderr: string}) => error,
      )
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toMatch(
        /^LAKE_ADMIN_TOKEN is too short: 6 characters, at least 32 are needed\./,
      )
      expect(result.stderr).not.toMatch(/\n\s+at /)
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})

/** A request from a chosen loopback address (Linux answers on all of 127/8). */
function fromAddress(
  lake: TestLake,
  localAddress: string,
  path: string,
  options: {token?: string; method?: string; body?: string; headers?: Record<string, string>} = {},
): Promise<{status: number; headers: Record<string, unknown>; body: string}> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${lake.url}${path}`,
      {
        method: options.method ?? 'GET',
        localAddress,
        ca: readFileSync(join(lake.dataDir, 'tls', 'cert.pem')),
        agent: false,
        headers: {
          ...(options.token ? {authorization: `Bearer ${options.token}`} : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

describe('failed token checks per address', () => {
  it('past the limit an address gets 429 + Retry-After, even for a good token; others do not', async () => {
    const lake = await startTestLake()
    lakes.push(lake)
    const guesser = '127.0.0.2'
    for (let i = 0; i < FAILED_TOKEN_LIMIT.limit; i++) {
      const res = await fromAddress(lake, guesser, '/v1/users/me', {token: `lake_guess${i}`})
      expect(res.status, `attempt ${i + 1}`).toBe(401)
    }
    const past = await fromAddress(lake, guesser, '/v1/users/me', {token: 'lake_guess-next'})
    expect(past.status).toBe(429)
    const retryAfter = Number(past.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(FAILED_TOKEN_LIMIT.windowMs / 1000)
    expect(JSON.parse(past.body)).toMatchObject({error: {type: 'rateLimitedError'}})

    // While held back, the right token from the guessing address is not even looked at...
    expect(
      (await fromAddress(lake, guesser, '/v1/users/me', {token: lake.adminToken})).status,
    ).toBe(429)
    // ...nor one pasted on the sign-in page...
    const signIn = await fromAddress(lake, guesser, '/v1/auth/login', {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: `token=${lake.adminToken}`,
    })
    expect(signIn.status).toBe(429)
    // ...but reading without a token still works, and another address is unaffected.
    expect((await fromAddress(lake, guesser, '/v1/ping')).status).toBe(200)
    const other = await fromAddress(lake, '127.0.0.3', '/v1/users/me', {token: lake.adminToken})
    expect(other.status).toBe(200)
  })

  it('tokens tried over a presence WebSocket count against the same address', async () => {
    const lake = await startTestLake()
    lakes.push(lake)
    const guesser = '127.0.0.5'
    const ws = new WebSocket(
      `${lake.url.replace(/^https/, 'wss')}/v2022-06-30/socket/production?tag=sanity.studio`,
      {ca: readFileSync(join(lake.dataDir, 'tls', 'cert.pem')), localAddress: guesser},
    )
    const replies = new Map<string, {error?: {message: string}; result?: unknown}>()
    const waiting = new Map<string, () => void>()
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8')
      if (text === '♥') return
      const message = JSON.parse(text) as {id?: string; error?: {message: string}}
      if (message.id === undefined) return
      replies.set(message.id, message)
      waiting.get(message.id)?.()
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    let counter = 0
    const authorize = async (token: string) => {
      const id = `a${++counter}`
      const answered = new Promise<void>((resolve) => waiting.set(id, resolve))
      ws.send(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'authorization',
          params: {authorization: `Bearer ${token}`},
        }),
      )
      await answered
      return replies.get(id)
    }
    try {
      for (let i = 0; i < FAILED_TOKEN_LIMIT.limit; i++) {
        expect((await authorize(`lake_guess${i}`))?.error?.message).toBe('Invalid token')
      }
      expect((await authorize(lake.adminToken))?.error?.message).toMatch(
        /Too many failed token checks/,
      )
      // One count per address, whichever door: plain HTTP from there is held back too.
      expect(
        (await fromAddress(lake, guesser, '/v1/users/me', {token: lake.adminToken})).status,
      ).toBe(429)
    } finally {
      ws.close()
    }
  })

  it('counts per address in a sliding window, and remembers a bounded number of addresses', () => {
    let now = 0
    const guard = createTokenGuard({limit: 2, windowMs: 60_000, maxKeys: 3}, () => now)
    guard.failed('192.0.2.1')
    guard.assertMayTry('192.0.2.1')
    guard.failed('192.0.2.1')
    expect(() => guard.assertMayTry('192.0.2.1')).toThrow(/Too many failed token checks/)
    // The same /64 is the same client.
    guard.failed('2001:db8::1')
    guard.failed('2001:db8::2')
    expect(() => guard.assertMayTry('2001:db8::ffff')).toThrow()
    now += 60_000
    guard.assertMayTry('192.0.2.1')
    // Past `maxKeys` the least recently failing address is forgotten, not kept forever.
    for (const address of ['192.0.2.10', '192.0.2.11', '192.0.2.12']) {
      guard.failed(address)
      guard.failed(address)
    }
    guard.failed('2001:db8::3')
    guard.failed('2001:db8::4')
    guard.failed('192.0.2.13')
    expect(() => guard.assertMayTry('192.0.2.10')).not.toThrow()
  })
})

/** Deadlines short enough for a test; the dribbling below outlasts them many times over. */
const SHORT: TransportTimeouts = {headersMs: 300, requestMs: 600, checkIntervalMs: 100}
/** A dribbling client gives up after this many bytes (50 ms apart): 10 s, far past `SHORT`. */
const MAX_DRIBBLE = 200

interface Outcome {
  /** True when the server closed the connection while the client was still sending. */
  closedByServer: boolean
  received: string
}

/**
 * Opens a connection (TLS with the given ALPN protocol, or plain TCP), writes `start` at once,
 * then one byte of `dribble` every 50 ms until the server closes or `MAX_DRIBBLE` bytes went.
 */
function dribble(
  target: {port: number; tls?: {alpn: string; ca: Buffer}},
  start: Buffer,
  byte: Buffer,
  stopAfterFirstAnswer = false,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tlsConnect({
          port: target.port,
          host: '127.0.0.1',
          servername: 'localhost',
          ca: target.tls.ca,
          ALPNProtocols: [target.tls.alpn],
        })
      : netConnect({port: target.port, host: '127.0.0.1'})
    const chunks: Buffer[] = []
    let sent = 0
    let timer: NodeJS.Timeout | undefined
    let finished = false
    const finish = (closedByServer: boolean) => {
      if (finished) return
      finished = true
      clearInterval(timer)
      socket.destroy()
      resolve({closedByServer, received: Buffer.concat(chunks).toString('latin1')})
    }
    socket.on('data', (c: Buffer) => {
      chunks.push(c)
      if (stopAfterFirstAnswer && /HTTP\/1\.1 \d{3}/.test(Buffer.concat(chunks).toString('latin1')))
        finish(true)
    })
    socket.on('close', () => finish(true))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish(true)
      else reject(error)
    })
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      socket.write(start)
      timer = setInterval(() => {
        if (sent >= MAX_DRIBBLE) return finish(false)
        sent++
        socket.write(byte)
      }, 50)
    })
  })
}

/** The HTTP/2 client preface and an empty SETTINGS frame, then the first bytes of a HEADERS frame. */
const H2_PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
  Buffer.from([0, 0, 0, 0x04, 0, 0, 0, 0, 0]),
  // HEADERS, 16,384 bytes long, END_HEADERS, stream 1: the rest never comes, one byte at a time.
  Buffer.from([0x00, 0x40, 0x00, 0x01, 0x04, 0, 0, 0, 1]),
])

describe('slow clients are timed out', () => {
  let lake: TestLake
  let ca: Buffer
  beforeAll(async () => {
    lake = await startTestLake({timeouts: SHORT})
    lakes.push(lake)
    ca = readFileSync(join(lake.dataDir, 'tls', 'cert.pem'))
  })

  it('lake, HTTP/1.1 over TLS: headers sent a byte at a time are cut off (408)', async () => {
    const outcome = await dribble(
      {port: lake.port, tls: {alpn: 'http/1.1', ca}},
      Buffer.from('GET /v1/ping HTTP/1.1\r\nHost: localhost\r\nX-Slow: '),
      Buffer.from('a'),
    )
    expect(outcome.closedByServer).toBe(true)
    expect(outcome.received).toMatch(/^(HTTP\/1\.1 408|$)/)
  })

  it('lake, HTTP/1.1 over TLS: a body that stalls is answered 408', async () => {
    const outcome = await dribble(
      {port: lake.port, tls: {alpn: 'http/1.1', ca}},
      Buffer.from(
        `POST /v1/data/mutate/production HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${lake.adminToken}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"mutations":[`,
      ),
      Buffer.from(' '),
      true,
    )
    expect(outcome.closedByServer).toBe(true)
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408/)
  })

  it('lake, HTTP/2 over TLS: a HEADERS frame sent a byte at a time is cut off', async () => {
    const outcome = await dribble(
      {port: lake.port, tls: {alpn: 'h2', ca}},
      H2_PREFACE,
      Buffer.from([0x41]),
    )
    expect(outcome.closedByServer).toBe(true)
  })

  it('lake, HTTP/2: a request whose body stalls is answered 408 and nothing is stored', async () => {
    const session = http2Connect(lake.url, {ca})
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/v1/data/mutate/production',
        authorization: `Bearer ${lake.adminToken}`,
        'content-type': 'application/json',
      })
      // A complete-looking prefix of a body whose end never comes.
      stream.write('{"mutations":[{"create":{"_id":"stalled","_type":"page"}}]')
      const status = await new Promise<number>((resolve, reject) => {
        stream.once('response', (headers) => resolve(Number(headers[':status'])))
        stream.once('error', reject)
      })
      expect(status).toBe(408)
      stream.destroy()
    } finally {
      session.destroy()
    }
    expect(await lake.client().getDocument('stalled')).toBeUndefined()
  })

  it('lake, HTTP/2: a listen stream outlives the request deadline (only requests are timed)', async () => {
    const session = http2Connect(lake.url, {ca})
    try {
      const listen = session.request({
        ':path': `/v1/data/listen/production?query=${encodeURIComponent('*[_type == "deadline-probe"]')}`,
        authorization: `Bearer ${lake.adminToken}`,
        accept: 'text/event-stream',
      })
      let events = ''
      const waiters: (() => void)[] = []
      listen.on('data', (chunk: Buffer) => {
        events += chunk.toString('utf8')
        for (const wake of waiters.splice(0)) wake()
      })
      listen.on('close', () => {
        for (const wake of waiters.splice(0)) wake()
      })
      const heard = async (what: string) => {
        while (!events.includes(what)) {
          if (listen.closed) throw new Error(`The listen stream was closed before "${what}"`)
          await new Promise<void>((wake) => waiters.push(wake))
        }
      }
      await heard('event: welcome')
      // A request opened after the listen stream, on the same connection, has its deadline
      // pass later: once it is answered 408, the listen stream's own moment has gone by too.
      const stalled = session.request({
        ':method': 'POST',
        ':path': '/v1/data/mutate/production',
        authorization: `Bearer ${lake.adminToken}`,
        'content-type': 'application/json',
      })
      stalled.write('{"mutations":[')
      const status = await new Promise<number>((resolve) =>
        stalled.once('response', (headers) => resolve(Number(headers[':status']))),
      )
      expect(status).toBe(408)
      await lake.client().create({_type: 'deadline-probe', title: 'still listening'})
      await heard('still listening')
      expect(listen.closed).toBe(false)
    } finally {
      session.destroy()
    }
  })

  it('frontend (HTTP/1.1): headers sent a byte at a time are cut off', async () => {
    const web = await startWeb({port: 0, host: '127.0.0.1', lakeUrl: lake.url, timeouts: SHORT})
    try {
      const outcome = await dribble(
        {port: Number(new URL(web.url).port)},
        Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: '),
        Buffer.from('a'),
      )
      expect(outcome.closedByServer).toBe(true)
      expect(outcome.received).toMatch(/^(HTTP\/1\.1 408|$)/)
    } finally {
      await web.close()
    }
  })

  it('the intake on any server: a stalled body is a 408 from its own reader', async () => {
    // A bare `node:http` server with Node's default (minutes-long) deadlines.
    const mounted = await mountIntake({
      client: lake.client({token: lake.createToken('reviewer')}),
      rateLimit: false,
      bodyDeadlineMs: SHORT.requestMs,
    })
    try {
      const outcome = await dribble(
        {port: Number(new URL(mounted.url).port)},
        Buffer.from(
          'POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"url":"/a",',
        ),
        Buffer.from(' '),
        true,
      )
      expect(outcome.closedByServer).toBe(true)
      expect(outcome.received).toMatch(/^HTTP\/1\.1 408/)
    } finally {
      await mounted.close()
    }
  })
})
