/**
 * The query answer cache (`server/http/answers.ts`): a repeated `GET /data/query` is answered
 * without evaluating it again, but never with another reader's answer, never after a commit it
 * predates, never for a query that reads the clock, and never when the client says `no-cache`.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createAccess} from '../../server/auth/access'
import {AnswerCache, MAX_ANSWER_BYTES} from '../../server/http/answers'
import {type LakeStore, openLakeStore} from '../../server/store'
import type {Identity} from '../../server/store/types'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

const queryPath = (query: string, extra = '') =>
  `/v2025-02-19/data/query/production?query=${encodeURIComponent(query)}&perspective=raw${extra}`

describe('AnswerCache', () => {
  const dirs: string[] = []
  const stores: LakeStore[] = []
  afterAll(() => {
    for (const store of stores) store.close()
    for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
  })
  const access = createAccess()
  const editor: Identity = {id: 'p-e', name: 'E', role: 'editor'}
  const anonymous: Identity = {id: 'anonymous', name: 'Anonymous', role: 'anonymous'}
  const options = {identity: editor, canWrite: () => true, canRead: () => true}
  const answer = (body: string) => AnswerCache.answer(body, 'application/json')
  function open(maxAnswers?: number): {store: LakeStore; cache: AnswerCache} {
    const dir = mkdtempSync(join(tmpdir(), 'lake-answers-'))
    dirs.push(dir)
    const store = openLakeStore({dataDir: dir})
    stores.push(store)
    return {store, cache: new AnswerCache(store, (who) => access.canRead(who), maxAnswers)}
  }

  it("keeps a reader's answers across commits of documents that reader may not read", async () => {
    const {store, cache} = open()
    for (const who of [editor, anonymous]) cache.set('/q', who, cache.start(), answer(who.role))
    expect(cache.get('/q', editor)?.body.toString()).toBe('editor')
    expect(cache.get('/q', {...editor, id: 'p-other'})).toBeUndefined()
    // A draft: the editor may read it, the public may not.
    await store.mutate([{create: {_id: 'drafts.a', _type: 'page'}}], options)
    expect(cache.get('/q', editor)).toBeUndefined()
    expect(cache.get('/q', anonymous)?.body.toString()).toBe('anonymous')
    // Published: everyone may read it.
    await store.mutate([{create: {_id: 'a', _type: 'page'}}], options)
    expect(cache.get('/q', anonymous)).toBeUndefined()
    expect(cache.has('/q')).toBe(false)
  })

  it('drops an answer whose evaluation spanned a commit its reader may read', async () => {
    const {store, cache} = open()
    const startedAt = cache.start()
    await store.mutate([{create: {_id: 'b', _type: 'page'}}], options)
    cache.set('/q', anonymous, startedAt, answer('stale'))
    expect(cache.size).toBe(0)
    // One the reader may not read does not matter.
    const again = cache.start()
    await store.mutate([{create: {_id: 'drafts.b', _type: 'page'}}], options)
    cache.set('/q', anonymous, again, answer('current'))
    expect(cache.get('/q', anonymous)?.body.toString()).toBe('current')
  })

  it('forgets everything when the mirror moved without a commit it heard of', () => {
    // The one case a real store cannot be made to show on demand (an index dropped): two functions
    // stand in for it.
    let generation = 1
    const cache = new AnswerCache(
      {subscribe: () => () => undefined, readGeneration: () => generation},
      () => () => true,
    )
    const startedAt = cache.start()
    cache.set('/q', editor, startedAt, answer('one'))
    generation = 2
    expect(cache.get('/q', editor)).toBeUndefined()
    cache.set('/q', editor, startedAt, answer('stale'))
    expect(cache.size).toBe(0)
  })

  it('keeps at most its bound of answers, oldest out first, and none when sized 0', () => {
    const {cache} = open(3)
    for (const url of ['/a', '/b', '/c', '/d']) cache.set(url, editor, cache.start(), answer(url))
    expect(cache.size).toBe(3)
    expect(cache.has('/a')).toBe(false)
    expect(cache.get('/d', editor)?.body.toString()).toBe('/d')
    const none = open(0).cache
    none.set('/a', editor, none.start(), answer('x'))
    expect(none.get('/a', editor)).toBeUndefined()
  })

  it('keeps answers up to MAX_ANSWER_BYTES, not past it, and no query that reads the clock', () => {
    expect(AnswerCache.mayKeep('*[0]', 'x'.repeat(MAX_ANSWER_BYTES))).toBe(true)
    expect(AnswerCache.mayKeep('*[0]', 'x'.repeat(MAX_ANSWER_BYTES + 1))).toBe(false)
    // Counted in UTF-8 bytes, not characters.
    expect(AnswerCache.mayKeep('*[0]', 'é'.repeat(MAX_ANSWER_BYTES / 2))).toBe(true)
    expect(AnswerCache.mayKeep('*[0]', 'é'.repeat(MAX_ANSWER_BYTES / 2 + 1))).toBe(false)
    expect(AnswerCache.mayKeep('{"t": now()}', '{}')).toBe(false)
    expect(AnswerCache.mayKeep('*[publishedAt < now ()]', '[]')).toBe(false)
    expect(AnswerCache.mayUse('GET', {})).toBe(true)
    expect(AnswerCache.mayUse('POST', {})).toBe(false)
    expect(AnswerCache.mayUse('GET', {'cache-control': 'no-cache'})).toBe(false)
    expect(AnswerCache.mayUse('GET', {'cache-control': 'max-age=0, no-store'})).toBe(false)
  })
})

describe('repeated queries over HTTP', () => {
  let lake: TestLake
  let editorToken: string
  beforeAll(async () => {
    lake = await startTestLake({generic: true})
    editorToken = lake.createToken('editor')
    await lake
      .client()
      .mutate([
        {createOrReplace: {_id: 'page-a', _type: 'page', title: 'Published A'}},
        {createOrReplace: {_id: 'drafts.page-a', _type: 'page', title: 'Draft A'}},
      ])
  })
  afterAll(() => lake.close())

  const ask = async (path: string, token: string | null, headers: Record<string, string> = {}) => {
    const response = await lakeFetch(lake, path, {
      headers: {...(token ? {authorization: `Bearer ${token}`} : {}), ...headers},
    })
    return {status: response.status, body: response.json() as {result: unknown}}
  }

  it("keeps the public's answers across an editor's draft, and drops them when it is published", async () => {
    const path = queryPath('*[_type == "page"]{title}', '&tag=public')
    const published = await ask(path, null)
    await lake.client().createOrReplace({_id: 'drafts.page-b', _type: 'page', title: 'Draft B'})
    const hits = lake.answerCache().hits
    expect((await ask(path, null)).body).toEqual(published.body)
    expect(lake.answerCache().hits).toBe(hits + 1)
    await lake.client().createOrReplace({_id: 'page-b', _type: 'page', title: 'Published B'})
    expect((await ask(path, null)).body.result).toContainEqual({title: 'Published B'})
    await lake.client().delete('page-b')
    await lake.client().delete('drafts.page-b')
  })

  it('answers a repeat from the cache, and the next request after a commit afresh', async () => {
    const path = queryPath('*[_type == "page"]{title} | order(title)')
    const first = await ask(path, lake.adminToken)
    const hitsBefore = lake.answerCache().hits
    const second = await ask(path, lake.adminToken)
    expect(second.body).toEqual(first.body)
    expect(lake.answerCache().hits).toBe(hitsBefore + 1)
    await lake.client().patch('page-a').set({title: 'Published A, edited'}).commit()
    const third = await ask(path, lake.adminToken)
    expect(third.body.result).toEqual([{title: 'Draft A'}, {title: 'Published A, edited'}])
  })

  it("never serves one reader's answer to another", async () => {
    const path = queryPath('*[_type == "page"]{_id, title} | order(_id)')
    const admin = await ask(path, lake.adminToken)
    expect(admin.body.result).toHaveLength(2)
    // The same URL: anonymous readers see published documents only.
    const anonymous = await ask(path, null)
    expect(anonymous.body.result).toEqual([{_id: 'page-a', title: 'Published A, edited'}])
    const me = queryPath('identity()')
    const asAdmin = await ask(me, lake.adminToken)
    const asEditor = await ask(me, editorToken)
    expect(asEditor.body.result).not.toEqual(asAdmin.body.result)
    expect((await ask(me, editorToken)).body.result).toEqual(asEditor.body.result)
  })

  it('still checks the token of a cached request', async () => {
    const path = queryPath('count(*[_type == "page"])')
    const {id, token} = lake.createTokenWithId('viewer')
    expect((await ask(path, token)).status).toBe(200)
    expect((await ask(path, token)).status).toBe(200)
    lake.revokeToken(id)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect((await ask(path, token)).status).toBe(401)
    expect((await ask(path, 'not-a-token')).status).toBe(401)
  })

  it('evaluates afresh a query that reads the clock, and a request that says no-cache', async () => {
    const clock = queryPath('now()')
    const first = await ask(clock, lake.adminToken)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const second = await ask(clock, lake.adminToken)
    expect(second.body.result).not.toEqual(first.body.result)

    const path = queryPath('count(*)')
    await ask(path, lake.adminToken)
    const hits = lake.answerCache().hits
    await ask(path, lake.adminToken, {'cache-control': 'no-cache'})
    expect(lake.answerCache().hits).toBe(hits)
    await ask(path, lake.adminToken)
    expect(lake.answerCache().hits).toBe(hits + 1)
  })

  it('keeps no error', async () => {
    const path = queryPath('*[_type == ')
    expect((await ask(path, lake.adminToken)).status).toBe(400)
    const kept = lake.answerCache().kept
    expect((await ask(path, lake.adminToken)).status).toBe(400)
    expect(lake.answerCache().kept).toBe(kept)
  })
})
