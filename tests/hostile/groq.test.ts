/**
 * Issue #10, finding 3: GROQ answers that differed from groq-js, and content that broke queries
 * for others. Semantics run through the store on a real SQLite file; what is about HTTP runs
 * through the stock @sanity/client against a real lake.
 */
import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {DocumentMirror} from '../../server/store/mirror'
import {
  BUILD_COST_FACTOR,
  DEMAND_HALF_LIFE,
  EVICT_MARGIN,
  MAX_ADAPTIVE_INDEXES,
  MAX_TRACKED_PATHS,
} from '../../server/store/indexPolicy'
import type {LakeStore, Perspective, QueryOptions, StoredDocument} from '../../server/store/types'
import {admin, everyone, lakeError, type TempLake, tempLake} from '../fixtures/groq/temp-lake'
import {plainGroq, referenceDataset} from '../helpers/groqReference'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

const raw: QueryOptions = {perspective: 'raw', canRead: everyone}
const drafts: QueryOptions = {perspective: 'drafts', canRead: everyone}

/** The lake's answer and plain groq-js's on the same view, for one query. */
async function both(
  store: LakeStore,
  query: string,
  perspective: Perspective,
  params: Record<string, unknown> = {},
): Promise<{lake: unknown; groq: unknown}> {
  const dataset = referenceDataset([...store.allDocuments()], perspective)
  const groq = await plainGroq(query, params, dataset)
  const {result} = await store.queryAsync(query, params, {perspective, canRead: everyone})
  return {lake: result, groq}
}

describe('index and memo keys are built from path segments', () => {
  let lake: TempLake
  beforeAll(async () => {
    lake = tempLake()
    // Weak: such an id can never exist, and a strong reference to it would be refused.
    await lake.store.mutate(
      [
        {create: {_id: 'literal', _type: 'page', 'slug.current': 'a'}},
        {create: {_id: 'nested', _type: 'page', slug: {current: 'b'}}},
      ],
      admin,
    )
  })
  afterAll(() => lake.cleanup())

  it('a key holding a dot is not the nested path of the same spelling', async () => {
    for (let round = 0; round < 2; round++) {
      // Twice: the second round is answered from whatever the first one memoised.
      expect(lake.store.query('*[@["slug.current"] == "a"]._id', {}, raw).result).toEqual([
        'literal',
      ])
      expect(lake.store.query('*[@["slug.current"] == "b"]._id', {}, raw).result).toEqual([])
      expect(lake.store.query('*[slug.current == "a"]._id', {}, raw).result).toEqual([])
      expect(lake.store.query('*[slug.current == "b"]._id', {}, raw).result).toEqual(['nested'])
    }
  })

  it('also when the dotted key is a configured index', async () => {
    const configured = tempLake()
    configured.store.close()
    const {openLakeStore} = await import('../../server/store')
    configured.store = openLakeStore({dataDir: configured.dir, indexedFields: [['slug.current']]})
    try {
      await configured.store.mutate(
        [
          {create: {_id: 'literal', _type: 'page', 'slug.current': 'a'}},
          {create: {_id: 'nested', _type: 'page', slug: {current: 'b'}}},
        ],
        admin,
      )
      const q = (query: string) => configured.store.query(query, {}, raw).result
      expect(q('*[@["slug.current"] in ["a", "b"]]._id')).toEqual(['literal'])
      expect(q('*[slug.current in ["a", "b"]]._id')).toEqual(['nested'])
      expect(q('*[@["slug.current"] == "a" && slug.current == "b"]._id')).toEqual([])
      expect(configured.store.queryStats().indexedLookups).toMatchObject({
        '["slug.current"]': 2,
        '["slug","current"]': 2,
      })
    } finally {
      configured.cleanup()
    }
  })
})

describe('_originalId in the drafts perspective', () => {
  let lake: TempLake
  beforeAll(async () => {
    lake = tempLake()
    await lake.store.mutate(
      [
        {create: {_id: 'x', _type: 'page', title: 'published only'}},
        {create: {_id: 'y', _type: 'page', title: 'published'}},
        {create: {_id: 'drafts.y', _type: 'page', title: 'draft'}},
        {create: {_id: 'drafts.z', _type: 'page', title: 'draft only'}},
      ],
      admin,
    )
  })
  afterAll(() => lake.cleanup())

  const queries = [
    '*[_originalId == "x"]._id',
    '*[_originalId == "y"]._id',
    '*[_originalId == "drafts.y"]._id',
    '*[_originalId == "drafts.z"]._id',
    '*[_originalId == "drafts.x"]._id',
    '*[_originalId in ["x", "drafts.y", "drafts.z", "y"]]._id',
    '*[_type == "page" && _originalId == $id]{_id, title}',
  ]

  it('matches the view, not the stored documents, before and after a commit', async () => {
    const check = async () => {
      for (const query of queries) {
        const {lake: answer, groq} = await both(lake.store, query, 'drafts', {id: 'drafts.y'})
        expect(answer, query).toEqual(groq)
      }
    }
    expect(lake.store.query('*[_originalId == "x"]._id', {}, drafts).result).toEqual(['x'])
    await check()
    await lake.store.mutate(
      [{delete: {id: 'drafts.y'}}, {create: {_id: 'drafts.x', _type: 'page'}}],
      admin,
    )
    expect(lake.store.query('*[_originalId == "y"]._id', {}, drafts).result).toEqual(['y'])
    expect(lake.store.query('*[_originalId == "x"]._id', {}, drafts).result).toEqual([])
    await check()
  })
})

describe('ids with two prefixes are refused at write', () => {
  let lake: TempLake
  beforeAll(() => {
    lake = tempLake()
  })
  afterAll(() => lake.cleanup())

  for (const id of [
    'drafts.drafts.x',
    'drafts.versions.r.x',
    'versions.r.drafts.x',
    'versions.r.versions.s.x',
    'versions.r',
  ]) {
    it(`refuses ${id} with a 400 naming it, and stores nothing`, async () => {
      for (const mutation of [
        {create: {_id: id, _type: 'page'}},
        {createOrReplace: {_id: id, _type: 'page'}},
        {createIfNotExists: {_id: id, _type: 'page'}},
      ]) {
        const error = await lakeError(() => lake.store.mutate([mutation], admin))
        expect(error.statusCode).toBe(400)
        expect(error.message).toContain(`"${id}"`)
        expect(error.details).toMatchObject({
          items: [{error: {type: 'invalidDocumentIdError', id}}],
        })
      }
      expect([...lake.store.allDocuments()]).toEqual([])
    })
  }

  it('still accepts one prefix (drafts.x, versions.r.x) and plain dotted ids', async () => {
    await lake.store.mutate(
      [
        {create: {_id: 'drafts.a', _type: 'page'}},
        {create: {_id: 'versions.r.a', _type: 'page'}},
        {create: {_id: 'feedback.a', _type: 'page'}},
        {create: {_id: 'drafts.feedback.a', _type: 'page'}},
      ],
      admin,
    )
    expect([...lake.store.allDocuments()].map((doc) => doc._id)).toEqual([
      'drafts.a',
      'drafts.feedback.a',
      'feedback.a',
      'versions.r.a',
    ])
  })
})

describe('content that would break queries for others', () => {
  let lake: TempLake
  beforeAll(async () => {
    lake = tempLake()
    await lake.store.mutate([{create: {_id: 'ok', _type: 'page', title: 'fine'}}], admin)
  })
  afterAll(() => lake.cleanup())

  it('refuses a hasOwnProperty key anywhere in a document, naming where, and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{_id: 'bad', _type: 'page', hasOwnProperty: 'x'}, 'hasOwnProperty'],
      [{_id: 'bad', _type: 'page', meta: {hasOwnProperty: 1}}, 'meta.hasOwnProperty'],
      [
        {_id: 'bad', _type: 'page', body: [{}, {a: {hasOwnProperty: null}}]},
        'body[1].a.hasOwnProperty',
      ],
    ]
    for (const [doc, where] of cases) {
      const error = await lakeError(() =>
        lake.store.mutate([{createOrReplace: doc as {_id: string; _type: string}}], admin),
      )
      expect(error.statusCode).toBe(400)
      expect(error.message).toContain(where)
    }
    const patched = await lakeError(() =>
      lake.store.mutate([{patch: {id: 'ok', set: {'meta.hasOwnProperty': 'x'}}}], admin),
    )
    expect(patched.statusCode).toBe(400)
    expect(lake.store.query('*._id', {}, raw).result).toEqual(['ok'])
    expect(lake.store.query('*[title == "fine"]{title, meta}', {}, raw).result).toEqual([
      {title: 'fine', meta: null},
    ])
  })
})

describe('no internal key is reachable from user data', () => {
  let lake: TempLake
  beforeAll(async () => {
    lake = tempLake()
    await lake.store.mutate(
      [
        {create: {_id: 'victim', _type: 'secret', words: ['hidden', 'words']}},
        {create: {_id: 'attacker', _type: 'page', link: {_ref: '\u0000text:victim', _weak: true}}},
        {create: {_id: 'prober', _type: 'page', link: {_ref: '\u0000subquery:0', _weak: true}}},
      ],
      admin,
    )
  })
  afterAll(() => lake.cleanup())

  it('a _ref starting with NUL dereferences to nothing, also beside text::query', async () => {
    for (const query of [
      '*[_id == "attacker"][0].link->',
      '*[_id == "prober"][0].link->',
      '*[_type == "page"]{_id, "l": link->, "n": count(*[_type == "secret"])}',
    ]) {
      const {lake: answer, groq} = await both(lake.store, query, 'raw')
      expect(answer, query).toEqual(groq)
    }
    // Plain groq-js has no text::query(): the lake's own rewrite is what is checked here.
    expect(
      lake.store.query('*[@ match text::query("hidden")]{_id, "l": link->}', {}, raw).result,
    ).toEqual([{_id: 'victim', l: null}])
    expect(lake.store.query('*[_id == "attacker"][0].link->', {}, raw).result).toBeNull()
  })
})

describe('subqueries that do not depend on the row are evaluated once per query', () => {
  let lake: TempLake
  beforeAll(async () => {
    lake = tempLake()
    const docs = []
    // Small: plain groq-js, the reference, runs the nested query in cubic time.
    for (let i = 0; i < 16; i++) {
      docs.push({create: {_id: `org-${i}`, _type: 'organisation', rank: i % 4}})
      docs.push({create: {_id: `page-${i}`, _type: 'page', org: {_ref: `org-${i % 7}`}, n: i}})
    }
    await lake.store.mutate(docs, admin)
  })
  afterAll(() => lake.cleanup())

  const evaluations = () => lake.store.queryStats().subqueryEvaluations

  it('*[_id in *[_id in *[_type=="organisation"]._id]._id]: two subqueries, each once', async () => {
    const query = '*[_id in *[_id in *[_type == "organisation" && rank > 1]._id]._id]._id'
    const before = evaluations()
    const {lake: answer, groq} = await both(lake.store, query, 'raw')
    expect(answer).toEqual(groq)
    expect(answer).toHaveLength(8)
    expect(evaluations() - before).toBe(2)
    // Three times the rows, the same two evaluations.
    await lake.store.mutate(
      Array.from({length: 80}, (_, i) => ({create: {_id: `more-${i}`, _type: 'page', n: i}})),
      admin,
    )
    const again = evaluations()
    expect(lake.store.query(query, {}, raw).result).toEqual(answer)
    expect(evaluations() - again).toBe(2)
  })

  it('in projections too, and a subquery no row reaches costs nothing', async () => {
    const before = evaluations()
    const query =
      '*[_type == "page" && n < 5]{_id, "top": *[_type == "organisation" && rank == 3] | order(_id desc)[0]._id, "never": select(false => *[rank > 100])}'
    const {lake: answer, groq} = await both(lake.store, query, 'raw')
    expect(answer).toEqual(groq)
    expect(evaluations() - before).toBe(1)
  })

  it('leaves subqueries that read ^ per row, and still equals groq-js', async () => {
    const before = evaluations()
    for (const query of [
      '*[_type == "page" && n < 3]{_id, "org": *[_id == ^.org._ref][0]._id}',
      '*[_type == "organisation" && count(*[_type == "page" && org._ref == ^._id]) > 5]._id',
      '*[_type == "page" && n < 2]{"x": *[_type == "organisation" && rank == 1]{_id, "p": *[org._ref == ^._id]._id}}',
    ]) {
      const {lake: answer, groq} = await both(lake.store, query, 'raw')
      expect(answer, query).toEqual(groq)
    }
    // Only the third query's middle subquery is row-independent (its inner one reads ^).
    expect(evaluations() - before).toBe(1)
  })
})

describe('functions only groq-js async evaluate implements', () => {
  let lake: TempLake
  beforeAll(() => {
    lake = tempLake()
  })
  afterAll(() => lake.cleanup())

  it('diff::changedAny and diff::changedOnly fall back to the async evaluator', async () => {
    for (const query of [
      'diff::changedAny({"a": 1}, {"a": 2}, (a))',
      'diff::changedAny({"a": 1, "b": 1}, {"a": 1, "b": 2}, (a))',
      'diff::changedOnly({"a": 1, "b": 2}, {"a": 1, "b": 3}, (b))',
    ]) {
      const {lake: answer, groq} = await both(lake.store, query, 'raw')
      expect(answer, query).toEqual(groq)
    }
    // The synchronous API names what is wrong instead of groq-js's internals.
    const error = await lakeError(() => lake.store.query('diff::changedAny({}, {}, (a))', {}, raw))
    expect(error.statusCode).toBe(400)
    expect(error.message).toContain('asynchronous')
  })
})

describe('adaptive indexes are earned by measured cost, never first-come', () => {
  const docs = (n: number): StoredDocument[] =>
    Array.from({length: n}, (_, i) => ({
      _id: `d${String(i).padStart(3, '0')}`,
      _type: 'd',
      _rev: 'r',
      _createdAt: '',
      _updatedAt: '',
      status: i % 3 === 0 ? 'new' : 'old',
    }))

  it('builds an index once the scans reach BUILD_COST_FACTOR datasets, not before', () => {
    const mirror = new DocumentMirror(docs(50))
    for (let i = 1; i < BUILD_COST_FACTOR; i++) mirror.noteUnindexed(['junk'], 50)
    expect(mirror.hasIndex(['junk'])).toBe(false)
    mirror.noteUnindexed(['junk'], 50)
    expect(mirror.hasIndex(['junk'])).toBe(true)
    expect(mirror.lookup(['junk'], 'x')).toEqual([])
  })

  it('keeps at most MAX_ADAPTIVE_INDEXES, and never evicts a configured one', () => {
    const mirror = new DocumentMirror(docs(10), {indexedFields: [['status']]})
    const earn = (name: string, times: number) => {
      for (let i = 0; i < times; i++) mirror.noteUnindexed([name], 10)
    }
    for (let i = 0; i < MAX_ADAPTIVE_INDEXES; i++) earn(`f${i}`, BUILD_COST_FACTOR)
    const adaptive = () =>
      Array.from({length: MAX_ADAPTIVE_INDEXES + 1}, (_, i) => `f${i}`).filter((name) =>
        mirror.hasIndex([name]),
      )
    expect(adaptive()).toHaveLength(MAX_ADAPTIVE_INDEXES)
    // One past the limit, with the same demand as the others: not worth an eviction.
    earn(`f${MAX_ADAPTIVE_INDEXES}`, BUILD_COST_FACTOR)
    expect(mirror.hasIndex([`f${MAX_ADAPTIVE_INDEXES}`])).toBe(false)
    // Far more demand: it takes the place of one adaptive index, never of `status` or `_type`.
    earn(`f${MAX_ADAPTIVE_INDEXES}`, BUILD_COST_FACTOR * 10)
    expect(mirror.hasIndex([`f${MAX_ADAPTIVE_INDEXES}`])).toBe(true)
    expect(adaptive()).toHaveLength(MAX_ADAPTIVE_INDEXES)
    expect(mirror.hasIndex(['status'])).toBe(true)
    expect(mirror.hasIndex(['_type'])).toBe(true)
    expect(mirror.hasIndex(['slug', 'current'])).toBe(true)
  })

  it('evicts an adaptive index only for more than EVICT_MARGIN times its demand', () => {
    const mirror = new DocumentMirror(docs(10))
    const threshold = BUILD_COST_FACTOR * 10
    for (let i = 0; i < MAX_ADAPTIVE_INDEXES; i++) mirror.noteUnindexed([`f${i}`], threshold)
    mirror.noteUnindexed(['newcomer'], EVICT_MARGIN * threshold)
    expect(mirror.hasIndex(['newcomer'])).toBe(false)
    mirror.noteUnindexed(['newcomer'], 1)
    expect(mirror.hasIndex(['newcomer'])).toBe(true)
    expect(mirror.hasIndex(['f0'])).toBe(false)
  })

  it('halves demand every DEMAND_HALF_LIFE queries', () => {
    const mirror = new DocumentMirror(docs(10))
    const threshold = BUILD_COST_FACTOR * 10
    mirror.noteUnindexed(['h'], threshold / 2)
    for (let i = 0; i < DEMAND_HALF_LIFE; i++) mirror.noteQuery()
    // Half of threshold / 2 is left: a quarter of the threshold short, then just enough.
    mirror.noteUnindexed(['h'], threshold * 0.75 - 0.5)
    expect(mirror.hasIndex(['h'])).toBe(false)
    mirror.noteUnindexed(['h'], 0.5)
    expect(mirror.hasIndex(['h'])).toBe(true)
  })

  it('remembers at most MAX_TRACKED_PATHS paths of demand', () => {
    const mirror = new DocumentMirror(docs(10))
    const threshold = BUILD_COST_FACTOR * 10
    // Exactly MAX_TRACKED_PATHS paths, one document each: all remembered, j0 included.
    for (let i = 0; i < MAX_TRACKED_PATHS; i++) mirror.noteUnindexed([`j${i}`], 1)
    mirror.noteUnindexed(['j0'], threshold - 0.5)
    expect(mirror.hasIndex(['j0'])).toBe(true)
    // One path past the table: the least-demanded path (j1, the oldest) is forgotten...
    mirror.noteUnindexed([`j${MAX_TRACKED_PATHS}`], 1)
    mirror.noteUnindexed(['j1'], threshold - 0.5)
    expect(mirror.hasIndex(['j1'])).toBe(false)
    // ...while the others still add up.
    mirror.noteUnindexed(['j3'], threshold - 0.5)
    expect(mirror.hasIndex(['j3'])).toBe(true)
  })
})

describe('over HTTP, through @sanity/client', () => {
  let lake: TestLake
  let client: SanityClient
  let anonymous: SanityClient
  beforeAll(async () => {
    lake = await startTestLake({indexedFields: [['status']]})
    client = lake.client()
    anonymous = lake.client({token: null, perspective: 'published'})
    await client.mutate(
      Array.from({length: 60}, (_, i) => ({
        create: {
          _id: `fb-${i}`,
          _type: 'report',
          status: ['new', 'triaged', 'closed'][i % 3],
          [`junk${i % 30}`]: i,
        },
      })),
    )
  })
  afterAll(() => lake.close())

  it('keeps a GET parameter named $__proto__, as a POST body does', async () => {
    const params = JSON.parse('{"__proto__": "kept", "other": 1}') as Record<string, unknown>
    expect(await client.fetch('[$__proto__, $other]', params)).toEqual(['kept', 1])
    const get = await lakeFetch(
      lake,
      `/v2025-02-19/data/query/production?query=${encodeURIComponent('$__proto__')}&%24__proto__=%22kept%22`,
      {token: lake.adminToken},
    )
    expect(get.json()).toMatchObject({result: 'kept'})
  })

  it('answers diff::changedAny (async-only in groq-js) instead of a 400', async () => {
    expect(await client.fetch('diff::changedAny($a, $b, (x))', {a: {x: 1}, b: {x: 2}})).toBe(true)
  })

  it('refuses a drafts.drafts id and a hasOwnProperty key with 400', async () => {
    await expect(client.create({_id: 'drafts.drafts.x', _type: 'report'})).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('drafts.drafts.x'),
    })
    await expect(
      client.create({_id: 'fine', _type: 'report', hasOwnProperty: 'x'}),
    ).rejects.toMatchObject({statusCode: 400, message: expect.stringContaining('hasOwnProperty')})
    expect(await client.fetch('count(*[_id in ["drafts.drafts.x", "fine"]])')).toBe(0)
  })

  it('30 anonymous junk-field queries leave the configured status filter indexed', async () => {
    for (let i = 0; i < 30; i++) {
      await anonymous.fetch(`*[junk${i} == $v]._id`, {v: i})
    }
    const before = lake.store.queryStats().indexedLookups['["status"]'] ?? 0
    const answer = await client.fetch<string[]>('*[status == $s]._id', {s: 'triaged'})
    expect(answer).toHaveLength(20)
    expect(lake.store.queryStats().indexedLookups['["status"]']).toBe(before + 1)
    // No junk field earned an index from a single query each.
    expect(
      Object.keys(lake.store.queryStats().indexedLookups).filter((key) => key.includes('junk')),
    ).toEqual([])
  })
})
