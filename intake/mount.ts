/**
 * Wiring for the servers that mount the intake (the lake, the frontend): the handler built from
 * the environment, and the one question a router asks.
 *
 *   const feedback = createFeedbackIntakeFromEnv()
 *   if (isFeedbackRequest(req.method, pathname)) return feedback(req, res)
 *
 * The write token comes from `intakeToken()` (LAKE_INTAKE_TOKEN, the reviewer token the careers
 * lake writes to its data directory, or SANITY_API_WRITE_TOKEN against the hosted lake), never
 * an administrator's: it stays in this process.
 */
import type {SanityClient} from '@sanity/client'

import {createContentClient, intakeToken} from '../lib/client'
import {isIntakePath} from './paths'
import {
  createFeedbackIntake,
  type FeedbackIntakeOptions,
  type FeedbackRequestHandler,
} from './index'

export {FEEDBACK_PATH, USEFUL_PATH} from './paths'

/**
 * POST (and its CORS preflight) to `/feedback` or `/feedback/useful`, with or without a trailing
 * slash: the one handler answers both.
 */
export function isFeedbackRequest(method: string | undefined, pathname: string): boolean {
  return (method === 'POST' || method === 'OPTIONS') && isIntakePath(pathname)
}

/** Comma-separated origins from `FEEDBACK_ALLOWED_ORIGINS` (e.g. the frontend's address). */
export function allowedOriginsFromEnv(value = process.env['FEEDBACK_ALLOWED_ORIGINS']): string[] {
  return (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
}

/** `FEEDBACK_RATE_LIMIT` as `<count>/<seconds>`, e.g. `1/60` (GOV.UK's default). */
export function rateLimitFromEnv(
  value = process.env['FEEDBACK_RATE_LIMIT'],
): FeedbackIntakeOptions['rateLimit'] {
  const match = value ? /^(\d+)\/(\d+)$/.exec(value.trim()) : null
  if (!match) return undefined
  return {limit: Number(match[1]), windowMs: Number(match[2]) * 1000}
}

function envClient(lakeUrl?: string, lakeDataDir?: string): SanityClient {
  const token = intakeToken(lakeDataDir)
  if (!token) {
    throw new Error(
      'The feedback intake needs a reviewer token: set LAKE_INTAKE_TOKEN, or start the careers lake once (it writes intake-token to its data directory).',
    )
  }
  return createContentClient({
    token,
    ...(lakeUrl ? {lakeUrl} : {}),
    ...(lakeDataDir ? {lakeDataDir} : {}),
  })
}

export function createFeedbackIntakeFromEnv(
  options: Partial<FeedbackIntakeOptions> & {lakeUrl?: string; lakeDataDir?: string} = {},
): FeedbackRequestHandler {
  const {lakeUrl, lakeDataDir, client: given, lake, ...rest} = options
  const rateLimit = rest.rateLimit ?? rateLimitFromEnv()
  return createFeedbackIntake({
    ...(lake ? {lake} : {client: given ?? envClient(lakeUrl, lakeDataDir)}),
    allowedOrigins: [...allowedOriginsFromEnv(), ...(rest.allowedOrigins ?? [])],
    ...(process.env['FEEDBACK_FORM_SECRET']
      ? {formSecret: process.env['FEEDBACK_FORM_SECRET']}
      : {}),
    ...(process.env['FEEDBACK_SITE_URL'] ? {siteUrl: process.env['FEEDBACK_SITE_URL']} : {}),
    ...rest,
    ...(rateLimit === undefined ? {} : {rateLimit}),
    onError: rest.onError ?? ((error) => console.error('feedback intake:', error)),
  })
}
