/**
 * Slows down token guessing: each client address (IPv6: each /64, see `rateLimitKey`) may fail a
 * token check a few times a minute; past that, every request from it that presents a token is
 * answered 429 with `Retry-After`, before the token is looked at. Other addresses are unaffected,
 * and requests without a token (anonymous reads) are never held back.
 *
 * Lake tokens are 256 random bits, so this is not what keeps them secret: it caps what a script
 * can try against a weaker `LAKE_ADMIN_TOKEN` or a leaked prefix, and keeps a misconfigured
 * client from filling the log.
 */
import {rateLimitKey} from '../../lib/transport'
import {RetryLaterError} from '../store/types'

/**
 * 10 failures a minute: a person pasting the wrong token retries a handful of times; a script is
 * held to 14,400 guesses a day per address. At most 10,000 addresses are remembered (each holds
 * at most 10 timestamps), the least recently failing forgotten first, so memory stays bounded
 * whatever an attacker rotates through.
 */
export const FAILED_TOKEN_LIMIT: FailureLimit = {limit: 10, windowMs: 60_000, maxKeys: 10_000}

export interface FailureLimit {
  /** Failures allowed per window; the next attempt is refused. */
  limit: number
  windowMs: number
  /** Addresses remembered at most. */
  maxKeys: number
}

export interface TokenGuard {
  /** Throws a 429 (with `Retry-After`) when `address` has failed too often lately. */
  assertMayTry(address: string | undefined): void
  /** Records a presented token that matched nothing. */
  failed(address: string | undefined): void
}

export function createTokenGuard(
  settings: FailureLimit = FAILED_TOKEN_LIMIT,
  now: () => number = Date.now,
): TokenGuard {
  // Insertion-ordered, re-inserted on each failure: the least recently failing address is first
  // and is the one forgotten. Each address's times ascend, so expired ones are at the front.
  const failures = new Map<string, number[]>()
  const keyOf = (address: string | undefined) => rateLimitKey(address ?? 'unknown')

  function recent(key: string, at: number): number[] {
    const times = failures.get(key) ?? []
    let expired = 0
    while (expired < times.length && at - (times[expired] ?? 0) >= settings.windowMs) expired++
    if (expired > 0) times.splice(0, expired)
    if (times.length === 0) failures.delete(key)
    return times
  }

  return {
    assertMayTry(address) {
      // Nobody has failed lately: every request that presents a token asks this first.
      if (failures.size === 0) return
      const at = now()
      const times = recent(keyOf(address), at)
      if (times.length < settings.limit) return
      const oldest = times[times.length - settings.limit] ?? at
      const retryAfterSeconds = Math.max(1, Math.ceil((oldest + settings.windowMs - at) / 1000))
      throw new RetryLaterError(
        429,
        'rateLimitedError',
        `Too many failed token checks from this address: try again in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      )
    },
    failed(address) {
      const at = now()
      const key = keyOf(address)
      const times = recent(key, at)
      times.push(at)
      // Only the last `limit` matter for the decision: memory per address stays bounded too.
      if (times.length > settings.limit) times.splice(0, times.length - settings.limit)
      failures.delete(key)
      failures.set(key, times)
      while (failures.size > settings.maxKeys) {
        const first = failures.keys().next()
        if (first.done) break
        failures.delete(first.value)
      }
    },
  }
}
