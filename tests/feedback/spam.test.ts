import {describe, expect, it} from 'vitest'

import {defaultSpamRules, spamReason} from '../../feedback/spam'

const now = 1_700_000_000_000
const genuine = {whatDoing: 'Reading about training', whatWentWrong: 'The HSST link is broken', now}

describe('spamReason', () => {
  it('passes a genuine report', () => {
    expect(spamReason({...genuine, renderedAt: now - 30_000, website: ''})).toBeUndefined()
  })
  it('flags a filled honeypot', () => {
    expect(spamReason({...genuine, website: 'http://spam.example'})).toBe('honeypot')
  })
  it('flags a form sent within 4 s of rendering, but not at 4 s', () => {
    expect(spamReason({...genuine, renderedAt: now - 3999})).toBe('too-fast')
    expect(spamReason({...genuine, renderedAt: now - 4000})).toBeUndefined()
  })
  it('honours a configured minimum fill time', () => {
    expect(
      spamReason({...genuine, renderedAt: now - 5000}, {...defaultSpamRules, minFillMs: 10_000}),
    ).toBe('too-fast')
  })
  it('flags scanner markers in either field, case-insensitively', () => {
    expect(spamReason({...genuine, whatWentWrong: "x' UNION SELECT password FROM users"})).toBe(
      'scanner-marker',
    )
    expect(spamReason({...genuine, whatDoing: '<SCRIPT>alert(1)</script>'})).toBe('scanner-marker')
  })
  it('flags identical answers', () => {
    expect(
      spamReason({now, whatDoing: 'Broken page here', whatWentWrong: ' broken page here '}),
    ).toBe('identical-fields')
  })
  it('flags two single-word answers, but not one', () => {
    expect(spamReason({now, whatDoing: 'hello', whatWentWrong: 'world'})).toBe('single-words')
    expect(spamReason({now, whatDoing: '', whatWentWrong: 'typo'})).toBeUndefined()
  })
})
