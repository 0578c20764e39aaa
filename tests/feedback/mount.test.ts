import {describe, expect, it} from 'vitest'

import {allowedOriginsFromEnv, isFeedbackRequest, rateLimitFromEnv} from '../../intake/mount'

describe('mounting helpers', () => {
  it('matches POST and OPTIONS on /feedback only', () => {
    expect(isFeedbackRequest('POST', '/feedback')).toBe(true)
    expect(isFeedbackRequest('POST', '/feedback/')).toBe(true)
    expect(isFeedbackRequest('OPTIONS', '/feedback')).toBe(true)
    expect(isFeedbackRequest('GET', '/feedback')).toBe(false)
    expect(isFeedbackRequest('POST', '/feedbacks')).toBe(false)
    expect(isFeedbackRequest('POST', '/v1/feedback')).toBe(false)
  })
  it('reads origins and the rate limit from the environment', () => {
    expect(allowedOriginsFromEnv(' https://a.example , https://b.example,')).toEqual([
      'https://a.example',
      'https://b.example',
    ])
    expect(allowedOriginsFromEnv('')).toEqual([])
    expect(rateLimitFromEnv('5/60')).toEqual({limit: 5, windowMs: 60_000})
    expect(rateLimitFromEnv('lots')).toBeUndefined()
  })
})
