/**
 * Issue #10, finding 1 ("poison pill"): a document nested thousands of levels deep used to be
 * stored, then crash the lake after its fsync and again on every start. Every write path (mutate,
 * actions, import, intake, the store itself) now refuses a document past `MAX_DOCUMENT_DEPTH`
 * with a 400 naming the limit, before anything is stored, and JSON from a client past
 * `MAX_JSON_DEPTH` is refused before it is parsed. Each test restarts the lake on the same data
 * directory afterwards: nothing a refused write sent may stop it from starting.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {ClientError, SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {INTAKE_IDENTITY, intakeLakeFromSession} from '../../app/lake'
import {MAX_DOCUMENT_BYTES, MAX_DOCUMENT_DEPTH, MAX_JSON_DEPTH} from '../../server/store/limits'
import {LakeError, type StoredDocument} from '../../server/store/types'
import {intakeToken} from '../helpers/feedback'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'
import {lakeScriptEnv, runScript} from '../helpers/scripts'

const dataDir = mkdtempSync(join(tmpdir(), 'lake-depth-'))
let lake: TestLake
let editorToken: string

/** A value `depth` arrays deep around a string: `nest(0)` is `"x"`, `nest(1)` is `["x"]`. */
function nest(depth: number): unknown {
  let value: unknown = 'x'
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** A document of exactly `depth` levels: the document object itself is the first. */
function documentOfDepth(
  id: string,
  depth: number,
  type = 'note',
): {_id: string; _type: string; deep: unknown} {
  return {_id: id, _type: type, deep: nest(depth - 1)}
}

async function restart(): Promise<void> {
  await lake.close()
  lake = await startTestLake({dataDir})
  // Whatever was refused left nothing the next start has to skip.
  expect(lake.logs.filter((line) => line.includes('skipped'))).toEqual([])
  expect(await lake.client().fetch('count(*[_type == "note"]) >= 0')).toBe(true)
}

function editor(): SanityClient {
  return lake.client({token: editorToken})
}

/** The Content Lake error body of a refused client call. */
async function refusal(call: Promise<unknown>): Promise<{
  statusCode: number
  body: {error: {type: string; description: string; items?: {error: {type: string}}[]}}
}> {
  const error = (await call.then(
    () => {
      throw new Error('expected the lake to refuse the write')
    },
    (caught: unknown) => caught,
  )) as ClientError
  return {statusCode: error.statusCode, body: error.response.body as never}
}

beforeAll(async () => {
  lake = await startTestLake({dataDir})
  editorToken = lake.createToken('editor')
})
afterAll(async () => {
  await lake?.close()
  rmSync(dataDir, {recursive: true, force: true})
})

describe('the poison pill', () => {
  it('a 3,000-deep document from a reviewer is a 400, and the lake keeps serving and restarts', async () => {
    // The intake's reviewer token: only the intake files reports (feedback/policy.ts).
    const reviewer = lake.client({token: intakeToken(lake)})
    const poison = {
      _id: 'feedback.poison',
      _type: 'feedbackSubmission',
      status: 'new',
      x: nest(3000),
    }
    const {statusCode, body} = await refusal(reviewer.create(poison))
    expect(statusCode).toBe(400)
    expect(body.error.description).toContain(`${MAX_DOCUMENT_DEPTH}`)
    expect(await reviewer.getDocument('feedback.poison')).toBeUndefined()
    // The same reviewer's next, ordinary write is served by the same process.
    await reviewer.create({
      _id: 'feedback.after-poison',
      _type: 'feedbackSubmission',
      status: 'new',
    })
    expect(await reviewer.fetch('count(*[_id == "feedback.after-poison"])')).toBe(1)
    await restart()
    expect(await lake.client().getDocument('feedback.after-poison')).toMatchObject({status: 'new'})
    expect(await lake.client().getDocument('feedback.poison')).toBeUndefined()
  })
})

describe('POST /data/mutate', () => {
  it(`stores a document ${MAX_DOCUMENT_DEPTH} levels deep and refuses one a level deeper`, async () => {
    await editor().create(documentOfDepth('at-limit', MAX_DOCUMENT_DEPTH))
    expect(await editor().getDocument('at-limit')).toMatchObject({_type: 'note'})

    const {statusCode, body} = await refusal(
      editor().createOrReplace(documentOfDepth('past-limit', MAX_DOCUMENT_DEPTH + 1)),
    )
    expect(statusCode).toBe(400)
    expect(body.error.type).toBe('mutationError')
    expect(body.error.items?.[0]?.error.type).toBe('documentTooDeepError')
    expect(body.error.description).toContain(`deeper than ${MAX_DOCUMENT_DEPTH} levels`)
    expect(await editor().getDocument('past-limit')).toBeUndefined()
    await restart()
  })

  it('checks the document a patch results in, not only the values the patch carries', async () => {
    // Four levels: the document, `nested`, `a` and `b`.
    const base = {_id: 'patched', _type: 'note', nested: {a: {b: {}}}, list: [nest(1)]}
    const created = await editor().create(base)
    // `set` with a shallow value deep in the document: the result is one level past the limit.
    await editor()
      .patch('patched')
      .set({'nested.a.b.c': nest(MAX_DOCUMENT_DEPTH - 4)})
      .commit()
    const atLimit = await editor().getDocument('patched')
    const tooDeep = await refusal(
      editor()
        .patch('patched')
        .set({'nested.a.b.c': nest(MAX_DOCUMENT_DEPTH - 3)})
        .commit(),
    )
    expect(tooDeep.statusCode).toBe(400)
    expect(tooDeep.body.error.items?.[0]?.error.type).toBe('documentTooDeepError')
    // `insert` into an array puts its items as deep in the body as in the document (plus the
    // envelope), so the body's own limit answers first; either way the limit is named.
    const inserted = await refusal(
      editor()
        .patch('patched')
        .insert('after', 'list[-1]', [nest(MAX_DOCUMENT_DEPTH - 1)])
        .commit(),
    )
    expect(inserted.statusCode).toBe(400)
    expect(inserted.body.error.description).toContain(`${MAX_DOCUMENT_DEPTH}`)
    // Neither refusal changed the document.
    expect((await editor().getDocument('patched'))?._rev).toBe(atLimit?._rev)
    expect(atLimit?._rev).not.toBe(created._rev)
    await restart()
  })

  it(`parses a body ${MAX_JSON_DEPTH} levels deep and refuses one a level deeper unparsed`, async () => {
    const body = (depth: number) =>
      // The body, `mutations`, the mutation and the document: four levels before `deep`'s own.
      JSON.stringify({mutations: [{create: {_id: 'raw', _type: 'note', deep: nest(depth - 4)}}]})
    const post = (text: string) =>
      lakeFetch(lake, '/v2025-02-19/data/mutate/production', {
        method: 'POST',
        token: editorToken,
        headers: {'content-type': 'application/json'},
        body: text,
      })
    const atLimit = await post(body(MAX_JSON_DEPTH))
    // Parsed, and refused by the store: the document in it is past the document limit.
    expect(atLimit.status).toBe(400)
    expect(atLimit.json()).toMatchObject({
      error: {items: [{error: {type: 'documentTooDeepError'}}]},
    })
    const past = await post(body(MAX_JSON_DEPTH + 1))
    expect(past.status).toBe(400)
    expect(past.json()).toMatchObject({error: {type: 'jsonTooDeepError', limit: MAX_JSON_DEPTH}})
    // Two million nested arrays in a body under the size limit: refused just the same.
    const huge = await post('['.repeat(1_500_000) + ']'.repeat(1_500_000))
    expect(huge.status).toBe(400)
    expect(huge.json()).toMatchObject({error: {type: 'jsonTooDeepError'}})
    await restart()
  })
})

describe('POST /data/actions', () => {
  it('refuses a draft past the limit, whether created or edited into it', async () => {
    const create = (id: string, depth: number) =>
      editor().action({
        actionType: 'sanity.action.document.create',
        publishedId: id,
        attributes: {...documentOfDepth(`drafts.${id}`, depth)},
        ifExists: 'fail',
      })
    await create('action-ok', MAX_DOCUMENT_DEPTH)
    const created = await editor().getDocument('drafts.action-ok')
    expect(created).toBeDefined()

    const tooDeep = await refusal(create('action-deep', MAX_DOCUMENT_DEPTH + 1))
    expect(tooDeep.statusCode).toBe(400)
    expect(tooDeep.body.error.type).toBe('actionError')
    expect(tooDeep.body.error.items?.[0]?.error.type).toBe('documentTooDeepError')
    expect(await editor().getDocument('drafts.action-deep')).toBeUndefined()

    const edited = await refusal(
      editor().action({
        actionType: 'sanity.action.document.edit',
        draftId: 'drafts.action-ok',
        publishedId: 'action-ok',
        // `deep` holds 63 levels; its first item becomes 63 levels itself: 65 in all.
        patch: {set: {'deep[0]': nest(MAX_DOCUMENT_DEPTH - 1)}},
      }),
    )
    expect(edited.statusCode).toBe(400)
    expect(edited.body.error.items?.[0]?.error.type).toBe('documentTooDeepError')
    expect((await editor().getDocument('drafts.action-ok'))?._rev).toBe(created?._rev)
    await restart()
  })
})

describe('query parameters', () => {
  it(`takes a $param ${MAX_JSON_DEPTH} levels deep and refuses one a level deeper`, async () => {
    const get = (depth: number) =>
      lakeFetch(
        lake,
        `/v2025-02-19/data/query/production?query=${encodeURIComponent('count($p)')}&$p=${encodeURIComponent(JSON.stringify(nest(depth)))}`,
        {token: editorToken},
      )
    expect((await get(MAX_JSON_DEPTH)).status).toBe(200)
    const past = await get(MAX_JSON_DEPTH + 1)
    expect(past.status).toBe(400)
    expect(past.json()).toMatchObject({error: {type: 'jsonTooDeepError', limit: MAX_JSON_DEPTH}})
  })
})

describe('npm run import', () => {
  const runImport = (file: string) => runScript('import', [file], lakeScriptEnv(lake))

  it('names a line past the limit and imports nothing; a file at the limit imports', async () => {
    const file = join(dataDir, 'import.ndjson')
    const lines = (deepest: number) =>
      [{_id: 'imported-first', _type: 'note'}, documentOfDepth('imported-deep', deepest)]
        .map((document) => JSON.stringify(document))
        .join('\n')
    writeFileSync(file, lines(MAX_DOCUMENT_DEPTH + 1))
    const refused = await runImport(file)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      `import.ndjson:2: nests arrays and objects deeper than ${MAX_DOCUMENT_DEPTH}`,
    )
    expect(await editor().fetch('count(*[_id in ["imported-first", "imported-deep"]])')).toBe(0)

    writeFileSync(file, lines(MAX_DOCUMENT_DEPTH))
    const imported = await runImport(file)
    expect(imported.code, imported.stderr).toBe(0)
    expect(await editor().fetch('count(*[_id in ["imported-first", "imported-deep"]])')).toBe(2)
    await restart()
  })
})

describe('the feedback intake', () => {
  it('writes through the same check as every other write', async () => {
    const intake = intakeLakeFromSession(lake.session(INTAKE_IDENTITY))
    const refused = await intake
      .createIfNotExists(
        documentOfDepth('feedback.deep', MAX_DOCUMENT_DEPTH + 1, 'feedbackSubmission'),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      )
    expect(refused).toBeInstanceOf(LakeError)
    expect((refused as LakeError).statusCode).toBe(400)
    expect(JSON.stringify((refused as LakeError).toJSON())).toContain('documentTooDeepError')
    expect(lake.store.getDocuments(['feedback.deep'], () => true)).toEqual([null])
    await restart()
  })
})

describe('document size', () => {
  /** Stores a document whose JSON, as the store writes it, is exactly `bytes` long. */
  async function storeOfSize(id: string, bytes: number, transactionId: string) {
    const options = {
      identity: {id: 'p-test', name: 'Test', role: 'administrator' as const},
      canWrite: () => true,
      canRead: () => true,
      transactionId,
    }
    const probe = {_id: id, _type: 'note', text: ''}
    const dry = await lake.store.mutate([{createOrReplace: probe}], {...options, dryRun: true})
    const overhead = Buffer.byteLength(JSON.stringify(dry.changes[0]?.result as StoredDocument))
    const text = 'a'.repeat(bytes - overhead)
    return lake.store.mutate([{createOrReplace: {...probe, text}}], options)
  }

  it(`stores a document of ${MAX_DOCUMENT_BYTES} bytes and refuses one a byte larger`, async () => {
    // Same length transaction ids: the stored `_rev` is part of the document's size.
    await storeOfSize('size-at-limit', MAX_DOCUMENT_BYTES, 'size-tx-1')
    const [stored] = lake.store.getDocuments(['size-at-limit'], () => true)
    expect(Buffer.byteLength(JSON.stringify(stored))).toBe(MAX_DOCUMENT_BYTES)

    const refused = await storeOfSize('size-past-limit', MAX_DOCUMENT_BYTES + 1, 'size-tx-2').then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(LakeError)
    expect((refused as LakeError).statusCode).toBe(400)
    expect((refused as LakeError).message).toContain(`limit of ${MAX_DOCUMENT_BYTES} bytes`)
    expect(lake.store.getDocuments(['size-past-limit'], () => true)).toEqual([null])
    await restart()
  })
})

describe('the store API', () => {
  it('refuses a patch carrying values past the limit before @sanity/mutator walks them', async () => {
    const options = {
      identity: {id: 'p-test', name: 'Test', role: 'administrator' as const},
      canWrite: () => true,
      canRead: () => true,
    }
    await lake.store.mutate([{createOrReplace: {_id: 'store-patched', _type: 'note'}}], options)
    // In-process callers skip the HTTP body's limit: the store checks what a patch carries too.
    const refused = await lake.store
      .mutate([{patch: {id: 'store-patched', set: {deep: nest(MAX_DOCUMENT_DEPTH)}}}], options)
      .then(
        () => undefined,
        (error: unknown) => error,
      )
    expect(refused).toBeInstanceOf(LakeError)
    expect((refused as LakeError).statusCode).toBe(400)
    expect((refused as LakeError).message).toContain(`its "set" nests`)
    expect(lake.store.getDocuments(['store-patched'], () => true)[0]).not.toHaveProperty('deep')
    await restart()
  })
})
