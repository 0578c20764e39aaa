/**
 * Referential integrity as Content Lake keeps it (`server/store/references.ts`), through the stock
 * @sanity/client against a real lake: dangling strong references and deleting referenced
 * documents are refused with 409 and change nothing; weak references may dangle; a transaction
 * may create both ends in any order; publish strengthens `_strengthenOnPublish` references.
 */
import {randomUUID} from 'node:crypto'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake
let client: SanityClient

const uid = (prefix = 'doc') => `${prefix}-${randomUUID().slice(0, 8)}`
const ref = (id: string, extra: Record<string, unknown> = {}) => ({
  _type: 'reference',
  _ref: id,
  ...extra,
})

/** The rejection @sanity/client raises, with its status, message and Content Lake's details. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{statusCode: number; message: string; details: unknown}> {
  try {
    await promise
  } catch (error) {
    return error as {statusCode: number; message: string; details: unknown}
  }
  throw new Error('expected the lake to refuse the write')
}

async function snapshot(): Promise<unknown> {
  return client.fetch('*[!(_id in path("_.**"))] | order(_id)')
}

beforeAll(async () => {
  lake = await startTestLake()
  client = lake.client()
})
afterAll(() => lake.close())

describe('strong references', () => {
  it('refuses creating a strong reference to a document that does not exist (409)', async () => {
    const id = uid()
    const missing = uid('missing')
    const before = await snapshot()
    const error = await refusal(client.create({_id: id, _type: 'page', specialism: ref(missing)}))
    expect(error.statusCode).toBe(409)
    expect(error.message).toContain(
      `Document "${id}" references non-existent document "${missing}"`,
    )
    expect(error.details).toMatchObject({
      type: 'mutationError',
      items: [
        {
          error: {
            description: `Document "${id}" references non-existent document "${missing}"`,
            id,
          },
          index: 0,
        },
      ],
    })
    expect(await snapshot()).toEqual(before)
  })

  it('refuses patching in a dangling strong reference, also nested in arrays', async () => {
    const id = uid()
    await client.create({_id: id, _type: 'page', title: 'T'})
    const missing = uid('missing')
    const error = await refusal(
      client
        .patch(id)
        .set({related: [{_key: 'a', item: ref(missing)}]})
        .commit(),
    )
    expect(error.statusCode).toBe(409)
    expect(error.message).toContain(`references non-existent document "${missing}"`)
    expect((await client.getDocument(id))?.['related']).toBeUndefined()
  })

  it('refuses deleting a strongly referenced document, naming the referrer (409)', async () => {
    const target = uid('target')
    const referrer = uid('referrer')
    await client
      .transaction()
      .create({_id: target, _type: 'specialism'})
      .create({_id: referrer, _type: 'page', specialism: ref(target)})
      .commit()
    const error = await refusal(client.delete(target))
    expect(error.statusCode).toBe(409)
    expect(error.message).toContain(
      `Document "${target}" cannot be deleted as there are references to it from "${referrer}"`,
    )
    expect(await client.getDocument(target)).toBeDefined()

    // So is the Studio's delete action, and unpublishing it.
    const viaAction = await lakeFetch(lake, '/v2025-02-19/data/actions/production', {
      method: 'POST',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({
        actions: [{actionType: 'sanity.action.document.delete', publishedId: target}],
      }),
    })
    expect(viaAction.status).toBe(409)
    expect(viaAction.json()).toMatchObject({
      error: {type: 'actionError', items: [{error: {id: target}}]},
    })
    const unpublish = await lakeFetch(lake, '/v2025-02-19/data/actions/production', {
      method: 'POST',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({
        actions: [{actionType: 'sanity.action.document.unpublish', publishedId: target}],
      }),
    })
    expect(unpublish.status).toBe(409)
    expect(await client.getDocument(target)).toBeDefined()
    expect(await client.getDocument(`drafts.${target}`)).toBeUndefined()

    // Removing the reference in the same transaction lets the delete through.
    await client
      .transaction()
      .patch(referrer, {unset: ['specialism']})
      .delete(target)
      .commit()
    expect(await client.getDocument(target)).toBeUndefined()
  })

  it('counts a draft’s strong reference as a reference (it would dangle too)', async () => {
    const target = uid('target')
    await client.create({_id: target, _type: 'specialism'})
    const draft = `drafts.${uid('page')}`
    await client.create({_id: draft, _type: 'page', specialism: ref(target)})
    const error = await refusal(client.delete(target))
    expect(error.statusCode).toBe(409)
    expect(error.message).toContain(`references to it from "${draft}"`)
    // Deleting referrer and target together is fine.
    await client.transaction().delete(draft).delete(target).commit()
    expect(await client.getDocument(target)).toBeUndefined()
  })

  it('lets one transaction create both ends in any order (import)', async () => {
    const target = uid('target')
    const referrer = uid('referrer')
    await client
      .transaction()
      .createOrReplace({_id: referrer, _type: 'page', specialism: ref(target)})
      .createOrReplace({_id: target, _type: 'specialism'})
      .commit()
    expect(await client.getDocument(referrer)).toMatchObject({specialism: {_ref: target}})
  })
})

describe('weak references', () => {
  it('may dangle, and their targets may be deleted', async () => {
    const target = uid('target')
    const referrer = uid('referrer')
    await client
      .transaction()
      .create({_id: target, _type: 'page'})
      .create({_id: referrer, _type: 'feedbackNote', page: ref(target, {_weak: true})})
      .commit()
    await client.delete(target)
    expect(await client.getDocument(referrer)).toMatchObject({page: {_ref: target, _weak: true}})
    const other = uid()
    await client.create({_id: other, _type: 'x', page: ref(uid('nowhere'), {_weak: true})})
    expect(await client.getDocument(other)).toBeDefined()
  })

  it('leaves references to other datasets and projects unchecked', async () => {
    const id = uid()
    await client.create({
      _id: id,
      _type: 'x',
      other: {_type: 'crossDatasetReference', _ref: uid('elsewhere'), _dataset: 'other'},
    })
    expect(await client.getDocument(id)).toBeDefined()
  })
})

describe('_strengthenOnPublish', () => {
  async function act(actions: unknown[]): Promise<{status: number; body: unknown}> {
    const res = await lakeFetch(lake, '/v2025-02-19/data/actions/production', {
      method: 'POST',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({actions}),
    })
    return {status: res.status, body: res.json()}
  }

  it('strengthens a weak reference to a now-published target when its document is published', async () => {
    const child = uid('child')
    const parent = uid('parent')
    const weakRef = ref(child, {_weak: true, _strengthenOnPublish: {type: 'specialism'}})
    // As the Studio does it: the parent's draft references the child while only its draft exists.
    await client
      .transaction()
      .create({_id: `drafts.${child}`, _type: 'specialism'})
      .create({_id: `drafts.${parent}`, _type: 'page', specialism: weakRef})
      .commit()

    // Published before the child: the reference stays weak and marked.
    expect(
      (
        await act([
          {
            actionType: 'sanity.action.document.publish',
            publishedId: parent,
            draftId: `drafts.${parent}`,
          },
        ])
      ).status,
    ).toBe(200)
    expect((await client.getDocument(parent))?.['specialism']).toEqual(weakRef)

    // Publish the child, then the parent again: now the reference is strong.
    expect(
      (
        await act([
          {
            actionType: 'sanity.action.document.publish',
            publishedId: child,
            draftId: `drafts.${child}`,
          },
        ])
      ).status,
    ).toBe(200)
    await client.create({_id: `drafts.${parent}`, _type: 'page', specialism: weakRef})
    expect(
      (
        await act([
          {
            actionType: 'sanity.action.document.publish',
            publishedId: parent,
            draftId: `drafts.${parent}`,
          },
        ])
      ).status,
    ).toBe(200)
    expect((await client.getDocument(parent))?.['specialism']).toEqual({
      _type: 'reference',
      _ref: child,
    })
    // And it now protects the child.
    expect((await refusal(client.delete(child))).statusCode).toBe(409)
  })

  it('keeps a reference weak when the schema asked for a weak one', async () => {
    const target = uid('target')
    const doc = uid('doc')
    await client.create({_id: target, _type: 'page'})
    await client.create({
      _id: `drafts.${doc}`,
      _type: 'x',
      page: ref(target, {_weak: true, _strengthenOnPublish: {type: 'page', weak: true}}),
    })
    await act([
      {actionType: 'sanity.action.document.publish', publishedId: doc, draftId: `drafts.${doc}`},
    ])
    expect((await client.getDocument(doc))?.['page']).toEqual(ref(target, {_weak: true}))
  })
})
