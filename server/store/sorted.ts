/**
 * Sorted id lists. The mirror keeps every id list in `_id` order so the planner can hand groq-js
 * candidates in the same order as the full dataset without sorting per query.
 */

/** Index of the first element `>= value`. */
function lowerBound(list: readonly string[], value: string): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((list[mid] as string) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Largest chunk of a `SortedIdList` before it splits in two. */
const CHUNK_MAX = 1024

/**
 * A sorted list of ids kept in chunks, so an insert or removal moves at most one chunk rather
 * than every id after it: with 100,000 documents, splicing a flat array on each commit was the
 * largest cost of a write. Readers get a flat array (`toArray`), built on first use after a
 * change and shared until the next one.
 */
export class SortedIdList {
  private chunks: string[][] = []
  /** The last id of each chunk, to find a chunk by binary search. */
  private lasts: string[] = []
  private count = 0
  private flat: string[] | undefined

  /** `sorted` must be in ascending order, without duplicates. */
  constructor(sorted: readonly string[] = []) {
    for (let i = 0; i < sorted.length; i += CHUNK_MAX / 2) {
      const chunk = sorted.slice(i, i + CHUNK_MAX / 2)
      this.chunks.push(chunk)
      this.lasts.push(chunk[chunk.length - 1] as string)
    }
    this.count = sorted.length
  }

  get length(): number {
    return this.count
  }

  /** Adds `value` (a no-op when it is there already). */
  insert(value: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([value])
      this.lasts.push(value)
      this.count = 1
      this.flat = undefined
      return
    }
    // The first chunk whose last id is >= value, or the last chunk for a new largest id.
    const c = Math.min(lowerBound(this.lasts, value), this.chunks.length - 1)
    const chunk = this.chunks[c] as string[]
    const at = lowerBound(chunk, value)
    if (chunk[at] === value) return
    chunk.splice(at, 0, value)
    if (at === chunk.length - 1) this.lasts[c] = value
    this.count++
    this.flat = undefined
    if (chunk.length > CHUNK_MAX) {
      const upper = chunk.splice(chunk.length / 2)
      this.chunks.splice(c + 1, 0, upper)
      this.lasts.splice(c, 1, chunk[chunk.length - 1] as string, upper[upper.length - 1] as string)
    }
  }

  /** Whether `value` is in the list (two binary searches, no flat copy). */
  has(value: string): boolean {
    const chunk = this.chunks[lowerBound(this.lasts, value)]
    return chunk !== undefined && chunk[lowerBound(chunk, value)] === value
  }

  /** Removes `value` if it is there. */
  remove(value: string): void {
    const c = lowerBound(this.lasts, value)
    const chunk = this.chunks[c]
    if (!chunk) return
    const at = lowerBound(chunk, value)
    if (chunk[at] !== value) return
    chunk.splice(at, 1)
    this.count--
    this.flat = undefined
    if (chunk.length === 0) {
      this.chunks.splice(c, 1)
      this.lasts.splice(c, 1)
    } else if (at === chunk.length) {
      this.lasts[c] = chunk[chunk.length - 1] as string
    }
  }

  /** Every id in order; the same array until the list changes. Do not modify it. */
  toArray(): readonly string[] {
    this.flat ??= this.chunks.length === 1 ? [...(this.chunks[0] as string[])] : this.chunks.flat()
    return this.flat
  }

  /** The ids that start with `prefix`, in order. */
  withPrefix(prefix: string): string[] {
    const out: string[] = []
    const first = lowerBound(this.lasts, prefix)
    for (let c = first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as string[]
      for (let i = c === first ? lowerBound(chunk, prefix) : 0; i < chunk.length; i++) {
        const id = chunk[i] as string
        if (!id.startsWith(prefix)) return out
        out.push(id)
      }
    }
    return out
  }
}
