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
import {createRateLimiter, rateLimitKey, type RateLimitSettings} from '../intake/rateLimit'
import {RetryLaterError} from '../store/types'

/**
 * 10 failures a minute: a person pasting the wrong token retries a handful of times; a script is
 * held to 14,400 guesses a day per address. At most 10,000 addresses are remembered (each holds
 * at most 10 timestamps), the least recently failing forgotten first, so memory stays bounded
 * whatever an attacker rotates through.
 */
export const FAILED_TOKEN_LIMIT: RateLimitSettings = {limit: 10, windowMs: 60_000, maxKeys: 10_000}

export interface TokenGuard {
  /** Throws a 429 (with `Retry-After`) when `address` has failed too often lately. */
  assertMayTry(address: string | undefined): void
  /** Records a presented token that matched nothing. */
  failed(address: string | undefined): void
}

export function createTokenGuard(
  settings: RateLimitSettings = FAILED_TOKEN_LIMIT,
  now: () => number = Date.now,
): TokenGuard {
  const failures = createRateLimiter(settings, now)
  const keyOf = (address: string | undefined) => rateLimitKey(address ?? 'unknown')
  return {
    assertMayTry(address) {
      const decision = failures.check(keyOf(address))
      if (decision.allowed) return
      throw new RetryLaterError(
        429,
        'rateLimitedError',
        `Too many failed token checks from this address: try again in ${decision.retryAfterSeconds} s`,
        decision.retryAfterSeconds,
      )
    },
    failed(address) {
      failures.take(keyOf(address))
    },
  }
}
