/**
 * Keeps the first `count` of a stream in `compare` order, sorted, as items stream past: most
 * items cost one comparison with the last one kept, so a page of a long list is found without
 * sorting the list. Used by the planner's `order()[m...n]` and the Studio's search pages.
 */
export function offerFirst<T>(
  kept: T[],
  count: number,
  compare: (a: T, b: T) => number,
  item: T,
): void {
  if (kept.length === count && compare(kept[count - 1] as T, item) < 0) return
  let lo = 0
  let hi = kept.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compare(kept[mid] as T, item) < 0) lo = mid + 1
    else hi = mid
  }
  kept.splice(lo, 0, item)
  if (kept.length > count) kept.pop()
}
