/**
 * The mirror's chunked sorted id lists (`server/store/sorted.ts`) against the obvious model, a
 * set sorted afresh, through enough inserts and removals to split and empty chunks.
 */
import {describe, expect, it} from 'vitest'

import {prng} from '../../bench/generate'
import {SortedIdList} from '../../server/store/sorted'

const sorted = (values: Iterable<string>) =>
  [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

describe('SortedIdList', () => {
  it('matches a re-sorted set through random inserts and removals', () => {
    const random = prng(3)
    const id = () => `feedback.${Math.floor(random() * 6000)}`
    const initial = new Set(Array.from({length: 1500}, id))
    const list = new SortedIdList(sorted(initial))
    const model = new Set(initial)
    for (let step = 0; step < 20_000; step++) {
      const value = id()
      // Removals lag behind inserts at first (chunks split), then catch up (chunks empty).
      if (random() < (step < 10_000 ? 0.3 : 0.7)) {
        list.remove(value)
        model.delete(value)
      } else {
        list.insert(value)
        model.add(value)
      }
      if (step % 997 === 0) expect(list.toArray()).toEqual(sorted(model))
    }
    expect(list.toArray()).toEqual(sorted(model))
    expect(list.length).toBe(model.size)
    for (const prefix of ['feedback.1', 'feedback.59', 'feedback.x', 'a', 'feedback.']) {
      expect(list.withPrefix(prefix), prefix).toEqual(
        sorted(model).filter((v) => v.startsWith(prefix)),
      )
    }
  })

  it('ignores inserting what is there and removing what is not, and can empty', () => {
    const list = new SortedIdList(['b', 'd'])
    list.insert('b')
    list.remove('c')
    list.insert('a')
    list.insert('e')
    expect(list.toArray()).toEqual(['a', 'b', 'd', 'e'])
    for (const value of ['a', 'b', 'd', 'e']) list.remove(value)
    expect(list.toArray()).toEqual([])
    expect(list.length).toBe(0)
    list.insert('z')
    expect(list.toArray()).toEqual(['z'])
  })

  it('hands out the same array until the list changes', () => {
    const list = new SortedIdList(['a', 'c'])
    const first = list.toArray()
    expect(list.toArray()).toBe(first)
    list.insert('b')
    expect(list.toArray()).not.toBe(first)
    expect(first).toEqual(['a', 'c'])
  })
})
