/**
 * The data endpoints over real HTTPS, driven by the real @sanity/client: every mutation kind,
 * transactions, revision conflicts, mutate options, actions, perspectives, documents by id,
 * export, history and references, and bad input that must change nothing. All of it runs twice:
 * against the careers site's lake and against the generic lake with no application at all, which
 * must be Content Lake's API on its own.
 */
import {randomUUID} from 'node:crypto'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let client: SanityClient

/** A fresh id per test, so tests do not see each other's documents. */
const uid = (prefix = 'doc') => `${prefix}-${randomUUID().slice(0, 8)}`

/** Everything in the store, to prove a rejected request changed nothing. */
async function snapshot(): Promise<unknown> {
  return client.fetch('*| order(_id)', {}, {perspective: 'raw'})
}

describe.each([
  {lakeName: 'the careers lake', generic: false},
  {lakeName: 'the generic lake (no application)', generic: true},
])('$lakeName', ({generic}) => {
  beforeAll(async () => {
    lake = await startTestLake({generic})
    client = lake.client()
  })
  afterAll(() => lake.close())

  describe('mutations through @sanity/client', () => {
    it('create, createOrReplace, createIfNotExists, patch (all operators), delete', async () => {
      const id = uid()
      const created = await client.create({_id: id, _type: 'page', title: 'One', count: 1})
      expect(created).toMatchObject({_id: id, _type: 'page', title: 'One'})
      expect(created._rev).toEqual(expect.any(String))
      expect(created._createdAt).toEqual(created._updatedAt)

      await client.createIfNotExists({_id: id, _type: 'page', title: 'Ignored'})
      expect((await client.getDocument(id))?.['title']).toBe('One')

      const patched = await client
        .patch(id)
        .set({title: 'Two', tags: ['a', 'c']})
        .setIfMissing({subtitle: 'Sub'})
        .inc({count: 5})
        .dec({count: 2})
        .insert('after', 'tags[0]', ['b'])
        .unset(['subtitle'])
        .commit()
      expect(patched).toMatchObject({title: 'Two', count: 4, tags: ['a', 'b', 'c']})
      expect(patched).not.toHaveProperty('subtitle')
      expect(patched._rev).not.toBe(created._rev)

      const dmp = await client
        .patch(id)
        .diffMatchPatch({title: '@@ -1,3 +1,5 @@\n-Two\n+Three\n'})
        .commit()
      expect(dmp['title']).toBe('Three')

      const replaced = await client.createOrReplace({_id: id, _type: 'page', title: 'Replaced'})
      expect(replaced).not.toHaveProperty('count')
      expect(replaced._createdAt).toBe(created._createdAt)

      const generated = await client.create({_type: 'page', title: 'Generated id'})
      expect(generated._id).toMatch(/^[0-9a-f-]{36}$/)

      await client.delete(id)
      expect(await client.getDocument(id)).toBeUndefined()
    })

    it('patches and deletes by query', async () => {
      const marker = uid('marker')
      await client
        .transaction()
        .create({_id: uid(), _type: 'bulk', marker})
        .create({_id: uid(), _type: 'bulk', marker})
        .commit()
      await client
        .patch({query: '*[_type == "bulk" && marker == $marker]', params: {marker}})
        .set({seen: true})
        .commit()
      expect(await client.fetch('*[marker == $marker].seen', {marker})).toEqual([true, true])
      await client.delete({query: '*[marker == $marker]', params: {marker}})
      expect(await client.fetch('count(*[marker == $marker])', {marker})).toBe(0)
    })

    it('commits a transaction all-or-nothing and echoes the transactionId', async () => {
      const a = uid()
      const b = uid()
      const transactionId = uid('tx')
      const result = await client
        .transaction()
        .create({_id: a, _type: 'pair', side: 'a'})
        .create({_id: b, _type: 'pair', side: 'b'})
        .commit({transactionId})
      expect(result.transactionId).toBe(transactionId)
      expect(result.results.map((r) => r.id).sort()).toEqual([a, b].sort())
      const [docA] = await client.getDocuments([a])
      expect(docA?._rev).toBe(transactionId)

      // The second create fails (the id exists): the first must not have happened either.
      const before = await snapshot()
      const c = uid()
      await expect(
        client
          .transaction()
          .create({_id: c, _type: 'pair'})
          .create({_id: a, _type: 'pair'})
          .commit(),
      ).rejects.toMatchObject({statusCode: 409})
      expect(await client.getDocument(c)).toBeUndefined()
      expect(await snapshot()).toEqual(before)
    })

    it('rejects a stale ifRevisionID with 409 and keeps the document', async () => {
      const id = uid()
      const doc = await client.create({_id: id, _type: 'page', title: 'v1'})
      await client.patch(id).set({title: 'v2'}).ifRevisionId(doc._rev).commit()
      await expect(
        client.patch(id).set({title: 'v3'}).ifRevisionId(doc._rev).commit(),
      ).rejects.toMatchObject({statusCode: 409})
      expect((await client.getDocument(id))?.['title']).toBe('v2')
    })

    it('honours returnIds, returnDocuments and dryRun', async () => {
      const id = uid()
      const ids = await client.mutate([{create: {_id: id, _type: 'page'}}], {
        returnDocuments: false,
      })
      expect(ids).toMatchObject({documentIds: [id], results: [{id, operation: 'create'}]})

      const raw = await lakeFetch(lake, '/v2025-02-19/data/mutate/production?returnIds=true', {
        method: 'POST',
        token: lake.adminToken,
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({mutations: [{patch: {id, set: {n: 1}}}]}),
      })
      expect(raw.status).toBe(200)
      expect(raw.json()).toMatchObject({documentIds: [id], results: [{id, operation: 'update'}]})
      expect(raw.json()).not.toHaveProperty('results.0.document')

      const dry = await client.create({_id: uid(), _type: 'page', title: 'dry'}, {dryRun: true})
      expect(dry.title).toBe('dry')
      expect(await client.getDocument(dry._id)).toBeUndefined()
    })

    it('reads documents by id with omissions', async () => {
      const id = uid()
      await client.create({_id: id, _type: 'page'})
      const docs = await client.getDocuments([id, 'missing-doc'])
      expect(docs[0]?._id).toBe(id)
      expect(docs[1]).toBeNull()
      const raw = await lakeFetch(lake, `/v1/data/doc/production/${id},missing-doc`, {
        token: lake.adminToken,
      })
      expect(raw.json()).toMatchObject({omitted: [{id: 'missing-doc', reason: 'existence'}]})
    })
  })

  describe('actions over HTTP', () => {
    it('create, edit, publish, discard and delete as the Studio sends them', async () => {
      const id = uid()
      const draftId = `drafts.${id}`
      await client.action({
        actionType: 'sanity.action.document.create',
        publishedId: id,
        attributes: {_id: draftId, _type: 'page', title: 'Draft'},
        ifExists: 'fail',
      })
      await client.action({
        actionType: 'sanity.action.document.edit',
        draftId,
        publishedId: id,
        patch: {set: {title: 'Edited'}},
      })
      expect((await client.getDocument(draftId))?.['title']).toBe('Edited')

      const {transactionId} = await client.action(
        {actionType: 'sanity.action.document.publish', draftId, publishedId: id},
        {transactionId: uid('publish')},
      )
      const [published, draft] = await client.getDocuments([id, draftId])
      expect(published).toMatchObject({title: 'Edited', _rev: transactionId})
      expect(draft).toBeNull()

      // Editing a published document creates its draft from the published one.
      await client.action({
        actionType: 'sanity.action.document.edit',
        draftId,
        publishedId: id,
        patch: {set: {subtitle: 'new'}},
      })
      expect(await client.getDocument(draftId)).toMatchObject({title: 'Edited', subtitle: 'new'})
      await client.action({
        actionType: 'sanity.action.document.version.discard',
        versionId: draftId,
      })
      expect(await client.getDocument(draftId)).toBeUndefined()

      await client.action({
        actionType: 'sanity.action.document.delete',
        publishedId: id,
        includeDrafts: [],
      })
      expect(await client.getDocument(id)).toBeUndefined()
    })

    it('rejects an unknown action type with 400 and changes nothing', async () => {
      const before = await snapshot()
      await expect(
        client.action([
          {
            actionType: 'sanity.action.document.create',
            publishedId: 'x1',
            attributes: {_id: 'drafts.x1', _type: 'page'},
            ifExists: 'fail',
          },
          {actionType: 'sanity.action.nonsense'} as never,
        ]),
      ).rejects.toMatchObject({statusCode: 400})
      expect(await snapshot()).toEqual(before)
    })
  })

  describe('queries and perspectives', () => {
    const id = uid('persp')
    beforeAll(async () => {
      await client.create({_id: id, _type: 'perspectiveTest', title: 'Published'})
      await client.create({_id: `drafts.${id}`, _type: 'perspectiveTest', title: 'Draft'})
    })

    it('serves raw, published and drafts', async () => {
      const q = '*[_type == "perspectiveTest"]{_id, title}'
      expect(await client.fetch(q, {}, {perspective: 'raw'})).toHaveLength(2)
      expect(await client.fetch(q, {}, {perspective: 'published'})).toEqual([
        {_id: id, title: 'Published'},
      ])
      expect(await client.fetch(q, {}, {perspective: 'drafts'})).toEqual([
        {_id: id, title: 'Draft'},
      ])
    })

    it('defaults to published from API 2025-02-19 and to raw before', async () => {
      const q = encodeURIComponent('count(*[_type == "perspectiveTest"])')
      const modern = await lakeFetch(lake, `/v2025-02-19/data/query/production?query=${q}`, {
        token: lake.adminToken,
      })
      const legacy = await lakeFetch(lake, `/v2021-06-07/data/query/production?query=${q}`, {
        token: lake.adminToken,
      })
      expect(modern.json()).toMatchObject({
        result: 1,
        // One tag: the one type the query reads (tests/lake/live.test.ts covers tags).
        syncTags: [expect.stringMatching(/^s1:/)],
        query: 'count(*[_type == "perspectiveTest"])',
      })
      expect(legacy.json()).toMatchObject({result: 2})
    })

    it('takes params by GET ($name=JSON) and by POST', async () => {
      expect(await client.fetch('*[_id == $id][0].title', {id}, {perspective: 'published'})).toBe(
        'Published',
      )
      const post = await lakeFetch(lake, '/vX/data/query/production', {
        method: 'POST',
        token: lake.adminToken,
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({
          query: '*[_id == $id][0].title',
          params: {id},
          perspective: 'drafts',
        }),
      })
      expect(post.json()).toMatchObject({result: 'Draft'})
    })

    it('answers a GROQ parse error with 400 queryParseError', async () => {
      const error = await client.fetch('*[_type == ').catch((e: unknown) => e)
      expect(error).toMatchObject({statusCode: 400})
      const raw = await lakeFetch(
        lake,
        `/v1/data/query/production?query=${encodeURIComponent('*[')}`,
      )
      expect(raw.status).toBe(400)
      expect(raw.json()).toMatchObject({error: {type: 'queryParseError'}})
    })

    it('rejects an unknown perspective and a bad $param', async () => {
      const bad = await lakeFetch(lake, '/v1/data/query/production?query=1&perspective=sideways')
      expect(bad.status).toBe(400)
      const param = await lakeFetch(lake, '/v1/data/query/production?query=$x&$x=unquoted')
      expect(param.status).toBe(400)
      expect(param.json()).toMatchObject({error: {type: 'queryParseError'}})
    })
  })

  describe('bad input changes nothing', () => {
    const post = (path: string, body: string, contentType = 'application/json') =>
      lakeFetch(lake, path, {
        method: 'POST',
        token: lake.adminToken,
        headers: {'content-type': contentType},
        body,
      })

    it('malformed JSON → 400', async () => {
      const before = await snapshot()
      const res = await post('/v2025-02-19/data/mutate/production', '{"mutations": [')
      expect(res.status).toBe(400)
      expect(res.json()).toMatchObject({
        error: {type: 'invalidJsonError', description: expect.any(String)},
      })
      expect(await snapshot()).toEqual(before)
    })

    it('unknown mutation kind → 400 from the store', async () => {
      const before = await snapshot()
      const id = uid()
      const res = await post(
        '/v2025-02-19/data/mutate/production',
        JSON.stringify({mutations: [{create: {_id: id, _type: 'page'}}, {explode: {id}}]}),
      )
      expect(res.status).toBe(400)
      expect(res.json()).toMatchObject({error: {type: 'mutationError'}})
      expect(await snapshot()).toEqual(before)
    })

    it('invalid document ids → 400', async () => {
      const before = await snapshot()
      for (const badId of ['-leading-dash', 'has space', 'a'.repeat(200), 'a..b']) {
        await expect(client.create({_id: badId, _type: 'page'})).rejects.toMatchObject({
          statusCode: 400,
        })
      }
      expect(await snapshot()).toEqual(before)
    })

    it('wrong content type → 415', async () => {
      const res = await post(
        '/v2025-02-19/data/mutate/production',
        JSON.stringify({mutations: [{create: {_id: uid(), _type: 'page'}}]}),
        'text/plain',
      )
      expect(res.status).toBe(415)
      expect(res.json()).toMatchObject({error: {type: 'unsupportedMediaTypeError'}})
    })

    it('a body over 4,000,000 bytes → 413, nothing written', async () => {
      const before = await snapshot()
      const id = uid('huge')
      const body = JSON.stringify({
        mutations: [{create: {_id: id, _type: 'page', blob: 'x'.repeat(4_000_001)}}],
      })
      const res = await post('/v2025-02-19/data/mutate/production', body)
      expect(res.status).toBe(413)
      expect(res.json()).toMatchObject({error: {type: 'requestEntityTooLargeError'}})
      // And through the client, which may stream it chunked (no Content-Length).
      await expect(
        client.create({_id: id, _type: 'page', blob: 'y'.repeat(4_100_000)}),
      ).rejects.toMatchObject({statusCode: 413})
      expect(await snapshot()).toEqual(before)
    })

    it('a body just under the limit is accepted', async () => {
      const id = uid('big')
      const doc = await client.create({_id: id, _type: 'page', blob: 'z'.repeat(3_900_000)})
      expect(doc._id).toBe(id)
      await client.delete(id)
    })

    it('unknown dataset → 404, unknown endpoint → 404 in Sanity’s shape', async () => {
      const ds = await lakeFetch(lake, '/v1/data/query/staging?query=1')
      expect(ds.status).toBe(404)
      expect(ds.json()).toMatchObject({error: {description: expect.stringContaining('staging')}})
      // Cloud-only endpoints the Studio asks for answer 200 instead (tests/lake/cloud.test.ts).
      for (const path of [
        '/v1/journey/no-such-journey',
        '/v1/schedules/local/production/one-schedule',
        '/v1/comments/production',
        '/v1/assets/images/production',
      ]) {
        const res = await lakeFetch(lake, path, {token: lake.adminToken})
        expect(res.status, path).toBe(404)
        expect(res.json(), path).toMatchObject({error: {type: 'httpNotFound'}, statusCode: 404})
      }
    })
  })

  describe('export, history and references', () => {
    it('exports every document as NDJSON in _id order', async () => {
      const res = await lakeFetch(lake, '/v2025-02-19/data/export/production', {
        token: lake.adminToken,
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/ndjson/)
      const docs = res.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as {_id: string})
      const all = (await client.fetch('*._id', {}, {perspective: 'raw'})) as string[]
      expect(docs.map((d) => d._id)).toEqual([...all].sort())
    })

    it('serves the transaction log and documents at a revision', async () => {
      const id = uid('hist')
      const first = await client.create({_id: id, _type: 'page', title: 'v1'})
      const second = await client.patch(id).set({title: 'v2'}).commit()
      const log = await lakeFetch(
        lake,
        `/v2025-02-19/data/history/production/transactions/${id}?effectFormat=mendoza&excludeContent=true`,
        {token: lake.adminToken},
      )
      const entries = log.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(entries.map((e) => e['id'])).toEqual([first._rev, second._rev])
      expect(entries[1]).toMatchObject({
        documentIDs: [id],
        author: 'p-localdev',
        effects: {[id]: {apply: [0, {title: 'v2'}], revert: [0, {title: 'v1'}]}},
      })
      expect(entries[1]).not.toHaveProperty('mutations')

      const atFirst = await lakeFetch(
        lake,
        `/v1/data/history/production/documents/${id}?revision=${first._rev}`,
        {
          token: lake.adminToken,
        },
      )
      expect(atFirst.json()).toMatchObject({documents: [{_id: id, title: 'v1', _rev: first._rev}]})
      const events = await lakeFetch(lake, `/v1/data/history/production/events/documents/${id}`, {
        token: lake.adminToken,
      })
      expect(events.json()).toEqual({events: {[id]: []}, nextCursor: ''})
    })

    it('pages the log as the Studio timeline does and restores deleted documents', async () => {
      const id = uid('timeline')
      const revs: string[] = []
      for (let n = 1; n <= 5; n++) {
        const doc = await client.createOrReplace({_id: id, _type: 'page', n})
        revs.push(doc._rev)
      }
      await client.delete(id)
      const page = async (query: string) =>
        (
          await lakeFetch(
            lake,
            `/v1/data/history/production/transactions/${id},drafts.${id}?${query}`,
            {
              token: lake.adminToken,
            },
          )
        ).text
          .trim()
          .split('\n')
          .filter(Boolean)
          .map(
            (line) => JSON.parse(line) as {id: string; effects: Record<string, {apply: unknown[]}>},
          )
      const base =
        'effectFormat=mendoza&excludeContent=true&excludeMutations=true&includeIdentifiedDocumentsOnly=true&reverse=true'
      const newest = await page(`${base}&limit=2`)
      expect(newest).toHaveLength(2)
      expect(newest[1]?.id).toBe(revs[4])
      expect(newest[0]?.effects[id]?.apply).toEqual([0, null])
      const older = await page(`${base}&limit=3&toTransaction=${revs[3]}`)
      expect(older.map((e) => e.id)).toEqual([revs[3], revs[2], revs[1]])

      const restored = await lakeFetch(
        lake,
        `/v1/data/history/production/documents/${id}?lastRevision=true`,
        {
          token: lake.adminToken,
        },
      )
      expect(restored.json()).toMatchObject({documents: [{_id: id, n: 5}]})
    })

    it('counts references to a document', async () => {
      const target = uid('target')
      await client.create({_id: target, _type: 'page'})
      await client.create({_id: uid(), _type: 'page', link: {_type: 'reference', _ref: target}})
      const res = await lakeFetch(lake, `/v1/data/references/production/documents/${target}/to`, {
        token: lake.adminToken,
      })
      expect(res.json()).toMatchObject({totalCount: 1})
      const external = await lakeFetch(
        lake,
        `/v1/data/references/production/documents/${target}/to?excludeInternalReferences=true`,
        {token: lake.adminToken},
      )
      expect(external.json()).toEqual({totalCount: 0, references: []})
    })
  })
})
