import {describe, expect, it} from 'vitest'

import {findDuplicate, normaliseText} from '../../server/intake/duplicate'

describe('normaliseText', () => {
  it('ignores case, spacing and punctuation', () => {
    expect(normaliseText('  The LINK, is broken!! ')).toBe(normaliseText('the link is broken'))
  })
  it('keeps different words different', () => {
    expect(normaliseText('link broken')).not.toBe(normaliseText('link fixed'))
  })
})

describe('findDuplicate', () => {
  const recent = [
    {_id: 'feedback.a', whatDoing: 'Reading', whatWentWrong: 'Link broken', status: 'new'},
    {
      _id: 'feedback.b',
      whatDoing: 'Reading',
      whatWentWrong: 'Link broken.',
      status: 'duplicate',
      duplicateOf: {_ref: 'feedback.a'},
    },
    {_id: 'feedback.s', whatDoing: 'Buy', whatWentWrong: 'Cheap pills now', status: 'spam'},
  ]
  it('points at the original report', () => {
    expect(findDuplicate('reading', 'LINK BROKEN', recent)).toBe('feedback.a')
    expect(findDuplicate('reading', 'LINK BROKEN', recent.slice(1))).toBe('feedback.a')
  })
  it('does not treat spam as an original, nor different text as a duplicate', () => {
    expect(findDuplicate('Buy', 'Cheap pills now', recent)).toBeUndefined()
    expect(findDuplicate('Reading', 'Typo in heading', recent)).toBeUndefined()
  })
})
