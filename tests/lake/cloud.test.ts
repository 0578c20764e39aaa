/**
 * The cloud-only endpoints a Studio load asks for answer 200 with Sanity's "feature not enabled"
 * bodies, through the stock `@sanity/client` as the Studio sends them (`client.request`), with and
 * without a token, at the API versions the Studio uses.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let admin: SanityClient
let anonymous: SanityClient

beforeAll(async () => {
  lake = await startTestLake({generic: true})
  admin = lake.client().withConfig({apiVersion: '2025-02-19'})
  anonymous = lake.client({token: null})
})
afterAll(() => lake.close())

const quiet: [string, unknown][] = [
  ['/journey/asset-limit', null],
  ['/journey/document-limit', null],
  ['/journey/comments', null],
  ['/journey/tasks', null],
  ['/journey/content-releases', null],
  ['/journey/scheduled-drafts', null],
  ['/journey/scheduled-publishing', null],
  ['/journey/unclaimed-project', null],
  ['/journey/trial?studioVersion=6.16.0', {}],
  ['/journey/trial/override?trialState=x', {}],
  ['/journey/announcements', []],
  ['/help?m=sanity%406.16.0&locale=en-US', {}],
  ['/schedules/local/production?limit=1', {schedules: []}],
  ['/projects/local/grants', {}],
  ['/projects/local/user-applications', []],
  ['/features', []],
  ['/check/cors', {result: {allowed: true, withCredentials: true}}],
  ['/access/requests/me', []],
]

describe('cloud-only endpoints answer like a project without the feature', () => {
  it.each(quiet)('GET %s', async (url, body) => {
    expect(await admin.request({url})).toEqual(body)
    // The Studio asks some of these before sign-in completes, and at API version 1.
    expect(await anonymous.withConfig({apiVersion: '1'}).request({url})).toEqual(body)
  })

  it('records a trial dialog dismissal', async () => {
    expect(await admin.request({url: '/journey/trial/dialog-1', method: 'POST'})).toEqual({})
  })

  it('still answers 404 for what no project has', async () => {
    expect((await lakeFetch(lake, '/v2025-02-19/journey/no-such-journey')).status).toBe(404)
    expect((await lakeFetch(lake, '/v2025-02-19/schedules/local/production/one')).status).toBe(404)
    expect((await lakeFetch(lake, '/v1/help/more')).status).toBe(404)
  })
})
