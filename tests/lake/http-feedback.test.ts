import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {seedDataset} from '../../scripts/seed'
import {fileReport, moveReport} from '../helpers/feedback'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

const PAGE_PATH = '/training-development-registration-cardiac-sciences'

let lake: TestLake

beforeAll(async () => {
  // GOV.UK's default (one report a minute per client) would refuse this file's second post.
  process.env['FEEDBACK_RATE_LIMIT'] = '100/60'
  lake = await startTestLake()
  await seedDataset(lake.client())
})
afterAll(() => lake.close())

function report(idempotencyKey: string): Record<string, string> {
  return {
    url: PAGE_PATH,
    whatDoing: 'Reading about the Scientist Training Programme',
    whatWentWrong: 'The sentence about further qualifications says "The are likely"',
    category: 'wrong-or-out-of-date',
    idempotencyKey,
    renderedAt: String(Date.now() - 60_000),
  }
}

describe('POST /feedback on the lake', () => {
  it('stores a report under feedback.* with its page, unreadable without a token', async () => {
    const response = await lakeFetch(lake, '/feedback', {
      method: 'POST',
      headers: {'content-type': 'application/json', 'sec-fetch-site': 'same-origin'},
      body: JSON.stringify(report('lake-mount-1')),
    })
    expect(response.status).toBe(201)
    const {id} = response.json() as {id: string}
    expect(id).toMatch(/^feedback\./)

    const stored = await lake.client().getDocument(id)
    expect(stored).toMatchObject({
      _type: 'feedbackSubmission',
      status: 'new',
      path: PAGE_PATH,
      page: {_ref: expect.any(String)},
    })
    // The intake wrote as its own reviewer identity, not as the developer's administrator.
    expect(lake.store.transactions({documentIds: [id]}).map((t) => t.author)).toEqual([
      'feedback-intake',
    ])
    const anonymous = lake.client({token: null, perspective: 'published'})
    expect(await anonymous.fetch('*[_type == "feedbackSubmission"]')).toEqual([])
    expect(await anonymous.fetch('*[_id == $id][0]', {id})).toBeNull()
  })

  it('is idempotent: the same key stores one report', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await lakeFetch(lake, '/feedback', {
        method: 'POST',
        headers: {'content-type': 'application/json', 'sec-fetch-site': 'same-origin'},
        body: JSON.stringify(report('lake-mount-2')),
      })
      expect(response.status).toBe(201)
    }
    const stored = await lake
      .client()
      .fetch<number>('count(*[_type == "feedbackSubmission" && idempotencyKey == $key])', {
        key: 'lake-mount-2',
      })
    expect(stored).toBe(1)
  })

  it('refuses a cross-site post and stores nothing', async () => {
    const before = await lake.client().fetch<number>('count(*[_type == "feedbackSubmission"])')
    const response = await lakeFetch(lake, '/feedback', {
      method: 'POST',
      headers: {'content-type': 'application/json', 'sec-fetch-site': 'cross-site'},
      body: JSON.stringify(report('lake-mount-3')),
    })
    expect(response.status).toBe(403)
    expect(await lake.client().fetch('count(*[_type == "feedbackSubmission"])')).toBe(before)
  })
})

describe('the feedback workflow where writes happen', () => {
  it('refuses a raw patch that skips the workflow, and changes nothing', async () => {
    const reviewer = lake.client({token: lake.createToken('reviewer')})
    const id = 'feedback.workflow-raw-patch'
    await fileReport(lake, {_id: id, path: PAGE_PATH})

    // new → resolved is not a transition, whoever asks and however they write it.
    const refused = reviewer
      .patch(id)
      .set({status: 'resolved', resolutionNote: 'Fixed the typo'})
      .commit()
    await expect(refused).rejects.toMatchObject({statusCode: 409})
    await expect(refused).rejects.toThrow(/Feedback workflow/)
    expect(await reviewer.getDocument(id)).toMatchObject({status: 'new'})

    // new → triaged is, with its audit trail entry.
    await moveReport(reviewer, id, 'triaged')
    expect(await reviewer.getDocument(id)).toMatchObject({status: 'triaged'})
  })

  it('lets an editor triage feedback, but neither rewrite what the public said nor delete it', async () => {
    const editor = lake.client({token: lake.createToken('editor')})
    const id = 'feedback.editor-delete'
    await fileReport(lake, {_id: id, whatWentWrong: 'As the public wrote it'})
    await editor.patch(id).set({assignee: 'p-editor'}).commit()
    await expect(
      editor.patch(id).set({whatWentWrong: 'Clarified by an editor'}).commit(),
    ).rejects.toMatchObject({statusCode: 409})
    await expect(editor.delete(id)).rejects.toMatchObject({statusCode: 403})
    expect(await lake.client().getDocument(id)).toMatchObject({
      assignee: 'p-editor',
      whatWentWrong: 'As the public wrote it',
    })
  })
})
