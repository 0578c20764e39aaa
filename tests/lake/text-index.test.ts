/**
 * The text index (`server/store/textIndex.ts`) only prefilters `match`: these tests prove the
 * planner's answers equal plain groq-js, which scans every document, over a seeded random corpus
 * whose words collide in case, punctuation, dots and non-ASCII letters, in every perspective, and
 * again after random patches, replacements and deletes (the index is kept by the commit path).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {openLakeStore} from '../../server/store'
import {matchTokens, patternTerms, TextIndex, termRegex} from '../../server/store/textIndex'
import type {
  DocumentInput,
  LakeStore,
  Mutation,
  Perspective,
  StoredDocument,
} from '../../server/store/types'
import {admin, everyone} from '../fixtures/groq/temp-lake'
import {plainGroq, referenceDataset} from '../helpers/groqReference'

function prng(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
}

const WORDS = [
  'cardiac',
  'Cardiac',
  'CARDIOLOGY',
  'physiology',
  'physiologist',
  'Physiol',
  'echo',
  'echo-cardiography',
  'a.b',
  'axb',
  'end.',
  '.net',
  'Ärzte',
  'ärzte',
  'straße',
  'STRASSE',
  'ıi',
  'naïve',
  'x_y',
  "o'neil",
  'café',
  '42',
  'v2.1',
  '日本',
  'training',
  'route',
]
const TYPES = ['page', 'programme', 'role']

function sentence(random: () => number): string {
  const n = 1 + Math.floor(random() * 5)
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(random() * WORDS.length)] as string)
  return out.join(random() < 0.5 ? ' ' : random() < 0.5 ? ', ' : '/')
}

function randomDoc(random: () => number, id: string): DocumentInput & {_id: string} {
  const doc: DocumentInput & {_id: string} = {
    _id: id,
    _type: TYPES[Math.floor(random() * TYPES.length)] as string,
  }
  if (random() < 0.8) doc['title'] = sentence(random)
  if (random() < 0.5) doc['summary'] = sentence(random)
  if (random() < 0.4) {
    doc['body'] = [
      {_type: 'block', _key: 'k1', children: [{_type: 'span', _key: 's1', text: sentence(random)}]},
      {_type: 'note', _key: 'k2', items: [sentence(random), 3, {deep: {deeper: sentence(random)}}]},
    ]
  }
  // Words under `_` keys are invisible to text::query's `@`.
  if (random() < 0.3) doc['_hidden'] = sentence(random)
  if (random() < 0.3) doc['slug'] = {_type: 'slug', current: sentence(random).replace(/\s/g, '-')}
  if (random() < 0.2) doc['tags'] = [sentence(random), sentence(random)]
  if (random() < 0.15) {
    // Weak references (they may dangle); groq-js's references() does not look inside a reference.
    const target = ['cardiac', 'echo', 'route'][Math.floor(random() * 3)] as string
    doc['related'] = {
      _type: 'reference',
      _ref: target,
      _weak: true,
      note: {_type: 'reference', _ref: 'physiology', _weak: true},
    }
  }
  return doc
}

const ID_WORDS = ['cardiac', 'echo', 'route', 'page', 'x']

function randomId(random: () => number, i: number): string {
  const base = `${ID_WORDS[Math.floor(random() * ID_WORDS.length)]}-${i}`
  return random() < 0.25 ? `drafts.${base}` : base
}

const SEARCHES = [
  'cardiac',
  'cardiac*',
  'CARD*',
  'physiolog*',
  'cardiac physiology*',
  '"cardiac physiology"',
  'echo -cardiac',
  '-echo',
  'a.b',
  'a*b',
  '*iology',
  '*',
  'ärzte',
  'STRAßE',
  'strasse',
  'I',
  'end',
  'net',
  'x_y',
  "o'neil",
  'café caf*',
  '42 v2*',
  '日本',
  'drafts*',
  'draftscardiac*',
  'route-1*',
  'nothing-like-this',
  '!!!',
  'e*o r*e',
]

/** `L match text::query(q)` in plain groq-js: positive terms together, each negation apart. */
function referenceTextMatch(left: string, q: string): string {
  const positive: string[] = []
  const negative: string[] = []
  for (const m of q.matchAll(/(-?)"([^"]*)"|(-?)(\S+)/g)) {
    const term = (m[2] ?? m[4] ?? '').trim()
    if (!term) continue
    ;((m[1] ?? m[3]) === '-' ? negative : positive).push(term)
  }
  const kept = positive.filter((t) => !/^\*+$/.test(t))
  if (kept.length === 0 && negative.length === 0) return positive.length > 0 ? 'true' : 'false'
  return [
    ...(kept.length ? [`${left} match ${JSON.stringify(kept)}`] : []),
    ...negative.map((t) => `!(${left} match ${JSON.stringify(t)})`),
  ].join(' && ')
}

interface Case {
  lake: string
  groq: string
  params: Record<string, unknown>
}

function cases(random: () => number): Case[] {
  const out: Case[] = []
  const studio = (q: string, types: string[]): Case => ({
    // The Studio's list search (bench/queries.ts), with a type list.
    lake: `*[_type in $t && ([@, _id] match text::query($q) || references($raw))] {_id, _type, "o": [_updatedAt]} | order(o[0] desc, _id) [0...50]`,
    groq: `*[_type in $t && ((${referenceTextMatch('[...__text, _id]', q)}) || references($raw))] {_id, _type, "o": [_updatedAt]} | order(o[0] desc, _id) [0...50]`,
    params: {t: types, q, raw: q},
  })
  for (const q of SEARCHES) {
    // The Studio's own ordering (one projected field, ties in dataset order), a later page.
    out.push({
      lake: `*[_type in $t && ([@, _id] match text::query($q) || references($raw))] {_type, _id, _originalId, "orderings": [title, _updatedAt]} | order(orderings[0] desc, orderings[1]) [2..7]`,
      groq: `*[_type in $t && ((${referenceTextMatch('[...__text, _id]', q)}) || references($raw))] {_type, _id, _originalId, "orderings": [title, _updatedAt]} | order(orderings[0] desc, orderings[1]) [2..7]`,
      params: {t: TYPES, q, raw: q},
    })
    // The Studio's global search: an unplanned conjunct beside the text, ordered by `_id`.
    out.push({
      lake: `*[_type in $t && !(_id in path("versions.**")) && ([@, _id] match text::query($q) || references($raw))] | order(_id asc) [0...20] {_type, _id, _originalId}`,
      groq: `*[_type in $t && !(_id in path("versions.**")) && ((${referenceTextMatch('[...__text, _id]', q)}) || references($raw))] | order(_id asc) [0...20] {_type, _id, _originalId}`,
      params: {t: TYPES, q, raw: q},
    })
    out.push(studio(q, ['page']))
    out.push(studio(q, TYPES))
    // Other orders and slices of the searches `textPage.ts` pages, and the references beside them.
    out.push({
      lake: `*[_type == "page" && @ match text::query($q)] | order(_updatedAt asc) [1...9] {_id, _updatedAt}`,
      groq: `*[_type == "page" && ${referenceTextMatch('__text', q)}] | order(_updatedAt asc) [1...9] {_id, _updatedAt}`,
      params: {q},
    })
    out.push({
      lake: `*[_type in $t && ([_id, @] match text::query($q) || references($raw))] | order(_id desc) [0..10] {_id}`,
      groq: `*[_type in $t && ((${referenceTextMatch('[_id, ...__text]', q)}) || references($raw))] | order(_id desc) [0..10] {_id}`,
      params: {t: ['page', 'role'], q, raw: ['physiology', 'echo']},
    })
    out.push({
      lake: `*[!(_id in path($glob)) && @ match text::query($q)]._id`,
      groq: `*[!(_id in path($glob)) && ${referenceTextMatch('__text', q)}]._id`,
      params: {q, glob: random() < 0.5 ? 'drafts.**' : 'echo-*'},
    })
    out.push({
      lake: `*[@ match text::query($q)]._id`,
      groq: `*[${referenceTextMatch('__text', q)}]._id`,
      params: {q},
    })
  }
  // Plain `match` on attribute paths, which the index prefilters too.
  for (let i = 0; i < 60; i++) {
    const pattern =
      random() < 0.3
        ? [sentence(random), SEARCHES[Math.floor(random() * SEARCHES.length)] as string]
        : (SEARCHES[Math.floor(random() * SEARCHES.length)] as string)
    const left = [
      'title',
      '[title, summary]',
      'slug.current',
      '_id',
      '[title, _id]',
      'tags',
      'body',
    ][Math.floor(random() * 7)] as string
    const query = `*[${left} match $p && _type != "role"]._id`
    out.push({lake: query, groq: query, params: {p: pattern}})
  }
  return out
}

function withText(docs: Record<string, unknown>[]): Record<string, unknown>[] {
  return docs.map((doc) => ({...doc, __text: strings(doc)}))
}

/** Every string outside `_` keys: what text::query's `@` reads, written independently here. */
function strings(doc: unknown): string[] {
  const out: string[] = []
  const stack: unknown[] = [doc]
  while (stack.length > 0) {
    const value = stack.shift()
    if (typeof value === 'string') out.push(value)
    else if (Array.isArray(value)) stack.unshift(...(value as unknown[]))
    else if (value !== null && typeof value === 'object') {
      stack.unshift(
        ...Object.entries(value)
          .filter(([key]) => !key.startsWith('_'))
          .map(([, child]) => child as unknown),
      )
    }
  }
  return out
}

/** A lake on a real SQLite file, reopened as a restart would. */
interface Lake {
  dir: string
  store: LakeStore
  reopen(): void
}

function openLake(dir: string, documentCacheSize: number | undefined): Lake {
  const lake: Lake = {
    dir,
    store: openLakeStore({dataDir: dir, documentCacheSize}),
    reopen() {
      lake.store.close()
      lake.store = openLakeStore({dataDir: dir, documentCacheSize})
    },
  }
  return lake
}

/** Lets the background build run (a few ms per turn of the event loop) until the index is ready. */
async function textIndexReady(store: LakeStore): Promise<void> {
  for (let turn = 0; !store.queryStats().textIndex.ready; turn++) {
    if (turn > 100_000) throw new Error('the text index never became ready')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

/** A reader who may not see some documents: a page of a search passes over them. */
const notEcho = (id: string): boolean => !id.includes('echo')

async function checkAll(store: LakeStore, label: string): Promise<void> {
  const readers: [Perspective, (id: string) => boolean][] = [
    ['raw', everyone],
    ['published', everyone],
    ['drafts', everyone],
    ['raw', notEcho],
  ]
  const all = cases(prng(label.length))
  for (const [perspective, canRead] of readers) {
    const stored: StoredDocument[] = [...store.allDocuments()]
    const dataset = withText(referenceDataset(stored, perspective, canRead))
    let nonEmpty = 0
    for (const [i, c] of all.entries()) {
      const expected = await plainGroq(c.groq, c.params, dataset)
      const actual = store.query(c.lake, c.params, {
        perspective,
        canRead,
        accessKey: canRead === everyone ? 'everyone' : 'not echo',
        identity: 'p-admin',
      }).result
      expect(actual, `${label} ${perspective} #${i} ${c.lake} ${JSON.stringify(c.params)}`).toEqual(
        expected,
      )
      if (Array.isArray(expected) && expected.length > 0) nonEmpty++
    }
    // Answers that are all empty would prove nothing.
    expect(nonEmpty).toBeGreaterThan(all.length / 3)
  }
}

/** Random patches, replacements, creations and deletes, one transaction each; the ids written. */
async function randomWrites(
  store: LakeStore,
  random: () => number,
  round: number,
): Promise<Set<string>> {
  const ids = [...store.allDocuments()].map((doc) => doc._id)
  const written = new Set<string>()
  for (let i = 0; i < 60; i++) {
    const id = ids[Math.floor(random() * ids.length)] as string
    const kind = random()
    let mutation: Mutation
    if (kind < 0.35) mutation = {patch: {id, set: {title: sentence(random)}}}
    else if (kind < 0.5) mutation = {patch: {id, unset: ['title', 'summary']}}
    else if (kind < 0.7) mutation = {createOrReplace: randomDoc(random, id)}
    else if (kind < 0.85) mutation = {delete: {id}}
    else mutation = {createOrReplace: randomDoc(random, randomId(random, 1000 + round * 100 + i))}
    // One transaction per mutation: a delete may name a document an earlier one removed.
    try {
      const result = await store.mutate([mutation], admin)
      for (const item of result.results) written.add(item.id)
    } catch {
      // A patch of a document deleted earlier in the round: nothing changed.
    }
  }
  return written
}

// Every configuration runs the same corpus: with every body in memory, and with a document cache
// of a few dozen (the text index is then built in the background, bodies read from SQLite).
for (const documentCacheSize of [undefined, 40]) {
  const name = documentCacheSize
    ? `a document cache of ${documentCacheSize}`
    : 'every body in memory'
  describe(`text index with ${name}: match and text::query equal plain groq-js`, () => {
    let lake: Lake
    let tempDir: string
    const random = prng(16)
    beforeAll(async () => {
      tempDir = mkdtempSync(join(tmpdir(), 'lake-text-'))
      lake = openLake(tempDir, documentCacheSize)
      const docs = Array.from({length: 400}, (_, i) => randomDoc(random, randomId(random, i)))
      // Draft-and-published pairs, so the drafts perspective overlays some.
      for (let i = 0; i < 40; i++)
        docs.push(randomDoc(random, `drafts.${docs[i]?._id.replace(/^drafts\./, '')}`))
      const unique = new Map(docs.map((doc) => [doc._id, doc]))
      await lake.store.mutate(
        [...unique.values()].map((doc) => ({createOrReplace: doc})),
        admin,
      )
      if (documentCacheSize) {
        // Reopened without a saved text index: it is built in the background.
        lake.store.close()
        const db = new DatabaseSync(join(tempDir, 'lake.sqlite'))
        db.exec('DELETE FROM mirror_snapshot')
        db.close()
        lake.store = openLakeStore({dataDir: tempDir, documentCacheSize})
      }
    })
    afterAll(() => {
      lake.store.close()
      rmSync(tempDir, {recursive: true, force: true})
    })

    if (documentCacheSize) {
      it('answers by reading the documents while the index is being built', async () => {
        expect(lake.store.queryStats().textIndex.ready).toBe(false)
        // Synchronous: no turn of the event loop passes, so the build does not advance.
        await checkAll(lake.store, 'building')
        expect(lake.store.queryStats().textIndex.ready).toBe(false)
      }, 120_000)
    }

    it('over a random corpus, in every perspective', async () => {
      await textIndexReady(lake.store)
      await checkAll(lake.store, 'initial')
    }, 120_000)

    it('after random patches, replacements, creations and deletes', async () => {
      for (let round = 0; round < 3; round++) {
        await randomWrites(lake.store, random, round)
        await checkAll(lake.store, `round ${round}`)
      }
      // 180 durable commits and three full comparisons against groq-js: about a minute on a
      // machine others are using too, past the default timeout, which measures nothing here.
    }, 300_000)

    it('after a restart: the index comes back from the snapshot, ready', async () => {
      lake.reopen()
      expect(lake.store.queryStats().textIndex.ready).toBe(true)
      await checkAll(lake.store, 'restarted')
    }, 120_000)

    it('after a restart from an older snapshot, with the documents written since re-read', async () => {
      const older = readSnapshotRow(lake.dir)
      const written = await randomWrites(lake.store, random, 5)
      lake.store.close()
      // As after a crash: the older snapshot, and the ids written since it in changed_documents.
      const db = new DatabaseSync(join(lake.dir, 'lake.sqlite'))
      db.prepare('UPDATE mirror_snapshot SET data = ? WHERE id = 1').run(older)
      const mark = db.prepare(
        'INSERT INTO changed_documents (id) VALUES (?) ON CONFLICT DO NOTHING',
      )
      for (const id of written) mark.run(id)
      db.close()
      lake.store = openLakeStore({dataDir: lake.dir, documentCacheSize})
      expect(lake.store.queryStats().textIndex.ready).toBe(true)
      await checkAll(lake.store, 'older snapshot')
      // And kept by writes after such a start.
      await randomWrites(lake.store, random, 6)
      await checkAll(lake.store, 'older snapshot, written')
    }, 300_000)
  })
}

function readSnapshotRow(dir: string): Uint8Array {
  const db = new DatabaseSync(join(dir, 'lake.sqlite'))
  try {
    const row = db.prepare('SELECT data FROM mirror_snapshot WHERE id = 1').get() as
      {data: Uint8Array} | undefined
    if (!row) throw new Error('no snapshot saved')
    return row.data
  } finally {
    db.close()
  }
}

describe('text index structure', () => {
  it("indexes a word of millions of characters (groq-js's own tokenizer regex overflows there)", () => {
    const index = TextIndex.of([])
    const text = `${'a'.repeat(3_999_000)} cardiac`
    index.update('big', {_id: 'big', _type: 't', _rev: 'r', _createdAt: '', _updatedAt: '', text})
    expect(index.candidates(['cardiac'])).toEqual(['big'])
    expect(index.candidates(['aaa*'])).toEqual(['big'])
  })

  it('keeps postings compact: ordinals, not ids, and nothing left after a delete', () => {
    const doc = (id: string, title: string): StoredDocument => ({
      _id: id,
      _type: 't',
      _rev: 'r',
      _createdAt: '',
      _updatedAt: '',
      title,
    })
    const index = TextIndex.of([])
    index.update('a', doc('a', 'Cardiac echo'))
    index.update('b', doc('b', 'cardiac'))
    expect(index.candidates(['cardiac']).sort()).toEqual(['a', 'b'])
    expect(index.candidates(['ech*'])).toEqual(['a'])
    index.update('a', null)
    expect(index.candidates(['ech*'])).toEqual([])
    expect(index.candidates([])).toEqual([])
    // A snapshot compacts: dead ordinals and words no document holds any more are gone.
    index.update('b', doc('b', 'physiology'))
    const ids = ['b']
    const segment = index.compact(ids)?.segment
    expect(segment?.words).toEqual(['b', 'physiology'])
    expect([...(segment?.contentPostings ?? [])]).toEqual([0])
    expect(index.candidates(['physiology'])).toEqual(['b'])
    expect(index.candidates(['cardiac'])).toEqual([])
  })
})

describe('text index segments', () => {
  it('finds what a naive scan finds, over many segments, after updates and a compaction', () => {
    const random = prng(7)
    const doc = (id: string): StoredDocument => ({
      _id: id,
      _type: 't',
      _rev: 'r',
      _createdAt: '',
      _updatedAt: '',
      title: `${sentence(random)} ${Math.floor(random() * 5000)}`,
    })
    const docs = new Map<string, StoredDocument>()
    // More than one background segment (8,192 documents each) and one live one (2,048).
    for (let i = 0; i < 20_000; i++) {
      const id = randomId(random, i)
      docs.set(id, doc(id))
    }
    const index = TextIndex.of(docs.values())
    const naive = (terms: string[]): string[] => {
      const regexes = terms.map(termRegex)
      return [...docs.values()]
        .filter((d) => {
          const tokens = [
            ...strings(d).flatMap(matchTokens),
            ...matchTokens(d._id),
            ...matchTokens(d._id.replace(/^drafts\./, '')),
          ]
          return regexes.every((re) => tokens.some((token) => re.test(token)))
        })
        .map((d) => d._id)
        .sort()
    }
    const check = () => {
      for (const search of [...SEARCHES, '123', '4*', 'ech* 7*']) {
        const terms = patternTerms(search)
        expect(index.candidates(terms).sort(), search).toEqual(terms.length ? naive(terms) : [])
      }
    }
    check()
    const ids = [...docs.keys()]
    for (let i = 0; i < 3000; i++) {
      const id = ids[Math.floor(random() * ids.length)] as string
      if (random() < 0.2) {
        docs.delete(id)
        index.update(id, null)
      } else {
        const next = doc(id)
        docs.set(id, next)
        index.update(id, next)
      }
    }
    check()
    const sorted = [...docs.keys()].sort()
    index.compact(sorted)
    check()
  })
})
