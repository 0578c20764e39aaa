/**
 * The data endpoints against hostile bodies and a full disk, over real HTTPS into a real store:
 * bodies that are not UTF-8 are refused (not silently repaired), and a write that does not fit is
 * a 503 with `Retry-After` that stores nothing and leaves the lake writable.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {STORE_FULL_RETRY_AFTER_SECONDS} from '../../server/store/diskFull'
import type {CommitOptions} from '../../server/store/types'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let admin: SanityClient

/** Room for the schema and a few small documents, not for a 512 KiB one. */
const MAX_DATABASE_BYTES = 256 * 1024

beforeAll(async () => {
  lake = await startTestLake({maxDatabaseBytes: MAX_DATABASE_BYTES})
  admin = lake.client()
})
afterAll(async () => lake?.close())

/** `{"mutations":[{"create":{"_id":…,"_type":"page","title":"<bytes>"}}]}` with raw bytes. */
function bodyWith(prefix: string, bytes: number[], suffix: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    Buffer.concat([Buffer.from(prefix), Buffer.from(bytes), Buffer.from(suffix)]),
  )
}

const INVALID_UTF8: Record<string, number[]> = {
  'a lone continuation byte': [0x80],
  'a truncated sequence': [0xe2, 0x82],
  'an overlong encoding of /': [0xc0, 0xaf],
  'a UTF-16 surrogate': [0xed, 0xa0, 0x80],
  'a byte never used in UTF-8': [0xff],
}

describe('bodies that are not UTF-8', () => {
  it.each(Object.entries(INVALID_UTF8))(
    'mutate: %s is a 400 and stores nothing',
    async (_, bytes) => {
      const id = `utf8-${bytes.join('-')}`
      const res = await lakeFetch(lake, '/v2025-02-19/data/mutate/production', {
        method: 'POST',
        token: lake.adminToken,
        headers: {'content-type': 'application/json'},
        body: bodyWith(
          `{"mutations":[{"create":{"_id":"${id}","_type":"page","title":"`,
          bytes,
          '"}}]}',
        ),
      })
      expect(res.status).toBe(400)
      expect(res.json()).toMatchObject({error: {description: expect.stringContaining('UTF-8')}})
      expect(await admin.getDocument(id)).toBeUndefined()
    },
  )

  it('actions: 400, nothing stored', async () => {
    const res = await lakeFetch(lake, '/v2025-02-19/data/actions/production', {
      method: 'POST',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: bodyWith(
        '{"actions":[{"actionType":"sanity.action.document.create","publishedId":"utf8-action","attributes":{"_id":"drafts.utf8-action","_type":"page","title":"',
        [0xff],
        '"},"ifExists":"fail"}]}',
      ),
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('UTF-8')
    expect(await admin.getDocument('drafts.utf8-action')).toBeUndefined()
  })

  it('query (POST): 400 rather than a query over replaced characters', async () => {
    const res = await lakeFetch(lake, '/v2025-02-19/data/query/production', {
      method: 'POST',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: bodyWith('{"query":"*[title == \\"', [0xc3], '\\"]"}'),
    })
    expect(res.status).toBe(400)
    expect(res.text).toContain('UTF-8')
  })
})

describe('a full store', () => {
  const big = 'x'.repeat(2 * MAX_DATABASE_BYTES)

  it('/data/mutate: 503 with Retry-After, nothing stored, later writes still work', async () => {
    const res = await lakeFetch(lake, '/v2025-02-19/data/mutate/production', {
      method: 'POST',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({mutations: [{create: {_id: 'too-big', _type: 'page', body: big}}]}),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe(String(STORE_FULL_RETRY_AFTER_SECONDS))
    expect(res.json()).toMatchObject({error: {type: 'storeFullError'}})
    expect(await admin.getDocument('too-big')).toBeUndefined()

    await admin.create({_id: 'fits', _type: 'page', title: 'Small'})
    expect(await admin.getDocument('fits')).toMatchObject({title: 'Small'})
  })

  it('/data/actions: 503 with Retry-After, nothing stored', async () => {
    const res = await lakeFetch(lake, '/v2025-02-19/data/actions/production', {
      method: 'POST',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({
        actions: [
          {
            actionType: 'sanity.action.document.create',
            publishedId: 'too-big-action',
            attributes: {_id: 'drafts.too-big-action', _type: 'page', body: big},
            ifExists: 'fail',
          },
        ],
      }),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe(String(STORE_FULL_RETRY_AFTER_SECONDS))
    expect(await admin.getDocument('drafts.too-big-action')).toBeUndefined()
  })

  it('writes sharing the failed commit are refused too, never acknowledged and then lost', async () => {
    const rules: CommitOptions = {
      identity: {id: 'p-test', name: 'Test', role: 'administrator'},
      canWrite: () => true,
      canRead: () => true,
    }
    // Staged in the same turn of the event loop: one SQLite transaction, which the full disk
    // rolls back whole.
    const small = lake.store.mutate([{create: {_id: 'same-group', _type: 'page'}}], rules)
    const large = lake.store.mutate([{create: {_id: 'same-group-big', _type: 'page', big}}], rules)
    const [a, b] = await Promise.allSettled([small, large])
    expect(a).toMatchObject({status: 'rejected', reason: {statusCode: 503}})
    expect(b).toMatchObject({status: 'rejected', reason: {statusCode: 503}})
    expect(await admin.getDocument('same-group')).toBeUndefined()
    expect(lake.store.getDocuments(['same-group'], () => true)).toEqual([null])

    await lake.store.mutate([{create: {_id: 'after-group', _type: 'page'}}], rules)
    expect(await admin.getDocument('after-group')).toMatchObject({_type: 'page'})
  })
})
