import {describe, expect, it} from 'vitest'

import {checkOrigin, requestOrigin} from '../../intake/origin'

const own = 'https://localhost:4545'
const allowed = ['https://localhost:3000']

describe('checkOrigin', () => {
  it('allows same-origin and user-initiated navigations', () => {
    expect(checkOrigin({'sec-fetch-site': 'same-origin'}, allowed, own).allowed).toBe(true)
    expect(checkOrigin({'sec-fetch-site': 'none'}, allowed, own).allowed).toBe(true)
  })
  it('allows same-site and cross-site posts only from listed origins', () => {
    expect(
      checkOrigin({'sec-fetch-site': 'same-site', origin: 'https://localhost:3000'}, allowed, own)
        .allowed,
    ).toBe(true)
    expect(
      checkOrigin({'sec-fetch-site': 'cross-site', origin: 'https://evil.example'}, allowed, own)
        .allowed,
    ).toBe(false)
    expect(checkOrigin({'sec-fetch-site': 'cross-site'}, allowed, own).allowed).toBe(false)
  })
  it('trusts Sec-Fetch-Site over a spoofable-looking Origin', () => {
    expect(checkOrigin({'sec-fetch-site': 'cross-site', origin: own}, allowed, own).allowed).toBe(
      true,
    )
    expect(
      checkOrigin({'sec-fetch-site': 'cross-site', origin: 'https://evil.example'}, [], own)
        .allowed,
    ).toBe(false)
  })
  it('falls back to the Origin allow-list without Sec-Fetch-Site', () => {
    expect(checkOrigin({origin: 'https://localhost:3000'}, allowed, own).allowed).toBe(true)
    expect(checkOrigin({origin: own}, [], own).allowed).toBe(true)
    expect(checkOrigin({origin: 'https://evil.example'}, allowed, own).allowed).toBe(false)
    expect(checkOrigin({origin: 'null'}, allowed, own).allowed).toBe(false)
  })
  it('allows non-browser clients that send neither header', () => {
    expect(checkOrigin({}, allowed, own).allowed).toBe(true)
  })
})

describe('requestOrigin', () => {
  it('reads HTTP/1 Host and HTTP/2 :authority', () => {
    expect(requestOrigin({host: 'Localhost:4545'}, true)).toBe('https://localhost:4545')
    expect(requestOrigin({':authority': 'localhost:4545', ':scheme': 'https'}, false)).toBe(
      'https://localhost:4545',
    )
  })
})
