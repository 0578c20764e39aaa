import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {openLakeStore} from '../../server/store'
import type {CommittedTransaction, StoredDocument} from '../../server/store/types'
import {admin, everyone, lakeError, type TempLake, tempLake} from '../fixtures/groq/temp-lake'

let lake: TempLake
beforeEach(async () => {
  lake = tempLake()
})
afterEach(() => {
  lake.cleanup()
})

function doc(id: string): StoredDocument | null {
  return lake.store.getDocuments([id], everyone)[0] ?? null
}

describe('mutate', () => {
  it('creates with system fields, _rev = transaction id, and reports results and changes', async () => {
    const tx = await lake.store.mutate(
      [{create: {_id: 'page-1', _type: 'page', title: 'Nursing'}}],
      {
        ...admin,
        transactionId: 'tx-one',
      },
    )
    expect(tx.transactionId).toBe('tx-one')
    expect(tx.author).toBe('p-admin')
    expect(tx.results).toEqual([{id: 'page-1', operation: 'create'}])
    const stored = doc('page-1')
    expect(stored).toMatchObject({_id: 'page-1', _type: 'page', title: 'Nursing', _rev: 'tx-one'})
    expect(stored?._createdAt).toBe(tx.timestamp)
    expect(stored?._updatedAt).toBe(tx.timestamp)
    expect(tx.changes).toEqual([
      {
        documentId: 'page-1',
        previous: null,
        result: stored,
        mutations: [{createOrReplace: stored}],
      },
    ])
  })

  it('generates ids, also under a path for ids ending in "."', async () => {
    const tx = await lake.store.mutate(
      [{create: {_type: 'page'}}, {create: {_id: 'feedback.', _type: 'feedback'}}],
      admin,
    )
    const [plain, pathed] = tx.results
    expect(plain?.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(pathed?.id).toMatch(/^feedback\.[0-9a-f-]{36}$/)
    expect(doc(pathed?.id ?? '')?._type).toBe('feedback')
  })

  it('create fails with 409 when the document exists', async () => {
    await lake.store.mutate([{create: {_id: 'a', _type: 'page'}}], admin)
    const error = await lakeError(() =>
      lake.store.mutate([{create: {_id: 'a', _type: 'page'}}], admin),
    )
    expect(error.statusCode).toBe(409)
    expect(error.type).toBe('mutationError')
    expect(error.details['items']).toEqual([
      {
        error: {
          type: 'documentAlreadyExistsError',
          description: 'Document by ID "a" already exists',
          id: 'a',
        },
        index: 0,
      },
    ])
  })

  it('createOrReplace replaces but keeps _createdAt; createIfNotExists leaves existing alone', async () => {
    const first = await lake.store.mutate(
      [{createOrReplace: {_id: 'a', _type: 'page', v: 1}}],
      admin,
    )
    const second = await lake.store.mutate(
      [{createOrReplace: {_id: 'a', _type: 'page', v: 2}}],
      admin,
    )
    expect(second.results).toEqual([{id: 'a', operation: 'update'}])
    expect(doc('a')).toMatchObject({v: 2, _createdAt: first.timestamp, _rev: second.transactionId})
    const third = await lake.store.mutate(
      [
        {createIfNotExists: {_id: 'a', _type: 'page', v: 3}},
        {createIfNotExists: {_id: 'b', _type: 'page', v: 3}},
      ],
      admin,
    )
    expect(third.results).toEqual([{id: 'b', operation: 'create'}])
    expect(doc('a')?.['v']).toBe(2)
    expect(doc('b')?.['v']).toBe(3)
  })

  it('applies every patch operation through @sanity/mutator', async () => {
    await lake.store.mutate(
      [
        {
          create: {
            _id: 'p',
            _type: 'page',
            title: 'Old',
            count: 5,
            gone: true,
            tags: ['b'],
            body: 'hello world',
          },
        },
      ],
      admin,
    )
    const before = doc('p')
    await lake.store.mutate(
      [
        {patch: {id: 'p', set: {title: 'New', 'nested.deep': 1}}},
        {patch: {id: 'p', setIfMissing: {title: 'ignored', extra: 'x'}}},
        {patch: {id: 'p', unset: ['gone']}},
        {patch: {id: 'p', inc: {count: 3}}},
        {patch: {id: 'p', dec: {count: 1}}},
        {patch: {id: 'p', insert: {before: 'tags[0]', items: ['a']}}},
        {patch: {id: 'p', insert: {after: 'tags[-1]', items: ['c']}}},
        {patch: {id: 'p', insert: {replace: 'tags[1]', items: ['B']}}},
        {patch: {id: 'p', diffMatchPatch: {body: '@@ -1,5 +1,5 @@\n-hello\n+howdy\n'}}},
      ],
      admin,
    )
    expect(doc('p')).toMatchObject({
      title: 'New',
      nested: {deep: 1},
      extra: 'x',
      count: 7,
      tags: ['a', 'B', 'c'],
      body: 'howdy world',
    })
    expect(doc('p')).not.toHaveProperty('gone')
    // Stored documents are immutable snapshots: the earlier object did not change.
    expect(before).toMatchObject({title: 'Old', count: 5, gone: true, tags: ['b']})
  })

  it('patches and deletes by GROQ query, seeing only readable documents', async () => {
    await lake.store.mutate(
      [
        {create: {_id: 'f1', _type: 'feedback', status: 'new'}},
        {create: {_id: 'f2', _type: 'feedback', status: 'new'}},
        {create: {_id: 'secret.f3', _type: 'feedback', status: 'new'}},
      ],
      admin,
    )
    const canRead = (id: string) => !id.startsWith('secret.')
    const tx = await lake.store.mutate(
      [
        {
          patch: {
            query: '*[_type == $t && status == "new"]',
            params: {t: 'feedback'},
            set: {status: 'seen'},
          },
        },
      ],
      {...admin, canRead},
    )
    expect(tx.results.map((r) => r.id)).toEqual(['f1', 'f2'])
    expect(doc('secret.f3')?.['status']).toBe('new')
    await lake.store.mutate([{delete: {query: '*[status == "seen"]'}}], {...admin, canRead})
    expect(doc('f1')).toBeNull()
    expect(doc('f2')).toBeNull()
    expect(doc('secret.f3')).not.toBeNull()
  })

  it('ifRevisionID mismatch is a 409 conflict and changes nothing', async () => {
    const created = await lake.store.mutate([{create: {_id: 'a', _type: 'page', v: 1}}], admin)
    const error = await lakeError(() =>
      lake.store.mutate([{patch: {id: 'a', ifRevisionID: 'stale', set: {v: 2}}}], admin),
    )
    expect(error.statusCode).toBe(409)
    expect(doc('a')?.['v']).toBe(1)
    await lake.store.mutate(
      [{patch: {id: 'a', ifRevisionID: created.transactionId, set: {v: 2}}}],
      admin,
    )
    expect(doc('a')?.['v']).toBe(2)
  })

  it('is all-or-nothing: a failing third mutation leaves the first two unapplied, also on disk', async () => {
    await lake.store.mutate([{create: {_id: 'existing', _type: 'page'}}], admin)
    const seen: CommittedTransaction[] = []
    lake.store.subscribe((tx) => seen.push(tx))
    const error = await lakeError(() =>
      lake.store.mutate(
        [
          {create: {_id: 'one', _type: 'page'}},
          {patch: {id: 'existing', set: {touched: true}}},
          {create: {_id: 'existing', _type: 'page'}},
        ],
        admin,
      ),
    )
    expect(error.statusCode).toBe(409)
    expect(error.details['items']).toMatchObject([{index: 2}])
    expect(doc('one')).toBeNull()
    expect(doc('existing')).not.toHaveProperty('touched')
    expect(seen).toEqual([])
    lake.reopen()
    expect(doc('one')).toBeNull()
    expect(doc('existing')).not.toHaveProperty('touched')
    expect(lake.store.transactions({})).toHaveLength(1)
  })

  it('dryRun computes the result but changes nothing and notifies nobody', async () => {
    const seen: CommittedTransaction[] = []
    lake.store.subscribe((tx) => seen.push(tx))
    const tx = await lake.store.mutate([{create: {_id: 'a', _type: 'page'}}], {
      ...admin,
      dryRun: true,
    })
    expect(tx.results).toEqual([{id: 'a', operation: 'create'}])
    expect(doc('a')).toBeNull()
    expect(seen).toEqual([])
    expect(lake.store.transactions({})).toEqual([])
    lake.reopen()
    expect(doc('a')).toBeNull()
  })

  it.each([
    ['-starts-with-dash'],
    ['has space'],
    ['a..b'],
    ['trailing.'],
    ['x'.repeat(129)],
    ['emoji✓'],
    ['seg.-dash'],
  ])('rejects the invalid id %j with 400', async (id) => {
    const error = await lakeError(() =>
      lake.store.mutate([{createOrReplace: {_id: id, _type: 'page'}}], admin),
    )
    expect(error.statusCode).toBe(400)
    expect(error.details['items']).toMatchObject([{error: {type: 'invalidDocumentIdError'}}])
    expect(lake.store.transactions({})).toEqual([])
  })

  it('rejects invalid ids in actions with an actionError 400', async () => {
    const error = await lakeError(() =>
      lake.store.act(
        [
          {
            actionType: 'sanity.action.document.create',
            attributes: {_id: 'drafts.-bad', _type: 'page'},
          },
        ],
        admin,
      ),
    )
    expect(error.statusCode).toBe(400)
    expect(error.type).toBe('actionError')
  })

  it('stores a copy: changing the input afterwards does not change the document', async () => {
    const input = {_id: 'a', _type: 'page', nested: {value: 1}}
    await lake.store.mutate([{create: input}], admin)
    input.nested.value = 2
    expect(doc('a')?.['nested']).toEqual({value: 1})
  })

  it('accepts the longest valid id', async () => {
    const id = 'a'.repeat(128)
    await lake.store.mutate([{createOrReplace: {_id: id, _type: 'page'}}], admin)
    expect(doc(id)?._id).toBe(id)
  })

  it('rejects unknown mutations and mutations with two kinds with 400', async () => {
    for (const bad of [
      {upsert: {_id: 'a', _type: 'x'}},
      {create: {_type: 'x'}, delete: {id: 'a'}},
    ]) {
      // Deliberately malformed input, as an HTTP client could send it.
      const error = await lakeError(() => lake.store.mutate([bad as never], admin))
      expect(error.statusCode).toBe(400)
      expect(error.type).toBe('mutationError')
    }
    expect(lake.store.transactions({})).toEqual([])
  })

  it('patching a missing document is a 404', async () => {
    const error = await lakeError(() =>
      lake.store.mutate([{patch: {id: 'nope', set: {a: 1}}}], admin),
    )
    expect(error.statusCode).toBe(404)
  })

  it('refuses the whole request with 403 when one write is forbidden', async () => {
    const canWrite = (id: string) => !id.startsWith('locked.')
    const error = await lakeError(() =>
      lake.store.mutate(
        [{create: {_id: 'free', _type: 'page'}}, {create: {_id: 'locked.one', _type: 'page'}}],
        {...admin, canWrite},
      ),
    )
    expect(error.statusCode).toBe(403)
    expect(doc('free')).toBeNull()
  })

  it('rejects a reused transaction id with 409', async () => {
    await lake.store.mutate([{create: {_id: 'a', _type: 'page'}}], {
      ...admin,
      transactionId: 'same',
    })
    const error = await lakeError(() =>
      lake.store.mutate([{create: {_id: 'b', _type: 'page'}}], {
        ...admin,
        transactionId: 'same',
      }),
    )
    expect(error.statusCode).toBe(409)
    expect(doc('b')).toBeNull()
  })

  it('delete by id removes, reports it, and gives listeners a delete mutation', async () => {
    await lake.store.mutate([{create: {_id: 'a', _type: 'page'}}], admin)
    const tx = await lake.store.mutate([{delete: {id: 'a'}}], admin)
    expect(tx.results).toEqual([{id: 'a', operation: 'delete'}])
    expect(tx.changes[0]?.mutations).toEqual([{delete: {id: 'a'}}])
    expect(tx.changes[0]?.result).toBeNull()
    expect(doc('a')).toBeNull()
  })
})

describe('actions', () => {
  const publish = (id: string, extra: Record<string, unknown> = {}) => ({
    actionType: 'sanity.action.document.publish',
    draftId: `drafts.${id}`,
    publishedId: id,
    ...extra,
  })

  it('create makes a draft; ifExists fail → 409, ignore → no-op', async () => {
    const create = {
      actionType: 'sanity.action.document.create',
      publishedId: 'x',
      attributes: {_id: 'drafts.x', _type: 'page', title: 'T'},
      ifExists: 'fail',
    }
    await lake.store.act([create], admin)
    expect(doc('drafts.x')).toMatchObject({_type: 'page', title: 'T'})
    expect((await lakeError(() => lake.store.act([create], admin))).statusCode).toBe(409)
    const ignored = await lake.store.act([{...create, ifExists: 'ignore'}], admin)
    expect(ignored.changes).toEqual([])
  })

  it('edit creates the draft from the published document, and the guard unset works', async () => {
    await lake.store.mutate([{create: {_id: 'x', _type: 'page', title: 'Pub', keep: 1}}], admin)
    const tx = await lake.store.act(
      [
        {
          actionType: 'sanity.action.document.edit',
          draftId: 'drafts.x',
          publishedId: 'x',
          patch: {set: {title: 'Draft'}},
        },
        {
          actionType: 'sanity.action.document.edit',
          draftId: 'drafts.x',
          publishedId: 'x',
          patch: {unset: ['_empty_action_guard_pseudo_field_']},
        },
      ],
      {...admin, transactionId: 'edit-1'},
    )
    expect(doc('drafts.x')).toMatchObject({
      _id: 'drafts.x',
      title: 'Draft',
      keep: 1,
      _rev: 'edit-1',
    })
    expect(doc('x')?.['title']).toBe('Pub')
    expect(tx.results).toEqual([{id: 'drafts.x', operation: 'create'}])
  })

  it('edit with neither draft nor published fails', async () => {
    const error = await lakeError(() =>
      lake.store.act(
        [
          {
            actionType: 'sanity.action.document.edit',
            draftId: 'drafts.none',
            publishedId: 'none',
            patch: {set: {a: 1}},
          },
        ],
        admin,
      ),
    )
    expect(error.statusCode).toBe(404)
    expect(error.type).toBe('actionError')
  })

  it('publish copies the draft, deletes it, and checks both revisions', async () => {
    await lake.store.mutate([{create: {_id: 'x', _type: 'page', title: 'v1'}}], {
      ...admin,
      transactionId: 'p1',
    })
    await lake.store.mutate([{create: {_id: 'drafts.x', _type: 'page', title: 'v2'}}], {
      ...admin,
      transactionId: 'd1',
    })
    expect(
      (await lakeError(() => lake.store.act([publish('x', {ifDraftRevisionId: 'nope'})], admin)))
        .statusCode,
    ).toBe(409)
    expect(
      (
        await lakeError(() =>
          lake.store.act([publish('x', {ifPublishedRevisionId: 'nope'})], admin),
        )
      ).statusCode,
    ).toBe(409)
    expect(doc('drafts.x')).not.toBeNull()
    const tx = await lake.store.act(
      [publish('x', {ifDraftRevisionId: 'd1', ifPublishedRevisionId: 'p1'})],
      {...admin, transactionId: 'pub'},
    )
    expect(doc('x')).toMatchObject({_id: 'x', title: 'v2', _rev: 'pub'})
    expect(doc('drafts.x')).toBeNull()
    expect(tx.results).toEqual([
      {id: 'x', operation: 'update'},
      {id: 'drafts.x', operation: 'delete'},
    ])
  })

  it('publish without a draft fails with 409', async () => {
    await lake.store.mutate([{create: {_id: 'x', _type: 'page'}}], admin)
    expect((await lakeError(() => lake.store.act([publish('x')], admin))).statusCode).toBe(409)
  })

  it('unpublish moves published to draft unless a draft exists', async () => {
    await lake.store.mutate([{create: {_id: 'x', _type: 'page', title: 'P'}}], admin)
    await lake.store.act(
      [{actionType: 'sanity.action.document.unpublish', draftId: 'drafts.x', publishedId: 'x'}],
      admin,
    )
    expect(doc('x')).toBeNull()
    expect(doc('drafts.x')?.['title']).toBe('P')

    await lake.store.mutate(
      [
        {create: {_id: 'y', _type: 'page', title: 'P'}},
        {create: {_id: 'drafts.y', _type: 'page', title: 'D'}},
      ],
      admin,
    )
    await lake.store.act(
      [{actionType: 'sanity.action.document.unpublish', draftId: 'drafts.y', publishedId: 'y'}],
      admin,
    )
    expect(doc('y')).toBeNull()
    expect(doc('drafts.y')?.['title']).toBe('D')
  })

  it('discard and version.discard delete the draft', async () => {
    await lake.store.mutate(
      [{create: {_id: 'drafts.a', _type: 'page'}}, {create: {_id: 'drafts.b', _type: 'page'}}],
      admin,
    )
    await lake.store.act(
      [{actionType: 'sanity.action.document.discard', draftId: 'drafts.a'}],
      admin,
    )
    await lake.store.act(
      [{actionType: 'sanity.action.document.version.discard', versionId: 'drafts.b'}],
      admin,
    )
    expect(doc('drafts.a')).toBeNull()
    expect(doc('drafts.b')).toBeNull()
    expect(
      (
        await lakeError(() =>
          lake.store.act(
            [{actionType: 'sanity.action.document.discard', draftId: 'drafts.a'}],
            admin,
          ),
        )
      ).statusCode,
    ).toBe(409)
  })

  it('delete removes the published document and its drafts', async () => {
    await lake.store.mutate(
      [
        {create: {_id: 'x', _type: 'page'}},
        {create: {_id: 'drafts.x', _type: 'page'}},
        {create: {_id: 'y', _type: 'page'}},
      ],
      admin,
    )
    const tx = await lake.store.act(
      [
        {
          actionType: 'sanity.action.document.delete',
          publishedId: 'x',
          includeDrafts: ['drafts.x'],
        },
      ],
      admin,
    )
    expect(tx.results).toEqual([
      {id: 'x', operation: 'delete'},
      {id: 'drafts.x', operation: 'delete'},
    ])
    await lake.store.act(
      [{actionType: 'sanity.action.document.delete', publishedId: 'y', includeDrafts: []}],
      admin,
    )
    expect(doc('x')).toBeNull()
    expect(doc('drafts.x')).toBeNull()
    expect(doc('y')).toBeNull()
  })

  it('replaceDraft replaces the draft wholesale', async () => {
    await lake.store.mutate([{create: {_id: 'drafts.x', _type: 'page', old: true}}], admin)
    await lake.store.act(
      [
        {
          actionType: 'sanity.action.document.replaceDraft',
          draftId: 'drafts.x',
          publishedId: 'x',
          attributes: {_id: 'drafts.x', _type: 'page', fresh: true},
        },
      ],
      admin,
    )
    expect(doc('drafts.x')).toMatchObject({fresh: true})
    expect(doc('drafts.x')).not.toHaveProperty('old')
  })

  it('unknown action types are a 400 and the request changes nothing', async () => {
    const error = await lakeError(() =>
      lake.store.act(
        [
          {
            actionType: 'sanity.action.document.create',
            publishedId: 'x',
            attributes: {_id: 'drafts.x', _type: 'page'},
          },
          {actionType: 'sanity.action.document.teleport'},
        ],
        admin,
      ),
    )
    expect(error.statusCode).toBe(400)
    expect(error.type).toBe('actionError')
    expect(error.details['items']).toMatchObject([{index: 1}])
    expect(doc('drafts.x')).toBeNull()
  })

  it('a forbidden draft write fails the whole actions request with 403', async () => {
    await lake.store.mutate([{create: {_id: 'x', _type: 'page'}}], admin)
    const error = await lakeError(() =>
      lake.store.act(
        [
          {
            actionType: 'sanity.action.document.edit',
            draftId: 'drafts.x',
            publishedId: 'x',
            patch: {set: {a: 1}},
          },
        ],
        {...admin, canWrite: (id) => !id.startsWith('drafts.')},
      ),
    )
    expect(error.statusCode).toBe(403)
    expect(doc('drafts.x')).toBeNull()
  })
})

describe('durability, listeners and history', () => {
  it('restores documents and the log after close and reopen', async () => {
    await lake.store.mutate([{create: {_id: 'a', _type: 'page', slug: {current: 'a'}}}], admin)
    await lake.store.mutate([{patch: {id: 'a', set: {title: 'T'}}}], admin)
    const before = lake.store.transactions({})
    lake.reopen()
    expect(doc('a')).toMatchObject({title: 'T', slug: {current: 'a'}})
    expect(lake.store.transactions({})).toEqual(before)
    // The indexes are rebuilt too: an indexed query finds the document.
    expect(
      lake.store.query('*[slug.current == "a"][0]._id', {}, {perspective: 'raw', canRead: everyone})
        .result,
    ).toBe('a')
  })

  it('calls subscribers once per commit, in commit order, after the data is visible', async () => {
    const order: string[] = []
    lake.store.subscribe((tx) => {
      order.push(tx.transactionId)
      // Listeners run after the mirror was updated: they can read what was just written.
      expect(doc(tx.results[0]?.id ?? '')).not.toBeUndefined()
    })
    await lake.store.mutate([{create: {_id: 'a', _type: 'page'}}], {...admin, transactionId: 't1'})
    await lake.store.mutate([{create: {_id: 'b', _type: 'page'}}], {...admin, transactionId: 't2'})
    const unsubscribe = lake.store.subscribe(() => order.push('second listener'))
    await lake.store.mutate([{create: {_id: 'c', _type: 'page'}}], {...admin, transactionId: 't3'})
    unsubscribe()
    await lake.store.mutate([{create: {_id: 'd', _type: 'page'}}], {...admin, transactionId: 't4'})
    expect(order).toEqual(['t1', 't2', 't3', 'second listener', 't4'])
  })

  it('keeps a log for history: transactions by document and documents at a revision or time', async () => {
    const t1 = await lake.store.mutate([{create: {_id: 'a', _type: 'page', v: 1}}], {
      ...admin,
      transactionId: 'r1',
    })
    await lake.store.mutate([{create: {_id: 'b', _type: 'page'}}], {
      ...admin,
      transactionId: 'other',
    })
    await lake.store.mutate([{patch: {id: 'a', set: {v: 2}}}], {...admin, transactionId: 'r2'})
    await lake.store.mutate([{delete: {id: 'a'}}], {...admin, transactionId: 'r3'})

    const log = lake.store.transactions({documentIds: ['a']})
    expect(log.map((entry) => entry.id)).toEqual(['r1', 'r2', 'r3'])
    expect(log[1]).toMatchObject({
      author: 'p-admin',
      documentIDs: ['a'],
      changes: [{documentId: 'a', previousRev: 'r1', resultRev: 'r2'}],
    })
    expect(log[2]?.mutations).toEqual([{delete: {id: 'a'}}])
    expect(lake.store.transactions({limit: 2}).map((entry) => entry.id)).toEqual(['r1', 'other'])

    expect(lake.store.documentAt('a', {revision: 'r1'})).toMatchObject({v: 1, _rev: 'r1'})
    expect(lake.store.documentAt('a', {revision: 'r2'})).toMatchObject({v: 2, _rev: 'r2'})
    // A revision is a point in time: "other" did not touch "a", which was then still at r1.
    expect(lake.store.documentAt('a', {revision: 'other'})).toMatchObject({v: 1, _rev: 'r1'})
    expect(lake.store.documentAt('a', {revision: 'r3'})).toBeNull()
    expect(lake.store.documentAt('b', {revision: 'r1'})).toBeNull()
    expect(lake.store.documentAt('a', {time: t1.timestamp})).toMatchObject({v: 1})
    expect(
      lake.store.documentAt('a', {time: new Date(Date.now() + 60_000).toISOString()}),
    ).toBeNull()
    expect(lake.store.documentAt('a', {lastRevision: true})).toMatchObject({v: 2, _rev: 'r2'})
    expect(lake.store.documentAt('a', {revision: 'unknown'})).toBeNull()
  })

  it('pages the log as the Studio history panel asks (reverse, limit, toTransaction)', async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      await lake.store.mutate([{createOrReplace: {_id: 'a', _type: 'page', n}}], {
        ...admin,
        transactionId: `t${n}`,
      })
    }
    const ids = (filter: Parameters<typeof lake.store.transactions>[0]) =>
      lake.store.transactions(filter).map((entry) => entry.id)
    expect(ids({documentIds: ['a', 'drafts.a'], reverse: true, limit: 2})).toEqual(['t5', 't4'])
    expect(ids({reverse: true, limit: 2, toTransaction: 't4'})).toEqual(['t4', 't3'])
    expect(ids({fromTransaction: 't2', toTransaction: 't3'})).toEqual(['t2', 't3'])
    expect(ids({toTransaction: 'no-such-transaction'})).toEqual([])

    const [entry] = lake.store.transactions({
      fromTransaction: 't3',
      limit: 1,
      includeDocuments: true,
    })
    expect(entry?.documents?.['a']?.previous).toMatchObject({n: 2, _rev: 't2'})
    expect(entry?.documents?.['a']?.result).toMatchObject({n: 3, _rev: 't3'})
    const [first] = lake.store.transactions({limit: 1, includeDocuments: true})
    expect(first?.documents).toEqual({a: {previous: null, result: expect.objectContaining({n: 1})}})
  })

  it('exports every document ordered by _id', async () => {
    await lake.store.mutate(
      [
        {create: {_id: 'b', _type: 'page'}},
        {create: {_id: 'a', _type: 'page'}},
        {create: {_id: 'drafts.a', _type: 'page'}},
      ],
      admin,
    )
    expect([...lake.store.allDocuments()].map((d) => d._id)).toEqual(['a', 'b', 'drafts.a'])
  })
})

describe('group commit', () => {
  const create = (id: string, transactionId?: string) =>
    lake.store.mutate([{create: {_id: id, _type: 'page'}}], {
      ...admin,
      ...(transactionId ? {transactionId} : {}),
    })

  it('commits writes that arrive together with one fsync, and shows them only once durable', async () => {
    const before = lake.store.stats()
    const seen: string[] = []
    lake.store.subscribe((tx) => seen.push(tx.transactionId))
    const writes = Array.from({length: 20}, (_, i) => create(`p${i}`, `t${i}`))
    // Staged, not yet fsynced: no reader, listener or author has heard of them.
    expect(doc('p0')).toBeNull()
    expect(seen).toEqual([])
    const committed = await Promise.all(writes)
    expect(committed.map((tx) => tx.transactionId)).toEqual(writes.map((_, i) => `t${i}`))
    expect(seen).toEqual(committed.map((tx) => tx.transactionId))
    expect(lake.store.stats()).toEqual({
      transactions: before.transactions + 20,
      fsyncs: before.fsyncs + 1,
    })
    // And on disk: a reopened store has all of them, with their log entries.
    lake.reopen()
    expect(lake.store.getDocuments(['p0', 'p19'], everyone).map((d) => d?._rev)).toEqual([
      't0',
      't19',
    ])
    expect(lake.store.transactions({}).map((t) => t.id)).toEqual(writes.map((_, i) => `t${i}`))
  })

  it('a transaction builds on the one staged before it in the same group', async () => {
    const first = create('a', 'first')
    const second = lake.store.mutate(
      [{patch: {id: 'a', ifRevisionID: 'first', set: {title: 'after first'}}}],
      {...admin, transactionId: 'second'},
    )
    await Promise.all([first, second])
    expect(doc('a')).toMatchObject({title: 'after first', _rev: 'second'})
    expect(
      lake.store.transactions({documentIds: ['a']}).map((t) => t.changes[0]?.previousRev),
    ).toEqual([null, 'first'])
  })

  it('commits behind a running fsync, building on what it has not yet made durable', async () => {
    const seen: string[] = []
    lake.store.subscribe((tx) => seen.push(tx.transactionId))
    const first = [create('a', 'g1-a'), create('b', 'g1-b')]
    // The first group has committed to the WAL by now; its fsync runs off the event loop.
    await new Promise((resolve) => setImmediate(resolve))
    expect(doc('a')).toBeNull()
    const second = [
      lake.store.mutate([{patch: {id: 'a', ifRevisionID: 'g1-a', set: {title: 'on top'}}}], {
        ...admin,
        transactionId: 'g2-a',
      }),
      create('c', 'g2-c'),
    ]
    await Promise.all([...first, ...second])
    expect(seen).toEqual(['g1-a', 'g1-b', 'g2-a', 'g2-c'])
    expect(doc('a')).toMatchObject({title: 'on top', _rev: 'g2-a'})
    lake.reopen()
    expect(doc('a')).toMatchObject({title: 'on top', _rev: 'g2-a'})
    expect(doc('c')?._rev).toBe('g2-c')
  })

  it('a failing transaction leaves the others of its group committed', async () => {
    const results = await Promise.allSettled([
      create('a', 'one'),
      create('a', 'two'),
      create('b', 'one'),
      create('c', 'three'),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    // The same id again in one group is refused as a reuse, not silently merged.
    expect(results[2]).toMatchObject({reason: {statusCode: 409}})
    expect(doc('a')?._rev).toBe('one')
    expect(doc('b')).toBeNull()
    expect(doc('c')?._rev).toBe('three')
    lake.reopen()
    expect(lake.store.transactions({}).map((t) => t.id)).toEqual(['one', 'three'])
  })

  it('close commits what was staged, and its authors are answered', async () => {
    const pending = create('late', 'late')
    lake.store.close()
    await expect(pending).resolves.toMatchObject({transactionId: 'late'})
    lake.store = openLakeStore({dataDir: lake.dir})
    expect(doc('late')?._rev).toBe('late')
  })
})
