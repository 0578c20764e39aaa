import {describe, expect, it} from 'vitest'

import {generateDataset} from '../../bench/generate'

describe('benchmark datasets', () => {
  it('are the same for the same size and seed, and differ with the seed', () => {
    expect(generateDataset(500)).toEqual(generateDataset(500))
    expect(generateDataset(500, 2)).not.toEqual(generateDataset(500))
  })

  it('have the requested size, unique ids, and references that resolve', () => {
    const documents = generateDataset(2000)
    expect(documents).toHaveLength(2000)
    const ids = new Set(documents.map((d) => d._id))
    expect(ids.size).toBe(2000)
    const refs = JSON.stringify(documents).match(/"_ref":"([^"]+)"/g) ?? []
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) expect(ids.has(ref.slice(8, -1))).toBe(true)
    const types = new Set(documents.map((d) => d._type))
    expect([...types].sort()).toEqual([
      'feedbackSubmission',
      'organisation',
      'page',
      'programme',
      'qualification',
    ])
  })
})
