/**
 * Draft mode: the Studio's Presentation tool opens `/api/draft-mode/enable` in its preview frame
 * with a one-time secret it has just stored in the lake (`sanity.previewUrlSecret`, an hour's
 * validity). The secret is checked here, server-side, with `@sanity/preview-url-secret` and a
 * client carrying the frontend's viewer token; a valid one gets the browser a signed cookie and
 * a redirect to the page asked for. Requests with that cookie are read from the drafts
 * perspective with the viewer token, and answered `private, no-store`.
 *
 * The viewer token stays here: it signs nothing a browser sees (the cookie's signing key is a
 * hash of it, so revoking the token ends every draft session too) and no page or script carries
 * it. The same code runs against hosted Sanity: only `SANITY_API_READ_TOKEN` differs.
 *
 * The cookie is `SameSite=None; Secure; Partitioned`: the frame's origin (the frontend) is another
 * site than the Studio's, so a `Lax` cookie would not be sent inside the frame; `Partitioned`
 * keeps it to frames under the Studio that set it (CHIPS), which is also what browsers blocking
 * third-party cookies still allow. Browsers treat `http://localhost` as secure, so `Secure`
 * holds locally too.
 */
import {createHmac, timingSafeEqual} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'

import type {SanityClient} from '@sanity/client'
import {validatePreviewUrl} from '@sanity/preview-url-secret'

export const DRAFT_MODE_COOKIE = 'careers-draft-mode'
export const DRAFT_MODE_ENABLE_PATH = '/api/draft-mode/enable'
export const DRAFT_MODE_DISABLE_PATH = '/api/draft-mode/disable'
/** A working day: the Presentation tool asks for a fresh secret whenever it opens the frame. */
export const DRAFT_MODE_TTL_SECONDS = 8 * 60 * 60
/** Presentation's secrets are 16 characters; anything much longer is not one. */
export const MAX_PREVIEW_SECRET_LENGTH = 128
/** The page to go to after enabling: a path, as long as any the site has, with room to spare. */
export const MAX_PREVIEW_PATH_LENGTH = 2048

const SECRET_PARAM = 'sanity-preview-secret'
/** The perspective the Studio looks at: `drafts`, `published`, or a release stack `rA,rB,drafts`. */
export const PERSPECTIVE_PARAM = 'sanity-preview-perspective'
/** Releases a stack may name (Content Lake allows a handful stacked; this is room to spare). */
export const MAX_PREVIEW_RELEASES = 10
const RELEASE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/**
 * What the preview reads for the Studio's `sanity-preview-perspective` (Presentation joins a
 * release stack with commas): `published`, `drafts` (also for no value), or the stack as the
 * client's perspective array (releases first, `drafts` last), which hosted Content Lake reads as
 * those releases over the drafts and the local lake as the drafts. A value that names anything
 * else, or too many releases, previews the drafts.
 */
export function previewPerspective(value: string | null): 'published' | 'drafts' | string[] {
  if (value === 'published') return 'published'
  if (value === null || value === '' || value === 'drafts') return 'drafts'
  const names = value.split(',').map((name) => name.trim())
  const releases = names.filter((name) => name !== 'drafts' && name !== 'published')
  if (releases.length === 0 || releases.length > MAX_PREVIEW_RELEASES) return 'drafts'
  if (!releases.every((name) => RELEASE_NAME.test(name) && name !== 'raw')) return 'drafts'
  return [...releases, 'drafts']
}
const PATH_PARAM = 'sanity-preview-pathname'

export interface DraftMode {
  /** Whether this request carries a valid, unexpired draft-mode cookie. */
  isOn(req: IncomingMessage): boolean
  /** The client that reads drafts (viewer token, drafts perspective); null without a token. */
  readonly client: SanityClient | null
  enable(req: IncomingMessage, res: ServerResponse): Promise<void>
  disable(req: IncomingMessage, res: ServerResponse): void
}

export interface DraftModeOptions {
  /** The public client; the drafts client is made from it with the viewer token. */
  client: SanityClient
  /** The viewer token (`previewToken()`); without one draft mode answers 503. */
  token: string | undefined
  /** Seconds since the epoch (tests move it). */
  now?: () => number
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(res.req.method === 'HEAD' ? undefined : message)
}

/** The cookie's attributes: see the module comment for why each. */
function cookie(value: string, maxAge: number): string {
  return `${DRAFT_MODE_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=None; Partitioned`
}

function cookieValue(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === DRAFT_MODE_COOKIE) return rest.join('=')
  }
  return undefined
}

/**
 * A path on this site to send the browser to: never another host (`//host`, `/\host` and the
 * like collapse to one slash), `/` when there is none.
 */
export function sameSitePath(path: string | undefined | null): string {
  if (!path) return '/'
  const url = new URL(path, 'http://site.invalid')
  if (url.origin !== 'http://site.invalid') return '/'
  return `/${url.pathname.replace(/^\/+/, '')}${url.search}${url.hash}`
}

export function createDraftMode(options: DraftModeOptions): DraftMode {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000))
  const token = options.token
  const key = token ? createHmac('sha256', 'careers draft mode').update(token).digest() : null
  const client = token
    ? options.client.withConfig({token, perspective: 'drafts', useCdn: false})
    : null

  const sign = (expires: number): string => {
    if (!key) throw new Error('Draft mode has no viewer token')
    const mac = createHmac('sha256', key).update(`v1.${expires}`).digest('base64url')
    return `v1.${expires}.${mac}`
  }

  const isOn = (req: IncomingMessage): boolean => {
    const value = cookieValue(req)
    if (!value || !key) return false
    const match = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value)
    if (!match) return false
    const expires = Number(match[1])
    if (expires <= now()) return false
    const expected = Buffer.from(sign(expires))
    const given = Buffer.from(value)
    return expected.length === given.length && timingSafeEqual(expected, given)
  }

  return {
    isOn,
    client,
    async enable(req, res) {
      if (!client) {
        plain(
          res,
          503,
          'Draft mode is off: the frontend has no viewer token (set SANITY_API_READ_TOKEN).',
        )
        return
      }
      const url = new URL(req.url ?? '/', 'http://site.invalid')
      const secret = url.searchParams.get(SECRET_PARAM)
      if (!secret) {
        plain(
          res,
          401,
          `Missing ${SECRET_PARAM}: draft mode is entered from the Studio's Presentation tool.`,
        )
        return
      }
      if (secret.length > MAX_PREVIEW_SECRET_LENGTH) {
        plain(
          res,
          400,
          `${SECRET_PARAM} is longer than ${MAX_PREVIEW_SECRET_LENGTH} characters: it is not a preview secret.`,
        )
        return
      }
      const path = url.searchParams.get(PATH_PARAM)
      if (path && path.length > MAX_PREVIEW_PATH_LENGTH) {
        plain(res, 400, `${PATH_PARAM} is longer than ${MAX_PREVIEW_PATH_LENGTH} characters.`)
        return
      }
      const {isValid, redirectTo} = await validatePreviewUrl(client, url.toString())
      if (!isValid) {
        plain(
          res,
          401,
          'The preview secret is not valid or has expired: open the page again from the Studio’s Presentation tool.',
        )
        return
      }
      res.writeHead(307, {
        location: sameSitePath(redirectTo),
        'set-cookie': cookie(sign(now() + DRAFT_MODE_TTL_SECONDS), DRAFT_MODE_TTL_SECONDS),
        'cache-control': 'no-store',
      })
      res.end()
    },
    disable(req, res) {
      const url = new URL(req.url ?? '/', 'http://site.invalid')
      const back = url.searchParams.get('redirect')
      res.writeHead(307, {
        location: sameSitePath(back && back.length <= MAX_PREVIEW_PATH_LENGTH ? back : '/'),
        'set-cookie': cookie('', 0),
        'cache-control': 'no-store',
      })
      res.end()
    },
  }
}
