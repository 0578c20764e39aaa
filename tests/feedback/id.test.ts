import {describe, expect, it} from 'vitest'

import {submissionId, uuidV5} from '../../intake/id'

describe('uuidV5', () => {
  it('matches the RFC 9562 test vector (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    )
  })
})

describe('submissionId', () => {
  it('is deterministic for a key and under the feedback sub-path', () => {
    const id = submissionId('form-123')
    expect(id).toBe(submissionId('form-123'))
    expect(id).toMatch(
      /^feedback\.[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(id).not.toBe(submissionId('form-124'))
  })
  it('is random without a key', () => {
    expect(submissionId(undefined)).not.toBe(submissionId(undefined))
    expect(submissionId(undefined)).toMatch(/^feedback\./)
  })
})
