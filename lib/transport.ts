/**
 * What every server of this project shares at its transport boundary (the lake's, the frontend's,
 * the intake's, whoever mounts it): how long a client may take to send a request, the one body
 * reader that enforces it, and the key a client's address is counted under. It lives at the
 * bottom layer because the lake (`server/`), the intake and the frontend all need it and none of
 * them may import another.
 */
import {isIPv4, isIPv6} from 'node:net'

/**
 * How long a client may take to send a request. Without these a client that sends its headers a
 * byte at a time, or a body that stalls, holds a connection and its buffers for as long as it
 * likes (slowloris); a few hundred such clients starve everyone.
 */
export interface TransportTimeouts {
  /** From connecting (or going idle) to a complete set of request headers. */
  headersMs: number
  /** From the start of a request to the last byte of its body. */
  requestMs: number
  /** How often Node's HTTP/1.1 server looks for connections past either deadline. */
  checkIntervalMs: number
}

export const TRANSPORT_TIMEOUTS: TransportTimeouts = {
  // Real clients send their headers in one packet; 10 s covers a congested mobile link.
  headersMs: 10_000,
  // The largest body the lake takes (4 MB of mutations) arrives in 60 s at 67 KB/s: slower than
  // any link a Studio user works on.
  requestMs: 60_000,
  // Node's default is 30 s, which would let a stalled client linger 30 s past its deadline.
  checkIntervalMs: 1_000,
}

/** The options Node's HTTP/1.1 servers (and HTTP/2's HTTP/1.1 fallback) take for the deadlines. */
export function http1TimeoutOptions(timeouts: TransportTimeouts) {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: timeouts.checkIntervalMs,
  }
}

export interface BodyReadErrors {
  tooLarge: (limit: number) => Error
  timedOut: (deadlineMs: number) => Error
  /** The client went away (or was cut off) before its body ended. */
  incomplete: () => Error
}

/**
 * Reads a request body of at most `limit` bytes that must arrive within `deadlineMs`: the shared
 * reader of the lake's routes and the feedback intake, whatever server mounts them (the servers'
 * own deadlines above are the first line; this one holds on any server). A body cut short is an
 * error, never a shorter body: a truncated form can still parse, and must not be acted on.
 *
 * On a deadline it stops waiting rather than destroying the request, so the caller can still
 * answer (408); the server's own deadline, or `Connection: close`, ends the connection.
 */
export async function collectBody(
  stream: AsyncIterable<unknown> & {readonly complete?: boolean},
  limit: number,
  deadlineMs: number,
  errors: BodyReadErrors,
): Promise<Buffer> {
  const iterator = stream[Symbol.asyncIterator]()
  const chunks: Buffer[] = []
  let size = 0
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), deadlineMs)
    timer.unref()
  })
  try {
    for (;;) {
      const pending = iterator.next()
      const next = await Promise.race([pending, expired])
      if (next === 'expired') {
        // The read still pending may settle (or fail) later; nobody is waiting for it.
        pending.catch(() => undefined)
        throw errors.timedOut(deadlineMs)
      }
      if (next.done) break
      const chunk = next.value
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
      size += buffer.length
      if (size > limit) {
        // As `for await` does on a throw: the rest of the body is discarded, not buffered.
        void iterator.return?.()
        throw errors.tooLarge(limit)
      }
      chunks.push(buffer)
    }
  } catch (error) {
    if (error instanceof Error && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      throw errors.incomplete()
    }
    throw error
  } finally {
    clearTimeout(timer)
  }
  if (stream.complete === false) throw errors.incomplete()
  return Buffer.concat(chunks, size)
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
