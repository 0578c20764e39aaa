import {describe, expect, it} from 'vitest'

import {signRenderedAt, verifyRenderedAt} from '../../intake/formToken'
import {errorPage, formStateOf} from '../../intake/html'
import {validateSubmission} from '../../intake/validate'

describe('signed render times', () => {
  it('verifies its own tokens and returns the time', () => {
    const token = signRenderedAt('s3cret', 1_700_000_000_000)
    expect(token).toMatch(/^1700000000000\.[A-Za-z0-9_-]{43}$/)
    expect(verifyRenderedAt('s3cret', token)).toBe(1_700_000_000_000)
  })
  it('refuses a backdated time, another secret and junk', () => {
    const token = signRenderedAt('s3cret', 1_700_000_000_000)
    const backdated = token.replace(/^1700000000000/, '1699999990000')
    expect(verifyRenderedAt('s3cret', backdated)).toBeUndefined()
    expect(verifyRenderedAt('other', token)).toBeUndefined()
    expect(verifyRenderedAt('s3cret', '1700000000000')).toBeUndefined()
    expect(verifyRenderedAt('s3cret', `${token}x`)).toBeUndefined()
  })
  it('passes through validation with the token kept for checking', () => {
    const token = signRenderedAt('s3cret', 1_700_000_000_000)
    expect(
      validateSubmission(
        {url: '/a', whatWentWrong: 'Broken link', renderedAt: token},
        'https://x.example',
      ),
    ).toMatchObject({value: {renderedAt: 1_700_000_000_000, renderedAtToken: token}})
  })
})

describe('the error page', () => {
  it('carries the signed render time back, so the corrected form is not judged spam', () => {
    const token = signRenderedAt('s3cret', 1_700_000_000_000)
    const html = errorPage(
      '/a',
      formStateOf({url: '/a', renderedAt: token, website: 'bot-filled'}, [
        {field: 'whatWentWrong', message: 'Too long'},
      ]),
    )
    expect(html).toContain(`name="renderedAt" value="${token}"`)
    expect(html).not.toContain('bot-filled')
  })
})
