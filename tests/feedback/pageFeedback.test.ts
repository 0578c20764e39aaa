import {describe, expect, it} from 'vitest'

import {splitByLastEdit} from '../../studio/feedback/pageFeedback'

describe('splitByLastEdit', () => {
  const page = {_rev: 'r2', _updatedAt: '2026-11-20T00:00:00Z'}
  it('uses the page revision a report was made against', () => {
    const {sinceLastEdit, before} = splitByLastEdit(page, [
      {_id: 'a', pageRevision: 'r2', submittedAt: '2026-11-19T00:00:00Z'},
      {_id: 'b', pageRevision: 'r1', submittedAt: '2026-11-21T00:00:00Z'},
    ])
    expect(sinceLastEdit.map((s) => s._id)).toEqual(['a'])
    expect(before.map((s) => s._id)).toEqual(['b'])
  })
  it('falls back to time for reports without a revision', () => {
    const {sinceLastEdit, before} = splitByLastEdit(page, [
      {_id: 'new', submittedAt: '2026-11-21T00:00:00Z'},
      {_id: 'old', submittedAt: '2026-11-19T00:00:00Z'},
    ])
    expect(sinceLastEdit.map((s) => s._id)).toEqual(['new'])
    expect(before.map((s) => s._id)).toEqual(['old'])
  })
})
