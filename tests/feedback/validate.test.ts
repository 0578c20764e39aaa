import {describe, expect, it} from 'vitest'

import {FEEDBACK_TEXT_MAX, FEEDBACK_URL_MAX} from '../../schemas/documents/feedbackSubmission'
import {TEXT_MAX, URL_MAX} from '../../intake/limits'
import {validateSubmission} from '../../intake/validate'

const base = 'https://www.healthcareers.nhs.uk'
const ok = {
  url: 'https://www.healthcareers.nhs.uk/working-health/cardiac-sciences?q=jo@x.org#top',
  whatDoing: 'Reading',
  whatWentWrong: 'A broken link',
}

function error(raw: Record<string, unknown>) {
  const result = validateSubmission(raw, base)
  if (result.ok) throw new Error('expected a validation error')
  return result.error
}

describe('validateSubmission', () => {
  it('keeps the limits equal to the schema’s', () => {
    expect(TEXT_MAX).toBe(FEEDBACK_TEXT_MAX)
    expect(URL_MAX).toBe(FEEDBACK_URL_MAX)
  })

  it('drops the query string and fragment and derives the path', () => {
    const result = validateSubmission(ok, base)
    expect(result).toMatchObject({
      ok: true,
      value: {
        url: `${base}/working-health/cardiac-sciences`,
        path: '/working-health/cardiac-sciences',
      },
    })
  })

  it('resolves a bare path against the site', () => {
    expect(validateSubmission({...ok, url: '/a/b'}, base)).toMatchObject({
      value: {url: `${base}/a/b`},
    })
  })

  it('accepts exactly 1,250 characters and refuses 1,251, naming the field (400)', () => {
    expect(validateSubmission({...ok, whatWentWrong: 'x'.repeat(1250)}, base).ok).toBe(true)
    expect(error({...ok, whatWentWrong: 'x'.repeat(1251)})).toMatchObject({
      field: 'whatWentWrong',
      status: 400,
    })
  })

  it('counts CRLF as one character and emoji as one', () => {
    expect(validateSubmission({...ok, whatDoing: 'a\r\n'.repeat(625)}, base).ok).toBe(true)
    expect(validateSubmission({...ok, whatDoing: '😀'.repeat(1250)}, base).ok).toBe(true)
  })

  it('refuses a URL over 2,048 characters', () => {
    expect(error({...ok, url: `${base}/${'a'.repeat(2048)}`})).toMatchObject({
      field: 'url',
      status: 400,
    })
  })

  it.each(['url', 'whatDoing', 'whatWentWrong', 'category', 'idempotencyKey', 'website'])(
    'refuses a null byte in %s, naming it',
    (field) => {
      expect(error({...ok, [field]: 'a\u0000b'})).toMatchObject({field, status: 400})
    },
  )

  it('refuses repeated fields and non-text values', () => {
    expect(error({...ok, whatDoing: ['a', 'b']})).toMatchObject({field: 'whatDoing', status: 400})
    expect(error({...ok, whatWentWrong: {$ne: 1}})).toMatchObject({
      field: 'whatWentWrong',
      status: 400,
    })
  })

  it('refuses javascript: and unparseable addresses', () => {
    expect(error({...ok, url: 'javascript:alert(1)'})).toMatchObject({field: 'url'})
    expect(error({...ok, url: 'http://'})).toMatchObject({field: 'url'})
  })

  it('needs a page and something reported (422)', () => {
    expect(error({...ok, url: ''})).toMatchObject({field: 'url', status: 422})
    expect(error({...ok, whatDoing: ' ', whatWentWrong: ''})).toMatchObject({
      field: 'whatWentWrong',
      status: 422,
    })
  })

  it('accepts known categories only', () => {
    expect(validateSubmission({...ok, category: 'broken-link'}, base)).toMatchObject({
      value: {category: 'broken-link'},
    })
    expect(error({...ok, category: 'other'})).toMatchObject({field: 'category', status: 422})
  })

  it('reads checkbox and JSON consent', () => {
    expect(validateSubmission({...ok, contactConsent: 'on'}, base)).toMatchObject({
      value: {contactConsent: true},
    })
    expect(validateSubmission({...ok, contactConsent: true}, base)).toMatchObject({
      value: {contactConsent: true},
    })
    expect(validateSubmission(ok, base)).toMatchObject({value: {contactConsent: false}})
    expect(error({...ok, contactConsent: 'maybe'})).toMatchObject({field: 'contactConsent'})
  })

  it('reads renderedAt as epoch ms or ISO time', () => {
    expect(validateSubmission({...ok, renderedAt: '1700000000000'}, base)).toMatchObject({
      value: {renderedAt: 1_700_000_000_000},
    })
    expect(validateSubmission({...ok, renderedAt: '2023-11-14T22:13:20.000Z'}, base)).toMatchObject(
      {value: {renderedAt: 1_700_000_000_000}},
    )
    expect(error({...ok, renderedAt: 'soon'})).toMatchObject({field: 'renderedAt'})
  })

  it('only returns to paths on the site (no open redirect)', () => {
    expect(validateSubmission({...ok, returnTo: '/a?b=1'}, base)).toMatchObject({
      value: {returnTo: '/a?b=1'},
    })
    expect(error({...ok, returnTo: '//evil.example/'})).toMatchObject({field: 'returnTo'})
    expect(error({...ok, returnTo: 'https://evil.example/'})).toMatchObject({field: 'returnTo'})
  })

  it('restricts idempotency keys to token characters', () => {
    expect(error({...ok, idempotencyKey: 'a b'})).toMatchObject({field: 'idempotencyKey'})
  })
})
