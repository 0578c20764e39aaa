import {describe, expect, it} from 'vitest'

import {createInFlightReports} from '../../intake/inFlight'

describe('createInFlightReports', () => {
  it('gives a copy the outcome of the identical report stored just before it', async () => {
    const reports = createInFlightReports()
    const first = reports.begin('page\u0000text')
    const second = reports.begin('page\u0000text')
    const other = reports.begin('page\u0000other text')
    expect(first.earlier).toBeUndefined()
    expect(other.earlier).toBeUndefined()
    first.finish('feedback.first')
    await expect(second.earlier).resolves.toBe('feedback.first')
    second.finish('feedback.first')
    other.finish('feedback.other')
    expect(reports.size).toBe(0)
  })

  it('chains copies to the first one, and tells them when it failed', async () => {
    const reports = createInFlightReports()
    const a = reports.begin('k')
    const b = reports.begin('k')
    const c = reports.begin('k')
    a.finish(undefined)
    await expect(b.earlier).resolves.toBeUndefined()
    b.finish('feedback.b')
    await expect(c.earlier).resolves.toBe('feedback.b')
    c.finish('feedback.b')
    // A report registering after the others finished asks the lake again.
    expect(reports.begin('k').earlier).toBeUndefined()
  })
})
