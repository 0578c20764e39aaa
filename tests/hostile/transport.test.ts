/**
 * The lake's transport against hostile clients, over real TLS: a weak `LAKE_ADMIN_TOKEN` refused
 * at start, guessed tokens slowed down per address, and slow headers or bodies timed out.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {request as httpsRequest} from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, describe, expect, it} from 'vitest'

import {createTokenGuard, FAILED_TOKEN_LIMIT} from '../../server/auth/guard'
import {ADMIN_TOKEN_MIN_LENGTH} from '../../server/auth/tokens'
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
