/**
 * Retries for intake writes. @sanity/client retries GETs but never mutations, and hosted Content
 * Lake answers 429 beyond 25 mutations/s per IP: the intake backs off and retries itself, as it
 * does when the local lake's store fails to commit a group. Safe because every write is
 * `createIfNotExists` on a deterministic id.
 */
import {isHttpError} from '@sanity/client'

export interface RetryOptions {
  /** Attempts after the first. */
  retries: number
  baseDelayMs: number
  maxDelayMs: number
  sleep?: (ms: number) => Promise<void>
  /** 0..1; injected so tests are deterministic. */
  random?: () => number
}

export const defaultRetry: RetryOptions = {retries: 4, baseDelayMs: 250, maxDelayMs: 8000}

/**
 * The HTTP status of a client error, or of an error the lake's store threw in-process (the lake's
 * errors carry `statusCode` as Content Lake's answers do).
 */
function statusOf(error: unknown): number | undefined {
  if (isHttpError(error)) return error.statusCode
  const status = (error as {statusCode?: unknown} | null)?.statusCode
  return typeof status === 'number' ? status : undefined
}

/** 429, 5xx and network failures (no HTTP status at all) are worth another try; 4xx are not. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error)
  if (status !== undefined) return status === 429 || status >= 500
  const code = (error as {code?: unknown} | null)?.code
  return (
    typeof code === 'string' &&
    /^(?:ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|UND_ERR)/.test(code)
  )
}

/** The server's Retry-After in ms (seconds or an HTTP date), if it sent one. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  if (!isHttpError(error)) return undefined
  const value = error.response.headers['retry-after']
  if (value === undefined) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined
}

/** "Full jitter" exponential backoff, never less than the server asked for. */
export function backoffDelay(attempt: number, options: RetryOptions, serverMs?: number): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt)
  const jittered = Math.round(cap * (options.random ?? Math.random)())
  return Math.min(options.maxDelayMs, Math.max(jittered, serverMs ?? 0))
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export async function withRetry<T>(
  operation: () => Promise<T>,
  options: RetryOptions = defaultRetry,
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation()
    } catch (error) {
      if (attempt >= options.retries || !isRetryable(error)) throw error
      await sleep(backoffDelay(attempt, options, retryAfterMs(error)))
    }
  }
}
