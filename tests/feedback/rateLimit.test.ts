import {describe, expect, it} from 'vitest'

import {createRateLimiter} from '../../intake/rateLimit'

function clock(start = 0) {
  let t = start
  return {now: () => t, advance: (ms: number) => void (t += ms)}
}

describe('createRateLimiter', () => {
  it('allows the limit per window, then refuses with the seconds until a slot frees', () => {
    const c = clock()
    const limiter = createRateLimiter({limit: 2, windowMs: 60_000}, c.now)
    expect(limiter.take('a')).toEqual({allowed: true})
    c.advance(10_000)
    expect(limiter.take('a')).toEqual({allowed: true})
    expect(limiter.take('a')).toEqual({allowed: false, retryAfterSeconds: 50})
    expect(limiter.check('a')).toEqual({allowed: false, retryAfterSeconds: 50})
    c.advance(50_000)
    expect(limiter.take('a')).toEqual({allowed: true})
  })
  it('keeps clients apart', () => {
    const limiter = createRateLimiter({limit: 1, windowMs: 60_000}, clock().now)
    expect(limiter.take('a').allowed).toBe(true)
    expect(limiter.take('b').allowed).toBe(true)
    expect(limiter.take('a').allowed).toBe(false)
  })
  it('check never counts, so invalid submissions cost nothing', () => {
    const limiter = createRateLimiter({limit: 1, windowMs: 60_000}, clock().now)
    for (let i = 0; i < 5; i++) expect(limiter.check('a').allowed).toBe(true)
    expect(limiter.take('a').allowed).toBe(true)
  })
  it('refund gives a slot back after a failed write', () => {
    const limiter = createRateLimiter({limit: 1, windowMs: 60_000}, clock().now)
    limiter.take('a')
    limiter.refund('a')
    expect(limiter.take('a').allowed).toBe(true)
  })
  it('forgets the least recently used keys beyond maxKeys', () => {
    const limiter = createRateLimiter({limit: 1, windowMs: 60_000, maxKeys: 2}, clock().now)
    limiter.take('a')
    limiter.take('b')
    limiter.take('c')
    expect(limiter.check('a').allowed).toBe(true)
    expect(limiter.check('c').allowed).toBe(false)
  })
})
