/**
 * Issue #11, finding 5 (the lake's part): `/users/{id}` and the batch form the Studio's user store
 * sends (`/users/{id1},{id2}`, read by `id`), answering for the people the lake knows, so the
 * Studio shows names rather than raw ids. Anonymous callers learn nothing.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake

beforeAll(async () => {
  lake = await startTestLake()
})
afterAll(() => lake.close())

describe('/users/{ids}', () => {
  it('answers one user by id, as the Studio’s user store reads it', async () => {
    const reviewer = lake.createTokenWithId('reviewer', 'Rita Reviewer')
    const viewer = lake.client({token: lake.createToken('viewer', 'Vic Viewer')})
    const user = await viewer.request({uri: `/users/p-${reviewer.id}`})
    expect(user).toEqual({
      id: `p-${reviewer.id}`,
      displayName: 'Rita Reviewer',
      givenName: null,
      middleName: null,
      familyName: null,
      imageUrl: null,
      email: `p-${reviewer.id}@lake.localhost`,
      isCurrentUser: false,
    })
  })

  it('answers a batch in order, null for ids it does not know', async () => {
    const editor = lake.createTokenWithId('editor', 'Eddie Editor')
    const client = lake.client({token: editor.token})
    const users = (await client.request({
      uri: `/users/p-localdev,p-nobody,p-${editor.id}`,
    })) as ({id: string; displayName: string; isCurrentUser: boolean} | null)[]
    expect(users).toEqual([
      expect.objectContaining({id: 'p-localdev', displayName: 'Local developer'}),
      null,
      expect.objectContaining({
        id: `p-${editor.id}`,
        displayName: 'Eddie Editor',
        isCurrentUser: true,
      }),
    ])
  })

  it('is a 404 for one unknown id, and forgets a revoked token’s holder', async () => {
    const gone = lake.createTokenWithId('editor', 'Gone')
    lake.revokeToken(gone.id)
    for (const id of ['p-nobody', `p-${gone.id}`, 'feedback-intake']) {
      const res = await lakeFetch(lake, `/v2021-06-07/users/${id}`, {token: lake.adminToken})
      expect(res.status).toBe(404)
      expect(res.json()).toMatchObject({error: {description: `User "${id}" not found`}})
    }
  })

  it('tells anonymous callers nothing (401)', async () => {
    const res = await lakeFetch(lake, '/v2021-06-07/users/p-localdev')
    expect(res.status).toBe(401)
    expect(res.text).not.toContain('Local developer')
  })

  it('refuses empty ids and oversized batches (400)', async () => {
    const empty = await lakeFetch(lake, '/v2021-06-07/users/p-localdev,,x', {
      token: lake.adminToken,
    })
    expect(empty.status).toBe(400)
    const many = Array.from({length: 401}, (_, i) => `p-${i}`).join(',')
    const tooMany = await lakeFetch(lake, `/v2021-06-07/users/${many}`, {token: lake.adminToken})
    expect(tooMany.status).toBe(400)
    expect(tooMany.json()).toMatchObject({error: {description: 'At most 400 user ids per request'}})
  })
})
