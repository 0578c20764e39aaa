import {ClientError, ServerError} from '@sanity/client'
import {describe, expect, it} from 'vitest'

import {backoffDelay, isRetryable, retryAfterMs, withRetry} from '../../intake/retry'
import {LakeError} from '../../server/store/types'

function httpError(statusCode: number, headers: Record<string, string> = {}) {
  const res = {
    statusCode,
    headers,
    body: {error: {description: 'x'}},
    url: '/',
    method: 'POST',
    statusMessage: null,
  }
  return statusCode >= 500 ? new ServerError(res) : new ClientError(res)
}

describe('retry policy', () => {
  it('retries 429, 5xx and network errors, not other 4xx', () => {
    expect(isRetryable(httpError(429))).toBe(true)
    expect(isRetryable(httpError(503))).toBe(true)
    expect(isRetryable(Object.assign(new Error('reset'), {code: 'ECONNRESET'}))).toBe(true)
    expect(isRetryable(httpError(409))).toBe(false)
    expect(isRetryable(httpError(403))).toBe(false)
  })
  it('treats the local store’s errors the same way (the lake-mounted intake writes to it)', () => {
    expect(isRetryable(new LakeError(500, 'storeError', 'commit failed'))).toBe(true)
    expect(isRetryable(new LakeError(503, 'storeUnavailable', 'fsync failed'))).toBe(true)
    expect(isRetryable(new LakeError(409, 'mutationError', 'workflow'))).toBe(false)
    expect(isRetryable(new LakeError(403, 'permissionDeniedError', 'no'))).toBe(false)
  })
  it('reads Retry-After seconds and dates', () => {
    expect(retryAfterMs(httpError(429, {'retry-after': '3'}))).toBe(3000)
    expect(
      retryAfterMs(httpError(429, {'retry-after': new Date(10_000).toUTCString()}), 4000),
    ).toBe(6000)
  })
  it('backs off exponentially with jitter, capped, never under the server’s ask', () => {
    const options = {retries: 4, baseDelayMs: 100, maxDelayMs: 1000, random: () => 1}
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, options))).toEqual([100, 200, 400, 800, 1000])
    expect(backoffDelay(0, {...options, random: () => 0}, 700)).toBe(700)
  })
  it('retries until success, sleeping between attempts', async () => {
    const sleeps: number[] = []
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls < 3)
          throw httpError(calls === 1 ? 429 : 502, calls === 1 ? {'retry-after': '1'} : {})
        return 'ok'
      },
      {
        retries: 4,
        baseDelayMs: 100,
        maxDelayMs: 5000,
        random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
      },
    )
    expect(result).toBe('ok')
    expect(sleeps).toEqual([1000, 100])
  })
  it('gives up after the retries and on non-retryable errors', async () => {
    let calls = 0
    const options = {retries: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: () => Promise.resolve()}
    await expect(
      withRetry(async () => {
        calls++
        throw httpError(500)
      }, options),
    ).rejects.toBeInstanceOf(ServerError)
    expect(calls).toBe(3)
    calls = 0
    await expect(
      withRetry(async () => {
        calls++
        throw httpError(400)
      }, options),
    ).rejects.toBeInstanceOf(ClientError)
    expect(calls).toBe(1)
  })
})
