/**
 * What must and must not be masked, as a table: every format named in issue #10 (finding 6), the
 * NHS number's check digit deciding between a number and a coincidence, and the ordinary text of
 * feedback about a careers site (course codes, versions, dates) that must survive untouched.
 */
import {describe, expect, it} from 'vitest'

import {
  MAX_DECODE_ROUNDS,
  maskPath,
  maskPii,
  maskUrl,
  maskUserAgent,
  normaliseUnicode,
  percentDecode,
  type PiiKind,
} from '../../feedback/pii'

/** [text, the kind it must be masked as]: the whole of `value` is one item of personal data. */
const MUST_MASK: [string, PiiKind][] = [
  // Emails, plain and obfuscated.
  ['jane@example.com', 'email'],
  ['jo.bloggs+nhs@example.co.uk', 'email'],
  ['jane＠example.com', 'email'],
  ['"jane doe"@example.com', 'email'],
  ['jane at example dot com', 'email'],
  ['jane AT example DOT co DOT uk', 'email'],
  ['jane(at)example.com', 'email'],
  ['jane (at) example (dot) com', 'email'],
  ['jane [at] example [dot] com', 'email'],
  ['jane{at}example{dot}com', 'email'],
  ['jane@example dot com', 'email'],
  ['ja\u200bne@exam\u00adple.com', 'email'],
  // NHS numbers: any grouping, when the modulus 11 check digit holds.
  ['943 476 5919', 'nhs-number'],
  ['9434765919', 'nhs-number'],
  ['943-476-5919', 'nhs-number'],
  ['943.476.5919', 'nhs-number'],
  ['401 023 2137', 'nhs-number'],
  ['９４３ ４７６ ５９１９', 'nhs-number'],
  // National Insurance numbers with any separators.
  ['QQ 12 34 56 C', 'ni-number'],
  ['QQ123456C', 'ni-number'],
  ['QQ-12-34-56-C', 'ni-number'],
  ['qq.12.34.56.c', 'ni-number'],
  ['QQ\u00a012\u00a034\u00a056\u00a0C', 'ni-number'],
  // Postcodes with odd spacing or a hyphen.
  ['SW1A 1AA', 'postcode'],
  ['SW1A  1AA', 'postcode'],
  ['SW1A-1AA', 'postcode'],
  ['SW1A\u20131AA', 'postcode'],
  ['SW1A1AA', 'postcode'],
  ['m1 1ae', 'postcode'],
  ['HS1 2AB', 'postcode'],
  ['GIR 0AA', 'postcode'],
  // Phone numbers: UK, with and without a country code, any separators; North American; E.164.
  ['07700 900123', 'phone'],
  ['07700/900123', 'phone'],
  ['07700-900-123', 'phone'],
  ['447700900123', 'phone'],
  ['+447700900123', 'phone'],
  ['+44 (0)20 7946 0958', 'phone'],
  ['0044 20 7946 0958', 'phone'],
  ['(020) 7946 0958', 'phone'],
  ['020\u20137946\u20130958', 'phone'],
  ['(212) 555-0123', 'phone'],
  ['212.555.0123', 'phone'],
  ['+1 212 555 0123', 'phone'],
  ['+33 1 23 45 67 89', 'phone'],
]

/** Text that looks like personal data to a careless rule, and is not. */
const MUST_NOT_MASK: string[] = [
  'module HS1 2AB',
  'Module: HS1 2AB',
  'unit B1 1AA of the course',
  'see section 4.2 and table M1 1AE',
  'The 2019 and 2020 intakes ran for 3 years',
  '2019-2020 and 2020/2021',
  'on 01/02/2026 at 10:30',
  'BSc (Hons) in Healthcare Science, level 6',
  'fees of £9,250 a year',
  'I was looking at nhs.uk and healthcareers.nhs.uk',
  'meet at the hospital',
  // An NHS-number shape whose check digit fails is a coincidence (a reference, an order number).
  'NHS number 9434765918',
  '4010232138',
  'ISBN 978-0-19-852663-6',
  'version 120.0.6099.129',
  'HSST, STP and PTP routes',
  'page 12 of 40',
]

describe('must be masked', () => {
  it.each(MUST_MASK)('%s → %s', (value, kind) => {
    for (const text of [value, `Before ${value} after.`, `(${value})`]) {
      const result = maskPii(text)
      expect(result.kinds, text).toEqual([kind])
      expect(result.text, text).toContain('removed]')
      // Nothing of the value's digits or local part is left beside the placeholder.
      expect(result.text.replace(/\[[^\]]*removed\]/g, ''), text).not.toMatch(/\d{3}|jane/i)
    }
  })
})

describe('must not be masked', () => {
  it.each(MUST_NOT_MASK)('%s', (text) => {
    expect(maskPii(text)).toEqual({text: normaliseUnicode(text), kinds: []})
  })
})

describe('stored addresses, paths and user agents', () => {
  it.each([
    ['https://site.example/users/jane%40example.com/profile', 'email'],
    ['https://site.example/users/jane%2540example.com', 'email'],
    ['https://site.example/call/07700%20900123', 'phone'],
    ['https://site.example/u/%22jane%20doe%22%40example.com', 'email'],
  ] as const)('percent-decodes %s before masking, and stays a URL', (url, kind) => {
    const result = maskUrl(url)
    expect(result.kinds).toEqual([kind])
    expect(() => new URL(result.text)).not.toThrow()
    expect(decodeURIComponent(result.text)).not.toMatch(/jane|07700/)
  })

  it('decodes an address encoded over itself up to MAX_DECODE_ROUNDS times, and no further', () => {
    const encodedTimes = (n: number) => `jane%${'25'.repeat(n - 1)}40example.com`
    expect(percentDecode(encodedTimes(MAX_DECODE_ROUNDS))).toBe('jane@example.com')
    expect(maskPath(`/u/${encodedTimes(MAX_DECODE_ROUNDS)}`).kinds).toEqual(['email'])
    // One round more stays percent-encoded: not an address to a reader, nor to the rules.
    expect(percentDecode(encodedTimes(MAX_DECODE_ROUNDS + 1))).toBe('jane%40example.com')
  })

  it('leaves an address with nothing to mask exactly as it was', () => {
    const url = 'https://site.example/training%20routes/cardiac-sciences'
    expect(maskUrl(url)).toEqual({text: url, kinds: []})
    expect(maskPath('/training%20routes')).toEqual({text: '/training%20routes', kinds: []})
  })

  it.each([
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Linux; Android 10; SM-G973F Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
  ])('keeps a browser’s user agent: %s', (userAgent) => {
    expect(maskUserAgent(userAgent)).toEqual({text: userAgent, kinds: []})
  })

  it.each([
    ['CareersApp/2.1 (jane@example.com)', 'email'],
    ['CareersApp/2.1 (+44 7700 900123)', 'phone'],
    ['CareersApp/2.1 device/3f2a9c1e4b5d6a7f8e9d0c1b', 'identifier'],
    ['CareersApp/2.1 install/123e4567-e89b-12d3-a456-426614174000', 'identifier'],
  ] as const)('masks personal data in a user agent: %s', (userAgent, kind) => {
    const result = maskUserAgent(userAgent)
    expect(result.kinds).toEqual([kind])
    expect(result.text).toMatch(/^CareersApp\/2\.1 /)
  })
})
