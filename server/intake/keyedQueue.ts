/**
 * Runs tasks one at a time per key. Duplicate detection reads recent reports on a path and then
 * writes: two identical reports arriving together would both see "no original" without this.
 * (Across several intake processes the window remains; a duplicate then stays "new", which is
 * harmless: a reviewer marks it.)
 */
export interface KeyedQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>
  /** Keys with work queued or running (tests check nothing leaks). */
  readonly size: number
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>()
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve()
      const result = previous.then(task, task)
      const tail = result.then(
        () => undefined,
        () => undefined,
      )
      tails.set(key, tail)
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return result
    },
    get size() {
      return tails.size
    },
  }
}
