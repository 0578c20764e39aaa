/**
 * Issue #17: in local mode the Studio's own `fetch` calls to Sanity's CDN and services are answered
 * on the machine (`studio/offline/keepOnMachine.ts`); requests to the lake and the frontend pass.
 */
import {describe, expect, it} from 'vitest'

import {guardFetch, isLoopbackHost, staysOnMachine} from '../../studio/offline/keepOnMachine'

const PAGE = 'https://localhost:4545'

/** A `fetch` that records what reached the network and answers 200 "network". */
function recordingFetch() {
  const sent: string[] = []
  const impl: typeof fetch = (input) => {
    sent.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    return Promise.resolve(new Response('network'))
  }
  return {sent, impl}
}

describe('what stays on the machine', () => {
  it.each(['localhost', 'studio.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  )
  it.each([
    'sanity-cdn.com',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
    '10.0.0.1',
    'api.sanity.io',
  ])('%s is not', (host) => expect(isLoopbackHost(host)).toBe(false))

  it('passes the page’s own origin even when it is not loopback (LAKE_HOST on the LAN)', () => {
    expect(staysOnMachine(new URL('https://lake.lan:4545/v1/ping'), 'https://lake.lan:4545')).toBe(
      true,
    )
    expect(staysOnMachine(new URL('https://other.lan/'), 'https://lake.lan:4545')).toBe(false)
  })
})

describe('the guarded fetch', () => {
  it('sends requests to the lake, the frontend and relative paths', async () => {
    const {sent, impl} = recordingFetch()
    const guarded = guardFetch(impl, PAGE, '6.16.0')
    await guarded('/v2025-02-19/users/me')
    await guarded(new URL('http://localhost:3000/training'))
    await guarded(new Request('https://localhost:4545/v1/data/query/production?query=*'))
    expect(sent).toHaveLength(3)
  })

  it('answers the version check itself: the running version is the latest', async () => {
    const {sent, impl} = recordingFetch()
    const guarded = guardFetch(impl, PAGE, '6.16.0')
    const res = await guarded(
      'https://sanity-cdn.com/v1/modules/sanity/latest/%5E6.16.0/t1780000000',
      {headers: {accept: 'application/json'}},
    )
    expect(sent).toEqual([])
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({latest: '6.16.0', packageVersion: '6.16.0'})
  })

  it('answers every other off-machine request with a 503, sending nothing', async () => {
    const {sent, impl} = recordingFetch()
    const guarded = guardFetch(impl, PAGE, '6.16.0')
    const feedback = await guarded('https://api.sanity.io/vX/intake/feedback', {
      method: 'POST',
      body: '{}',
    })
    const sentry = await guarded('https://sentry.sanity.io/api/1/envelope/')
    expect(sent).toEqual([])
    expect([feedback.status, sentry.status]).toEqual([503, 503])
  })
})
