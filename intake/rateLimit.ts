/**
 * A sliding-window rate limiter per client key, in memory. `check` never changes state (an
 * invalid submission must not count, as on GOV.UK); `take` records a submission that counts;
 * `refund` gives it back when the write failed, so a lake outage does not lock readers out.
 */

export interface RateLimitSettings {
  /** Submissions allowed per window. GOV.UK's default: 1 per 60 s per IP. */
  limit: number
  windowMs: number
  /** Keys tracked at most; the oldest are forgotten first (memory stays bounded under attack). */
  maxKeys?: number
}

export const defaultRateLimit: RateLimitSettings = {limit: 1, windowMs: 60_000, maxKeys: 50_000}

export type RateDecision = {allowed: true} | {allowed: false; retryAfterSeconds: number}

export interface RateLimiter {
  check(key: string): RateDecision
  take(key: string): RateDecision
  refund(key: string): void
}

export function createRateLimiter(
  settings: RateLimitSettings = defaultRateLimit,
  now: () => number = Date.now,
): RateLimiter {
  const maxKeys = settings.maxKeys ?? 50_000
  // Insertion-ordered: re-inserting a key on use keeps the least recently used first. Each key's
  // times are ascending, so expired ones are always at the front.
  const hits = new Map<string, number[]>()

  function recent(key: string, at: number): number[] {
    const times = hits.get(key)
    if (!times) return []
    let expired = 0
    while (expired < times.length && at - (times[expired] as number) >= settings.windowMs) expired++
    if (expired > 0) times.splice(0, expired)
    if (times.length === 0) hits.delete(key)
    return times
  }

  function decide(times: number[], at: number): RateDecision {
    if (times.length < settings.limit) return {allowed: true}
    const oldest = times[times.length - settings.limit] ?? at
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + settings.windowMs - at) / 1000)),
    }
  }

  return {
    check(key) {
      const at = now()
      return decide(recent(key, at), at)
    },
    take(key) {
      const at = now()
      const times = recent(key, at)
      const decision = decide(times, at)
      if (!decision.allowed) return decision
      times.push(at)
      hits.delete(key)
      hits.set(key, times)
      while (hits.size > maxKeys) {
        const first = hits.keys().next()
        if (first.done) break
        hits.delete(first.value)
      }
      return decision
    },
    refund(key) {
      const times = hits.get(key)
      if (!times || times.length === 0) return
      times.pop()
      if (times.length === 0) hits.delete(key)
    },
  }
}
