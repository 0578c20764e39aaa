import {describe, expect, it} from 'vitest'

import {createKeyedQueue} from '../../server/intake/keyedQueue'

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('createKeyedQueue', () => {
  it('runs tasks for one key one after another, other keys alongside', async () => {
    const queue = createKeyedQueue()
    const log: string[] = []
    const task = (name: string) => async () => {
      log.push(`start ${name}`)
      await tick()
      log.push(`end ${name}`)
    }
    await Promise.all([
      queue.run('a', task('a1')),
      queue.run('a', task('a2')),
      queue.run('b', task('b1')),
    ])
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'))
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'))
    await tick()
    expect(queue.size).toBe(0)
  })
  it('keeps going after a failed task and passes its error to its caller', async () => {
    const queue = createKeyedQueue()
    const failed = queue.run('a', () => Promise.reject(new Error('boom')))
    const next = queue.run('a', () => Promise.resolve('ok'))
    await expect(failed).rejects.toThrow('boom')
    await expect(next).resolves.toBe('ok')
  })
})
