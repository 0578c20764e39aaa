import {describe, expect, it} from 'vitest'

import {normaliseText, originalOf, reportFingerprint} from '../../feedback/fingerprint'

describe('normaliseText', () => {
  it('ignores case, spacing and punctuation', () => {
    expect(normaliseText('  The LINK, is broken!! ')).toBe(normaliseText('the link is broken'))
  })
  it('keeps different words different', () => {
    expect(normaliseText('link broken')).not.toBe(normaliseText('link fixed'))
  })
})

describe('reportFingerprint', () => {
  it('is equal for the same text however it is cased, spaced and punctuated', () => {
    expect(reportFingerprint('Reading', 'Link broken.')).toBe(
      reportFingerprint('  reading ', 'LINK   BROKEN'),
    )
  })
  it('tells the two fields apart and keeps different text different', () => {
    expect(reportFingerprint('a b', 'c')).not.toBe(reportFingerprint('a', 'b c'))
    expect(reportFingerprint('Reading', 'Typo in heading')).not.toBe(
      reportFingerprint('Reading', 'Link broken'),
    )
  })
  it('is short and safe to store and index', () => {
    expect(reportFingerprint('x'.repeat(5000), 'y')).toMatch(/^[\w-]{27}$/)
  })
})

describe('originalOf', () => {
  it('points at the original report, also through an earlier duplicate', () => {
    expect(originalOf({_id: 'feedback.a', status: 'new'})).toBe('feedback.a')
    expect(
      originalOf({_id: 'feedback.b', status: 'duplicate', duplicateOf: {_ref: 'feedback.a'}}),
    ).toBe('feedback.a')
  })
  it('finds none without an earlier report, nor in spam', () => {
    expect(originalOf(null)).toBeUndefined()
    expect(originalOf({_id: 'feedback.s', status: 'spam'})).toBeUndefined()
  })
})
