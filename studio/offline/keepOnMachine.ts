/**
 * In local mode the Studio must not reach past this machine: on a health organisation's laptop a
 * request to Sanity's services leaks who uses the Studio and when, and fails offline anyway.
 *
 * Sanity 6.16 has no option for two calls its bundle makes with `fetch` on every load:
 * - the version check (`sanity-cdn.com/v1/modules/sanity/latest/…`, then every 15 minutes);
 * - the "Help and resources" menu's probe of Sanity's feedback tunnel (`api.sanity.io/vX/intake/feedback`).
 * (Its Sentry reporter starts only when the Studio is auto-updated from Sanity's CDN, which
 * `sanity.cli.ts` turns off; the build's CDN tags are removed by `scripts/lib/offlineStudio.ts`.)
 *
 * So the Studio's `fetch` answers requests to other machines itself, as an offline machine with
 * nothing to offer would: the version check hears "you have the latest" (there is no update path
 * offline, and a failure would be logged on every load), everything else a 503 (the feedback
 * probe then hides the feedback form). Requests to this origin and to loopback hosts (the lake,
 * the frontend) go through untouched.
 */

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1: hosts that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  )
}

/** Whether a request to `url` stays on this machine, seen from a page at `pageOrigin`. */
export function staysOnMachine(url: URL, pageOrigin: string): boolean {
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true
  return url.origin === pageOrigin || isLoopbackHost(url.hostname)
}

/** What the Studio is told instead of asking another machine. */
export function offlineAnswer(url: URL, studioVersion: string): Response {
  const headers = {'content-type': 'application/json'}
  if (
    /(^|\.)sanity-cdn\.(com|work)$/.test(url.hostname) &&
    url.pathname.startsWith('/v1/modules/')
  ) {
    // The shape the module CDN answers with; the running version is the newest one reachable.
    return new Response(JSON.stringify({latest: studioVersion, packageVersion: studioVersion}), {
      status: 200,
      headers,
    })
  }
  return new Response(
    JSON.stringify({error: 'This Studio runs offline: requests to other machines are not sent.'}),
    {status: 503, headers},
  )
}

type Fetch = typeof globalThis.fetch

function requestUrl(input: Parameters<Fetch>[0]): string {
  if (typeof input === 'string') return input
  if (input instanceof URL) return input.href
  return input.url
}

/** `fetch`, except that requests leaving the machine are answered by `offlineAnswer`. */
export function guardFetch(fetchImpl: Fetch, pageOrigin: string, studioVersion: string): Fetch {
  return (input, init) => {
    const url = new URL(requestUrl(input), pageOrigin)
    if (staysOnMachine(url, pageOrigin)) return fetchImpl(input, init)
    return Promise.resolve(offlineAnswer(url, studioVersion))
  }
}

const INSTALLED = Symbol.for('careers-studio.keepOnMachine')

/**
 * Wraps the page's `fetch` once. Called from `sanity.config.ts` in local mode before the Studio
 * renders, so no component has had a chance to call out.
 */
export function keepStudioOnMachine(studioVersion: string): void {
  // The CLI evaluates the config in Node, sometimes with a `window` that has no `fetch`.
  if (typeof window === 'undefined' || typeof window.fetch !== 'function') return
  const scope = window as unknown as Record<symbol, boolean>
  if (scope[INSTALLED]) return
  scope[INSTALLED] = true
  window.fetch = guardFetch(window.fetch.bind(window), window.location.origin, studioVersion)
}
