/**
 * A signed render time for the form. GOV.UK's "sent within 4 s of opening" rule trusts a
 * timestamp the client sends, which a bot simply backdates. With a secret shared by the page
 * renderer and the intake, the form carries `<ms>.<hmac>`: backdating breaks the signature.
 *
 *   // web, when rendering the form:  <input type="hidden" name="renderedAt" value={signRenderedAt(secret)}>
 */
import {createHmac, timingSafeEqual} from 'node:crypto'

const TOKEN = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/

function mac(secret: string, ms: string): Buffer {
  return createHmac('sha256', secret).update(`feedback-form:${ms}`).digest()
}

export function signRenderedAt(secret: string, ms: number = Date.now()): string {
  const at = String(Math.floor(ms))
  return `${at}.${mac(secret, at).toString('base64url')}`
}

/** The render time a token vouches for, or `undefined` when it is not one we signed. */
export function verifyRenderedAt(secret: string, token: string): number | undefined {
  const match = TOKEN.exec(token)
  if (!match?.[1] || !match[2]) return undefined
  const given = Buffer.from(match[2], 'base64url')
  const expected = mac(secret, match[1])
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? Number(match[1])
    : undefined
}

export function isSignedToken(value: string): boolean {
  return TOKEN.test(value)
}
