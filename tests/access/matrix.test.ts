/**
 * The access matrix (issue #11): for each role and each route, what it may read and write,
 * checked against a real careers lake with the stock @sanity/client (raw HTTPS and WebSocket
 * where the client has no method). One table says what each caller gets; one loop checks it.
 *
 * Three documents are written in one transaction: a published page, its draft and a feedback
 * report (viewers and anonymous callers may not read reports; anonymous callers may not read
 * drafts). A read route answers with the ids of those three the caller got; a write route with
 * its HTTP status.
 */
import {randomUUID} from 'node:crypto'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Role} from '../../lib/roles'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'
import {openPresence, type PresencePeer} from '../helpers/presence'

type Who = 'anonymous' | Role
type Route =
  'query' | 'doc' | 'mutate' | 'actions' | 'listen' | 'history' | 'export' | 'presence' | 'users'

const PUBLIC = 'matrix-page'
const DRAFT = `drafts.${PUBLIC}`
const REPORT = `feedback.${randomUUID()}`
/** Written after the fixture: a listener that sees it has seen everything before it. */
const MARKER = 'matrix-marker'
const FIXTURE = [PUBLIC, DRAFT, REPORT].sort()

const WHO: Who[] = ['anonymous', 'viewer', 'reviewer', 'editor', 'administrator']
const ROUTES: Route[] = [
  'query',
  'doc',
  'mutate',
  'actions',
  'listen',
  'history',
  'export',
  'presence',
  'users',
]

const sorted = (ids: string[]) => [...ids].sort()
const withoutReport = sorted([PUBLIC, DRAFT])
const everything = FIXTURE

/** What each caller gets from each route: document ids it may read, or a write's status. */
const MATRIX: Record<Who, Record<Route, string[] | number>> = {
  anonymous: {
    query: [PUBLIC],
    doc: [PUBLIC],
    mutate: 401,
    actions: 401,
    listen: [PUBLIC],
    history: 401,
    export: 401,
    presence: 4001,
    users: 401,
  },
  viewer: {
    query: withoutReport,
    doc: withoutReport,
    mutate: 403,
    actions: 403,
    listen: withoutReport,
    history: withoutReport,
    export: 403,
    presence: withoutReport,
    users: 200,
  },
  reviewer: {
    query: everything,
    doc: everything,
    // Reviewers write feedback only (under the workflow's rules), never pages.
    mutate: 403,
    actions: 403,
    listen: everything,
    history: everything,
    export: 403,
    presence: everything,
    users: 200,
  },
  editor: {
    query: everything,
    doc: everything,
    mutate: 200,
    actions: 200,
    listen: everything,
    history: everything,
    export: everything,
    presence: everything,
    users: 200,
  },
  administrator: {
    query: everything,
    doc: everything,
    mutate: 200,
    actions: 200,
    listen: everything,
    history: everything,
    export: everything,
    presence: everything,
    users: 200,
  },
}

let lake: TestLake
const tokens = new Map<Who, string | undefined>()
const listened = new Map<Who, Promise<string[]>>()
const presence = new Map<Who, {peer: PresencePeer; subscribed: {error?: {code: number}}}>()

function client(who: Who): SanityClient {
  return lake.client({token: tokens.get(who) ?? null})
}

/** The status a call ends with: 200, or the error's status code. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call
    return 200
  } catch (error) {
    return (error as {statusCode?: number}).statusCode ?? -1
  }
}

const fixtureIds = (ids: Iterable<string>) =>
  sorted([...new Set(ids)].filter((id) => FIXTURE.includes(id)))

/** Opens a listener on everything; resolves with the fixture ids it saw before the marker. */
async function startListening(who: Who): Promise<{done: Promise<string[]>}> {
  const seen: string[] = []
  let welcomed!: () => void
  const welcome = new Promise<void>((resolve) => (welcomed = resolve))
  const done = new Promise<string[]>((resolve, reject) => {
    const subscription = client(who)
      .listen(
        '*',
        {},
        {
          events: ['welcome', 'mutation'],
          includeResult: true,
          includeMutations: true,
          includePreviousRevision: true,
          effectFormat: 'mendoza',
        },
      )
      .subscribe({
        next(event) {
          if (event.type === 'welcome') return welcomed()
          if (event.type !== 'mutation') return
          if (event.documentId === MARKER) {
            subscription.unsubscribe()
            resolve(fixtureIds(seen))
            return
          }
          seen.push(event.documentId)
          // What an event carries (result, mutations, effects) must be the caller's to read too.
          const text = JSON.stringify(event)
          for (const id of FIXTURE) if (text.includes(`"${id}"`)) seen.push(id)
        },
        error: reject,
      })
  })
  await welcome
  // Wrapped: awaiting a promise of a promise would wait for the marker here.
  return {done}
}

const probes: Record<Route, (who: Who) => Promise<string[] | number>> = {
  async query(who) {
    const ids = await client(who).fetch<string[]>('*[_id in $ids]._id', {ids: FIXTURE})
    return fixtureIds(ids)
  },
  async doc(who) {
    const documents = await client(who).getDocuments(FIXTURE)
    return fixtureIds(documents.flatMap((document) => (document ? [document._id] : [])))
  },
  mutate: (who) =>
    statusOf(client(who).create({_id: `matrix-${randomUUID()}`, _type: 'page', title: who})),
  actions(who) {
    const id = `matrix-${randomUUID()}`
    return statusOf(
      client(who).action({
        actionType: 'sanity.action.document.create',
        publishedId: id,
        attributes: {_id: `drafts.${id}`, _type: 'page', title: who},
        ifExists: 'fail',
      }),
    )
  },
  listen: async (who) => (await listened.get(who)) ?? [],
  async history(who) {
    const res = await lakeFetch(
      lake,
      `/v2025-02-19/data/history/production/transactions/${FIXTURE.join(',')}`,
      tokens.get(who) ? {token: tokens.get(who)} : {},
    )
    if (res.status !== 200) return res.status
    const entries = res.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {documentIDs: string[]; mutations: unknown[]})
    // Mutations name documents too: they must be the same readable ones.
    const mutated = entries.flatMap((entry) =>
      entry.mutations.map((mutation) => JSON.stringify(mutation)),
    )
    for (const id of FIXTURE) {
      const listed = entries.some((entry) => entry.documentIDs.includes(id))
      expect(mutated.some((text) => text.includes(`"${id}"`))).toBe(listed)
    }
    return fixtureIds(entries.flatMap((entry) => entry.documentIDs))
  },
  async export(who) {
    const res = await lakeFetch(
      lake,
      '/v2025-02-19/data/export/production',
      tokens.get(who) ? {token: tokens.get(who)} : {},
    )
    if (res.status !== 200) return res.status
    const lines = res.text.trim().split('\n')
    return fixtureIds(lines.map((line) => (JSON.parse(line) as {_id: string})._id))
  },
  async presence(who) {
    const entry = presence.get(who)
    if (!entry) throw new Error(`no presence peer for ${who}`)
    if (entry.subscribed.error) return entry.subscribed.error.code
    const state = await entry.peer.next((m) => m.params?.result['type'] === 'state')
    const data = state.params?.result['m'] as {locations: {documentId: string}[]}
    return fixtureIds(data.locations.map((location) => location.documentId))
  },
  users: (who) => statusOf(client(who).request({uri: '/users/p-localdev'})),
}

beforeAll(async () => {
  lake = await startTestLake()
  tokens.set('anonymous', undefined)
  for (const who of WHO) if (who !== 'anonymous') tokens.set(who, lake.createToken(who, who))

  for (const who of WHO) listened.set(who, (await startListening(who)).done)
  const announcer = openPresence(lake, lake.adminToken)
  await announcer.opened
  for (const who of WHO) {
    const peer = openPresence(lake, tokens.get(who))
    await peer.opened
    presence.set(who, {peer, subscribed: await peer.call('presence_subscribe')})
  }

  // One transaction writes all three, so history and listen see them together.
  await lake.store.mutate(
    [
      {createOrReplace: {_id: PUBLIC, _type: 'page', title: 'Published'}},
      {createOrReplace: {_id: DRAFT, _type: 'page', title: 'Draft'}},
      {createOrReplace: {_id: REPORT, _type: 'feedbackSubmission', whatWentWrong: 'Private'}},
    ],
    {
      identity: {id: 'p-localdev', name: 'Local developer', role: 'administrator'},
      canWrite: () => true,
      canRead: () => true,
    },
  )
  await lake.client().create({_id: MARKER, _type: 'marker'})

  const at = new Date().toISOString()
  await announcer.call('presence_announce', {
    data: {
      sessionId: 'announcer',
      locations: FIXTURE.map((documentId) => ({
        type: 'document',
        documentId,
        path: [],
        lastActiveAt: at,
      })),
    },
  })
})

afterAll(async () => {
  for (const {peer} of presence.values()) peer.ws.close()
  await lake.close()
})

describe.each(WHO)('%s', (who) => {
  it.each(ROUTES)('%s', async (route) => {
    expect(await probes[route](who)).toEqual(MATRIX[who][route])
  })
})
