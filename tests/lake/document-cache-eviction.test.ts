/**
 * Which parsed documents the bounded cache keeps (`server/store/documentCache.ts`): a document
 * read since eviction last passed it gets a second chance; one nobody read goes first. The rows
 * are a plain table here so that every read from "disk" can be counted.
 */
import {describe, expect, it} from 'vitest'

import {DocumentCache, type DocumentRows} from '../../server/store/documentCache'
import type {StoredDocument} from '../../server/store/types'

function table(ids: string[]): DocumentRows & {reads: string[]} {
  const docs = new Map(
    ids.map((id) => [id, {_id: id, _type: 'page', _rev: 'r', _createdAt: '', _updatedAt: ''}]),
  )
  const reads: string[] = []
  return {
    reads,
    read(id) {
      reads.push(id)
      return docs.get(id) as StoredDocument | undefined
    },
    readMany(wanted) {
      reads.push(...wanted)
      return wanted.flatMap((id) => (docs.has(id) ? [docs.get(id) as StoredDocument] : []))
    },
  }
}

const served = () => true

describe('the document cache', () => {
  it('evicts the oldest document nobody read again, and keeps one that was read', () => {
    const rows = table(['a', 'b', 'c', 'd'])
    const cache = new DocumentCache(rows, 3)
    for (const id of ['a', 'b', 'c']) cache.get(id, served)
    expect(rows.reads).toEqual(['a', 'b', 'c'])
    cache.get('a', served) // read again: a second chance
    cache.get('d', served) // full: b, the oldest not read again, goes
    rows.reads.length = 0
    for (const id of ['a', 'c', 'd']) expect(cache.get(id, served)?._id).toBe(id)
    expect(rows.reads).toEqual([])
    expect(cache.get('b', served)?._id).toBe('b')
    expect(rows.reads).toEqual(['b'])
  })

  it('still evicts when every document was read again (each loses its mark once)', () => {
    const rows = table(['a', 'b', 'c', 'd'])
    const cache = new DocumentCache(rows, 3)
    for (const id of ['a', 'b', 'c', 'a', 'b', 'c', 'd']) cache.get(id, served)
    rows.reads.length = 0
    // The one just read stays; the oldest of the others made room for it.
    for (const id of ['d', 'b', 'c']) cache.get(id, served)
    expect(rows.reads).toEqual([])
    cache.get('a', served)
    expect(rows.reads).toEqual(['a'])
  })

  it('reads a scan larger than a quarter of it from the rows without filling it', () => {
    const ids = Array.from({length: 20}, (_, i) => `p${i}`)
    const rows = table(ids)
    const cache = new DocumentCache(rows, 8)
    cache.get('p0', served)
    expect(cache.getMany(ids).map((doc) => doc?._id)).toEqual(ids)
    rows.reads.length = 0
    cache.get('p0', served)
    cache.get('p5', served)
    expect(rows.reads).toEqual(['p5'])
  })
})
