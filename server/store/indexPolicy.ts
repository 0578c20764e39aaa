import type {FieldPath} from './mirror'

/**
 * Which fields the mirror indexes beyond the configured ones.
 *
 * Indexes used to be built on first use by anyone's query, up to a fixed number, and kept: 22
 * anonymous queries on junk fields used them all up, after which a field the Studio filters on
 * all day was scanned. Now the application names the fields it needs (`indexedFields`, kept
 * for good), and every other index must be earned: each filter the planner could not answer
 * from an index adds the documents it made groq-js scan to its path's demand, each answer from
 * an adaptive index adds the scans it saved, and demand decays with time (counted in planner
 * requests), so a burst of one-off queries fades while steady use accumulates.
 */

/**
 * Adaptive indexes at most. Each one holds an entry per document that has the field, and every
 * commit updates it: the bound keeps memory and write cost in proportion to the dataset.
 */
export const MAX_ADAPTIVE_INDEXES = 16

/**
 * Paths whose demand is remembered. Junk paths are free to invent, so the table is bounded; when
 * it is full the least-demanded path is forgotten.
 */
export const MAX_TRACKED_PATHS = 256

/** Demand halves every this many planner requests: what mattered an hour ago matters less now. */
export const DEMAND_HALF_LIFE = 1_000

/**
 * An index is built once the scans it would have saved reach this many times the dataset size:
 * building costs one scan of every document, and keeping it costs work on every commit, so a
 * path must have cost several full scans before it is worth that.
 */
export const BUILD_COST_FACTOR = 4

/**
 * A path must be worth this many times the least-used adaptive index to take its place, so two
 * paths of similar demand do not evict each other on every other query.
 */
export const EVICT_MARGIN = 2

interface Demand {
  path: FieldPath
  /** Documents scanned (or saved) on its account, decayed to `at`. */
  score: number
  at: number
}

export class IndexDemand {
  private clock = 0
  private readonly demands = new Map<string, Demand>()

  /** The demand for `key` now, decayed. */
  worth(key: string): number {
    const demand = this.demands.get(key)
    return demand ? this.decayed(demand) : 0
  }

  /** One more planner request: the clock demand decays by. */
  tick(): void {
    this.clock++
  }

  /** Adds `documents` (scanned without an index, or saved by one) to a path's demand. */
  note(key: string, path: FieldPath, documents: number, keep: (key: string) => boolean): number {
    let demand = this.demands.get(key)
    if (!demand) {
      if (this.demands.size >= MAX_TRACKED_PATHS) this.forgetWeakest(keep)
      demand = {path, score: 0, at: this.clock}
      this.demands.set(key, demand)
    }
    demand.score = this.decayed(demand) + documents
    demand.at = this.clock
    return demand.score
  }

  /** Among `keys`, the one with the least demand now. */
  weakest(keys: Iterable<string>): {key: string; worth: number} | undefined {
    let out: {key: string; worth: number} | undefined
    for (const key of keys) {
      const worth = this.worth(key)
      if (!out || worth < out.worth) out = {key, worth}
    }
    return out
  }

  private decayed(demand: Demand): number {
    return demand.score * 2 ** (-(this.clock - demand.at) / DEMAND_HALF_LIFE)
  }

  /** Forgets the least-demanded path that `keep` does not protect (paths with an index). */
  private forgetWeakest(keep: (key: string) => boolean): void {
    const weakest = this.weakest([...this.demands.keys()].filter((key) => !keep(key)))
    if (weakest) this.demands.delete(weakest.key)
  }
}
