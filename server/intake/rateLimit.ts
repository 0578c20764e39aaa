/**
 * A sliding-window rate limiter per client key, in memory. `check` never changes state (an
 * invalid submission must not count, as on GOV.UK); `take` records a submission that counts;
 * `refund` gives it back when the write failed, so a lake outage does not lock readers out.
 */
import {isIPv4, isIPv6} from 'node:net'

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

/**
 * One IPv6 subscriber is routinely handed a whole /64 (18 quintillion addresses), so counting per
 * address would let one person rotate through fresh keys forever: IPv6 clients are counted per
 * /64 prefix. This is how many leading 16-bit groups make that prefix.
 */
const IPV6_PREFIX_GROUPS = 4

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped, embedded IPv4 converted). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] ?? ''
  const lastColon = text.lastIndexOf(':')
  const tail = text.slice(lastColon + 1)
  if (isIPv4(tail)) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number)
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', rest] = text.split('::')
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)))
  const front = parse(head)
  const back = rest === undefined ? [] : parse(rest)
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back]
}

/**
 * Who a request counts against, from its address: IPv4 as it is, IPv4-mapped IPv6
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports for IPv4 peers) as the IPv4 address, other
 * IPv6 addresses as their /64 (`2001:db8:1:2::/64`). Anything else (a key a proxy computed) is
 * kept as given.
 */
export function rateLimitKey(address: string): string {
  if (!isIPv6(address.split('%')[0] ?? '')) return address
  const groups = ipv6Groups(address)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi = 0, lo = 0] = groups.slice(6)
    return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`
  }
  return `${groups
    .slice(0, IPV6_PREFIX_GROUPS)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}
