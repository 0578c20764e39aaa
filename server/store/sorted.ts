/**
 * Sorted string arrays with binary-search insert and remove. The mirror keeps every id list in
 * `_id` order so the planner can hand groq-js candidates in the same order as the full dataset
 * without sorting per query.
 */

/** Index of the first element `>= value`. */
export function lowerBound(list: readonly string[], value: string): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((list[mid] as string) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

export function sortedInsert(list: string[], value: string): void {
  const at = lowerBound(list, value)
  if (list[at] !== value) list.splice(at, 0, value)
}

export function sortedRemove(list: string[], value: string): void {
  const at = lowerBound(list, value)
  if (list[at] === value) list.splice(at, 1)
}

/** The half-open index range of elements that start with `prefix`. */
export function prefixRange(list: readonly string[], prefix: string): [number, number] {
  const start = lowerBound(list, prefix)
  // Every string with the prefix sorts before prefix + U+FFFF, so a second binary search bounds it.
  const end = lowerBound(list, prefix + '\uffff')
  return [start, Math.max(start, end)]
}
