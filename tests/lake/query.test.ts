import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {parseQuery, prepareQuery} from '../../server/query/engine'
import {parseTextQuery} from '../../server/query/text'
import {ViewRegistry} from '../../server/query/views'
import {DocumentMirror} from '../../server/store/mirror'
import type {QueryOptions, StoredDocument} from '../../server/store/types'
import {admin, everyone, lakeError, type TempLake, tempLake} from '../fixtures/groq/temp-lake'

let lake: TempLake
const noFeedback = (id: string) => !id.includes('feedback.')

beforeAll(async () => {
  lake = tempLake()
  await lake.store.mutate(
    [
      {create: {_id: 'org', _type: 'organisation', name: 'NHS Trust'}},
      {
        create: {
          _id: 'page',
          _type: 'page',
          title: 'Published title',
          slug: {current: 'p'},
          org: {_ref: 'org'},
        },
      },
      {
        create: {
          _id: 'drafts.page',
          _type: 'page',
          title: 'Draft title',
          slug: {current: 'p'},
          org: {_ref: 'org'},
        },
      },
      {create: {_id: 'drafts.only', _type: 'page', title: 'Only a draft'}},
      {create: {_id: 'versions.rel.page', _type: 'page', title: 'Release title'}},
      {
        create: {
          _id: 'feedback.one',
          _type: 'feedback',
          page: {_ref: 'page'},
          message: 'Secret praise',
        },
      },
      {create: {_id: 'linker', _type: 'note', to: {_ref: 'feedback.one'}}},
      {
        create: {
          _id: 'physio',
          _type: 'programme',
          title: 'Physiotherapy degree apprenticeship',
          body: [
            {
              _type: 'block',
              _key: 'a',
              children: [{_type: 'span', _key: 'b', text: 'Work in Leeds hospitals'}],
            },
          ],
        },
      },
      {
        create: {
          _id: 'nursing',
          _type: 'programme',
          title: 'Nursing apprenticeship',
          region: 'Leeds',
        },
      },
    ],
    admin,
  )
})
afterAll(() => {
  lake.cleanup()
})

function q(
  query: string,
  options: Partial<QueryOptions> = {},
  params: Record<string, unknown> = {},
) {
  return lake.store.query(query, params, {perspective: 'raw', canRead: everyone, ...options}).result
}

describe('perspectives', () => {
  it('raw sees every readable document, drafts and versions included', async () => {
    expect(q('*[_type == "page"]._id')).toEqual([
      'drafts.only',
      'drafts.page',
      'page',
      'versions.rel.page',
    ])
  })

  it('published hides drafts and versions', async () => {
    expect(q('*[_type == "page"]._id', {perspective: 'published'})).toEqual(['page'])
    expect(q('*[_id == "drafts.page"]', {perspective: 'published'})).toEqual([])
  })

  it('drafts overlays drafts on published with _originalId; previewDrafts is the same', async () => {
    const expected = [
      {_id: 'only', _originalId: 'drafts.only', title: 'Only a draft'},
      {_id: 'page', _originalId: 'drafts.page', title: 'Draft title'},
    ]
    expect(q('*[_type == "page"]{_id, _originalId, title}', {perspective: 'drafts'})).toEqual(
      expected,
    )
    expect(
      q('*[_type == "page"]{_id, _originalId, title}', {perspective: 'previewDrafts'}),
    ).toEqual(expected)
    expect(q('*[_id == "org"][0]._originalId', {perspective: 'drafts'})).toBe('org')
  })

  it('drafts falls back to the published document when the reader cannot see the draft', async () => {
    const canRead = (id: string) => !id.startsWith('drafts.')
    expect(q('*[_type == "page"]{_id, title}', {perspective: 'drafts', canRead})).toEqual([
      {_id: 'page', title: 'Published title'},
    ])
  })

  it('rejects unknown perspectives with 400', async () => {
    expect((await lakeError(() => q('*', {perspective: 'future' as never}))).statusCode).toBe(400)
  })
})

describe('access', () => {
  it('unreadable documents are invisible to *, counts, subqueries and dereferences', async () => {
    expect(q('count(*[_type == "feedback"])', {canRead: noFeedback})).toBe(0)
    expect(q('count(*)', {canRead: noFeedback})).toBe((q('count(*)') as number) - 1)
    expect(q('*[_id == "linker"][0].to->_id', {canRead: noFeedback})).toBeNull()
    expect(q('*[_id == "linker"][0].to->_id')).toBe('feedback.one')
    expect(q('*[_id == "page"][0]{"fb": *[references(^._id)]._id}', {canRead: noFeedback})).toEqual(
      {fb: []},
    )
    expect(q('*[_id == "page"][0]{"fb": *[references(^._id)]._id}')).toEqual({fb: ['feedback.one']})
    expect(q('*[message match "secret"]._id', {canRead: noFeedback})).toEqual([])
  })

  it('getDocuments returns null where a document is missing or unreadable', async () => {
    expect(
      lake.store
        .getDocuments(['page', 'feedback.one', 'nope'], noFeedback)
        .map((d) => d?._id ?? null),
    ).toEqual(['page', null, null])
  })

  it('caches per accessKey never leak between readers', async () => {
    expect(q('*[_type == "feedback"]._id', {accessKey: 'viewer', canRead: noFeedback})).toEqual([])
    expect(q('*[_type == "feedback"]._id', {accessKey: 'admin', canRead: everyone})).toEqual([
      'feedback.one',
    ])
    expect(q('*[_type == "feedback"]._id', {accessKey: 'viewer', canRead: noFeedback})).toEqual([])
  })
})

describe('query features', () => {
  it('passes params and identity', async () => {
    expect(q('*[_type == $t][0].name', {}, {t: 'organisation'})).toBe('NHS Trust')
    expect(q('identity()', {identity: 'p-editor'})).toBe('p-editor')
    expect(
      q('[sanity::projectId(), sanity::dataset()]', {
        sanity: {projectId: 'local', dataset: 'production'},
      }),
    ).toEqual(['local', 'production'])
  })

  it('reports parse errors with Content Lake shape (query, start, end)', async () => {
    const error = await lakeError(() => q('*[_type == "page"'))
    expect(error.statusCode).toBe(400)
    expect(error.toJSON()).toEqual({
      statusCode: 400,
      error: {
        type: 'queryParseError',
        description: expect.any(String),
        query: '*[_type == "page"',
        start: 16,
        end: 17,
      },
    })
    const middle = await lakeError(() => q('*[_type == ] {title}'))
    expect(middle.details).toMatchObject({start: 10, end: 11})
  })

  it('reports unknown functions and query evaluation errors as a 400', async () => {
    const unknown = await lakeError(() => q('*[nope::fn(title)]'))
    expect(unknown.statusCode).toBe(400)
    expect(unknown.type).toBe('queryParseError')
    expect((await lakeError(() => q('*[boost(title match "x", 2)]'))).statusCode).toBe(400)
  })

  it('listenFilter matches single documents against the listener query', async () => {
    const [page] = lake.store.getDocuments(['page'], everyone) as StoredDocument[]
    const byType = lake.store.listenFilter('*[_type == $type]', {type: 'page'})
    expect(byType(page as StoredDocument)).toBe(true)
    expect(lake.store.listenFilter('*[_type == "org"]', {})(page as StoredDocument)).toBe(false)
    expect(
      lake.store.listenFilter('*[sanity::versionOf($id)]', {id: 'page'})(page as StoredDocument),
    ).toBe(true)
    expect(lake.store.listenFilter('*', {})(page as StoredDocument)).toBe(true)
  })
})

describe('text::query()', () => {
  it('parses terms, phrases, negations and prefixes', async () => {
    expect(parseTextQuery('physio* "degree apprenticeship" -nursing')).toEqual({
      positive: ['physio*', 'degree apprenticeship'],
      negative: ['nursing'],
    })
  })

  it('matches the whole document through @, including nested portable text', async () => {
    const search = (term: string) =>
      q('*[_type == "programme" && [@, _id] match text::query($q)]._id', {}, {q: term})
    expect(search('physio*')).toEqual(['physio'])
    expect(search('apprenticeship')).toEqual(['nursing', 'physio'])
    expect(search('leeds')).toEqual(['nursing', 'physio'])
    expect(search('hospitals')).toEqual(['physio'])
    expect(search('apprenticeship -nursing')).toEqual(['physio'])
    expect(search('nurs')).toEqual([])
    expect(search('nursing')).toEqual(['nursing'])
    // Studio's empty search box sends "*": everything matches; an empty query matches nothing.
    expect(search('*')).toEqual(['nursing', 'physio'])
    expect(search('* -nursing')).toEqual(['physio'])
    expect(search('')).toEqual([])
  })

  it('works on paths and inside score(boost()) as Studio search sends it', async () => {
    const result = q(
      '*[_type in $__types] | score(boost(_type in ["programme"] && title match text::query($__query), 10), ([@, _id] match text::query($__query) || references($__rawQuery))) [_score > 0] {_id} | order(_score desc)[0...$__limit]',
      {perspective: 'drafts'},
      {__types: ['programme', 'page'], __query: 'nursing*', __rawQuery: 'nursing', __limit: 10},
    )
    expect(result).toEqual([{_id: 'nursing'}])
  })

  it('takes terms only from literals and params, never evaluated into GROQ text', async () => {
    expect(q('*[[@, _id] match text::query($q)]._id', {}, {q: '") || true || ("'})).toEqual([])
    expect((await lakeError(() => q('*[title match text::query(title)]'))).statusCode).toBe(400)
  })
})

describe('planner', () => {
  const docs: StoredDocument[] = Array.from({length: 50}, (_, i) => ({
    _id: `doc-${String(i).padStart(2, '0')}`,
    _type: i % 2 ? 'a' : 'b',
    _rev: 'r',
    _createdAt: '',
    _updatedAt: '',
    slug: {current: `s${i}`},
    ref: {_ref: `doc-${String((i + 1) % 50).padStart(2, '0')}`},
  }))
  const view = new ViewRegistry(new DocumentMirror(docs)).view('raw', everyone)

  it('answers an all-indexed filter without any dataset scan', async () => {
    const prepared = prepareQuery(
      parseQuery('*[_type == "a" && slug.current == $s][0]{_id, "next": ref->_id}'),
      {s: 's7'},
      view,
    )
    expect(prepared.needsDataset).toBe(false)
    // The only document handed to groq-js is the match itself.
    expect(JSON.stringify(prepared.tree).match(/"_id":"doc-\d+"/g)).toEqual(['"_id":"doc-07"'])
  })

  it('plans !(_id in path(...)) beside an index without building the whole dataset', async () => {
    // The feedback intake's query, once per report: each group commit drops the cached dataset,
    // and building it again for an estimate read every document (at 100k, most of a report's CPU).
    const mirror = new DocumentMirror(docs)
    const registry = new ViewRegistry(mirror)
    mirror.apply([['doc-49', {...(docs[49] as StoredDocument), _rev: 'r2'}]])
    const fresh = registry.view('raw', everyone)
    const all = vi.spyOn(fresh, 'all')
    const prepared = prepareQuery(
      parseQuery('*[_type == "a" && slug.current == $s && !(_id in path("drafts.**"))][0]{_id}'),
      {s: 's7'},
      fresh,
    )
    expect(all).not.toHaveBeenCalled()
    expect(JSON.stringify(prepared.tree).match(/"_id":"doc-\d+"/g)).toEqual(['"_id":"doc-07"'])
    // Alone, it still starts from the whole dataset.
    prepareQuery(parseQuery('*[!(_id in path("doc-1*"))]._id'), {}, fresh)
    expect(all).toHaveBeenCalled()
  })

  it('answers order() over an indexed answer once, then serves slices of it', async () => {
    const query = parseQuery('*[_type == "a"] | order(slug.current desc)[0...3]._id')
    const prepared = prepareQuery(query, {}, view)
    expect(JSON.stringify(prepared.tree)).not.toContain('PipeFuncCall')
    expect(prepared.tree).toMatchObject({base: {base: {type: 'Value'}}})
    const again = prepareQuery(query, {}, view)
    // The memoised sorted list is the very same array.
    expect((again.tree as {base: {base: {value: unknown}}}).base.base.value).toBe(
      (prepared.tree as {base: {base: {value: unknown}}}).base.base.value,
    )
  })

  it('narrows references() with constant ids through the reference index', async () => {
    const prepared = prepareQuery(parseQuery('*[references($id)]._id'), {id: 'doc-03'}, view)
    expect(prepared.needsDataset).toBe(false)
    expect(JSON.stringify(prepared.tree).match(/"_id":"doc-\d+"/g)).toEqual(['"_id":"doc-02"'])
  })

  it('narrows the base of filters it cannot answer whole, and leaves others alone', async () => {
    const narrowed = prepareQuery(parseQuery('*[_type == "a" && count(tags) > 1]'), {}, view)
    expect(narrowed.needsDataset).toBe(false)
    expect(narrowed.tree).toMatchObject({type: 'Filter', base: {type: 'Value'}})
    const untouched = prepareQuery(parseQuery('*[_type == "a" || defined(x)]'), {}, view)
    expect(untouched.needsDataset).toBe(true)
  })
})
