/**
 * The generic lake (`server/lake.ts` with no application) is Content Lake's API and built-in roles
 * alone: no feedback route, no feedback grant, no workflow. The careers lake adds exactly those.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let generic: TestLake
let careers: TestLake

beforeAll(async () => {
  // One after the other: test lakes share the first one's certificate.
  generic = await startTestLake({generic: true})
  careers = await startTestLake()
})
afterAll(() => Promise.all([generic.close(), careers.close()]))

const report = {_id: 'feedback.one', _type: 'feedbackSubmission', status: 'resolved'}

describe('the generic lake knows no application', () => {
  it('mounts no feedback intake', async () => {
    const body = JSON.stringify({url: '/x', whatWentWrong: 'a b c'})
    const headers = {'content-type': 'application/json'}
    const plain = await lakeFetch(generic, '/feedback', {method: 'POST', body, headers})
    expect(plain.status).toBe(404)
    const mounted = await lakeFetch(careers, '/feedback', {method: 'POST', body, headers})
    expect(mounted.status).not.toBe(404)
  })

  it('applies no feedback workflow: an editor may create a report in any state', async () => {
    const editor = generic.client({token: generic.createToken('editor')})
    await expect(editor.create(report)).resolves.toMatchObject({_id: 'feedback.one'})
    const careersEditor = careers.client({token: careers.createToken('editor')})
    // The careers lake's policy: only the intake files reports.
    await expect(careersEditor.create(report)).rejects.toMatchObject({statusCode: 403})
  })

  it("grants only the built-in roles' rights on every id", async () => {
    const viewer = generic.client({token: generic.createToken('viewer')})
    expect(await viewer.getDocument('feedback.one')).toMatchObject({_id: 'feedback.one'})
    const reviewer = generic.client({token: generic.createToken('reviewer')})
    await expect(
      reviewer.create({_id: 'feedback.two', _type: 'feedbackSubmission'}),
    ).rejects.toMatchObject({statusCode: 403})
    const acl = await lakeFetch(generic, '/v2025-02-19/projects/local/datasets/production/acl', {
      token: generic.createToken('viewer'),
    })
    expect(acl.json()).toEqual([{filter: '_id in path("**")', permissions: ['read', 'history']}])
  })
})
