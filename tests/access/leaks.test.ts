/**
 * Issue #11, finding 1: what a transaction wrote to documents a caller may not read never reaches
 * that caller, whichever route it asks through. A viewer may read `settings` but not feedback
 * reports; one transaction writes both.
 */
import {randomUUID} from 'node:crypto'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Mutation} from '../../server/store/types'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'
import {openPresence} from '../helpers/presence'

let lake: TestLake
let viewerToken: string
const SECRET = 'my NHS number is in here'

/** A transaction written straight to the store, as any writer's would be logged. */
async function commit(mutations: Mutation[]): Promise<string> {
  const transaction = await lake.store.mutate(mutations, {
    identity: {id: 'p-test', name: 'Test', role: 'administrator'},
    canWrite: () => true,
    canRead: () => true,
  })
  return transaction.transactionId
}

beforeAll(async () => {
  lake = await startTestLake()
  viewerToken = lake.createToken('viewer')
})
afterAll(() => lake.close())

describe('history', () => {
  it('shows a viewer only the mutations and effects of documents it may read', async () => {
    const report = `drafts.feedback.${randomUUID()}`
    const transactionId = await commit([
      {createOrReplace: {_id: 'settings', _type: 'settings', siteTitle: 'Careers'}},
      {createOrReplace: {_id: report, _type: 'feedbackSubmission', whatWentWrong: SECRET}},
    ])
    for (const query of ['', '?effectFormat=mendoza', `?fromTransaction=${transactionId}`]) {
      const res = await lakeFetch(
        lake,
        `/v2025-02-19/data/history/production/transactions/settings${query}`,
        {token: viewerToken},
      )
      expect(res.status).toBe(200)
      expect(res.text).toContain(transactionId)
      expect(res.text).not.toContain(SECRET)
      expect(res.text).not.toContain(report)
      const line = res.text
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text) as {id: string; mutations: unknown[]})
        .find((entry) => entry.id === transactionId)
      expect(line?.mutations).toEqual([
        {createOrReplace: expect.objectContaining({_id: 'settings', siteTitle: 'Careers'})},
      ])
    }
    // A reviewer may read the report, so it sees both.
    const reviewer = await lakeFetch(
      lake,
      `/v2025-02-19/data/history/production/transactions/settings`,
      {token: lake.createToken('reviewer')},
    )
    expect(reviewer.text).toContain(SECRET)
  })
})

describe('presence', () => {
  it('tells each receiver only of locations in documents it may read', async () => {
    const reviewer = openPresence(lake, lake.createToken('reviewer'))
    const viewer = openPresence(lake, viewerToken)
    const editor = openPresence(lake, lake.createToken('editor'))
    await Promise.all([reviewer.opened, viewer.opened, editor.opened])
    await viewer.call('presence_subscribe')
    await editor.call('presence_subscribe')

    const report = `feedback.${randomUUID()}`
    const at = new Date().toISOString()
    const locations = [
      {type: 'document', documentId: report, path: ['status'], lastActiveAt: at},
      {type: 'document', documentId: `drafts.${report}`, path: [], lastActiveAt: at},
      {type: 'document', documentId: 'settings', path: ['siteTitle'], lastActiveAt: at},
    ]
    await reviewer.call('presence_announce', {data: {sessionId: 'reviewer-session', locations}})

    const isState = (m: {params?: {result: Record<string, unknown>}}) =>
      m.params?.result['type'] === 'state'
    const seenByViewer = await viewer.next(isState)
    expect(seenByViewer.params?.result['m']).toEqual({
      sessionId: 'reviewer-session',
      locations: [locations[2]],
    })
    expect(JSON.stringify(viewer.messages)).not.toContain(report)
    // An editor may read reports: it sees where the reviewer is.
    const seenByEditor = await editor.next(isState)
    expect(seenByEditor.params?.result['m']).toEqual({sessionId: 'reviewer-session', locations})
    for (const peer of [reviewer, viewer, editor]) peer.ws.close()
  })
})
