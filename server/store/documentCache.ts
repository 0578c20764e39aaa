/**
 * The mirror's document bodies: parsed documents kept in memory up to a bound, the rest read (and
 * parsed) from `lake.sqlite` when asked for. Memory stops growing with the dataset at the bound;
 * a dataset smaller than it stays wholly parsed, as the mirror always kept it.
 */
import {countSteps} from '../query/steps'
import type {StoredDocument} from './types'

/** Where bodies the cache does not hold come from (the `documents` table). */
export interface DocumentRows {
  /** The stored document of `id` as the table holds it now; undefined when absent or unreadable. */
  read(id: string): StoredDocument | undefined
  /** The readable stored documents of `ids` (one statement for all of them), in any order. */
  readMany(ids: readonly string[]): StoredDocument[]
}

/** Ids per `readMany` statement when many bodies are wanted at once (a scan, a large bucket). */
const BATCH = 512

/** Parsed documents kept by default: about 250 MB of heap for the benchmark's documents, and room for a 100k-document lake to keep all of them with its writes since. */
export const DEFAULT_DOCUMENT_CACHE_SIZE = 200_000

/**
 * A cache of parsed documents over `DocumentRows` that evicts what has not been read lately
 * (second chance, or CLOCK: a read only marks the entry; eviction gives a marked entry one more
 * round), with pins: a document a
 * staged write is about to change on disk is pinned (its current, durable body held here) until
 * the mirror applies the change, so that between the COMMIT and the fsync readers still read what
 * the mirror indexes, never the row already overwritten.
 */
export class DocumentCache {
  private readonly rows: DocumentRows | undefined
  private readonly capacity: number
  /**
   * Oldest first (a Map keeps insertion order), each with whether it was read since eviction last
   * passed it. Marking costs a read nothing; moving the entry on every read, as a strict LRU does,
   * made a scan of a 100k-document lake rewrite the whole Map.
   */
  private readonly recent = new Map<string, {doc: StoredDocument; read: boolean}>()
  /** Pinned bodies (null: absent before the pending write) and how many pending writes hold each. */
  private readonly pinned = new Map<string, {doc: StoredDocument | null; holds: number}>()

  /** Without `rows` every document stays in memory (the cache is the whole dataset). */
  constructor(rows: DocumentRows | undefined, capacity = DEFAULT_DOCUMENT_CACHE_SIZE) {
    this.rows = rows
    this.capacity = rows ? Math.max(1, capacity) : Infinity
  }

  /** How many parsed documents stay in memory (Infinity without rows: all of them). */
  get limit(): number {
    return this.capacity
  }

  /** Whether every document of a dataset of `size` can stay parsed in memory. */
  holdsAll(size: number): boolean {
    return size <= this.capacity
  }

  /**
   * The body of `id`, or undefined. Only held bodies of served documents are ever kept, so one
   * held here is served; otherwise the row is read only when `served()` says the mirror serves it
   * (a row staged but not yet applied must not be).
   */
  get(id: string, served: () => boolean): StoredDocument | undefined {
    const pin = this.pinned.get(id)
    if (pin) return pin.doc ?? undefined
    const cached = this.recent.get(id)
    if (cached) {
      cached.read = true
      return cached.doc
    }
    if (!this.rows || !served()) return undefined
    const doc = this.rows.read(id)
    if (doc) this.remember(id, doc)
    return doc
  }

  /**
   * The bodies of many ids the mirror knows, in their order (undefined where a row cannot be
   * read): misses are read in batches. A request larger than a quarter of the cache (a scan)
   * does not enter it, nor does a batch of a `scanning` caller, so one full scan does not evict
   * what readers use most.
   */
  getMany(ids: readonly string[], scanning = false): (StoredDocument | undefined)[] {
    const out: (StoredDocument | undefined)[] = new Array(ids.length)
    const keep = !scanning && ids.length <= this.capacity / 4
    let missing: number[] = []
    const flush = () => {
      if (missing.length === 0 || !this.rows) return
      const read = new Map<string, StoredDocument>()
      for (const doc of this.rows.readMany(missing.map((i) => ids[i] as string))) {
        countSteps(doc)
        read.set(doc._id, doc)
      }
      for (const i of missing) {
        const doc = read.get(ids[i] as string)
        out[i] = doc
        if (doc && keep) this.remember(doc._id, doc)
      }
      missing = []
    }
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string
      const pin = this.pinned.get(id)
      if (pin) out[i] = pin.doc ?? undefined
      else {
        const cached = this.recent.get(id)
        if (cached) {
          cached.read = true
          out[i] = cached.doc
        } else {
          missing.push(i)
          if (missing.length === BATCH) flush()
        }
      }
    }
    flush()
    return out
  }

  /** Keeps a document the mirror just indexed or replaced (not read again until evicted). */
  set(id: string, doc: StoredDocument | null): void {
    const pin = this.pinned.get(id)
    if (pin) {
      pin.doc = doc
      return
    }
    this.recent.delete(id)
    if (doc) this.remember(id, doc)
  }

  /** A write to `id` is staged: hold its current body (`current`) until `unpin`. */
  pin(id: string, current: StoredDocument | undefined): void {
    const pin = this.pinned.get(id)
    if (pin) pin.holds++
    else {
      this.pinned.set(id, {doc: current ?? null, holds: 1})
      // The pin holds it now; `unpin` puts back whatever the mirror then serves (nothing after a
      // delete), so a held body always belongs to a served document.
      this.recent.delete(id)
    }
  }

  /** The staged write to `id` was applied (or is gone): one hold fewer. */
  unpin(id: string): void {
    const pin = this.pinned.get(id)
    if (!pin) return
    if (--pin.holds > 0) return
    this.pinned.delete(id)
    if (pin.doc) this.remember(id, pin.doc)
  }

  private remember(id: string, doc: StoredDocument): void {
    countSteps(doc)
    this.recent.delete(id)
    this.recent.set(id, {doc, read: false})
    // The oldest entry not read since eviction last passed it goes; a read one, and the one just
    // remembered, move to the newest end, unmarked. Each turn evicts or unmarks an entry other
    // than `id` (there is one: the cache holds at least one), so this ends.
    while (this.recent.size > this.capacity) {
      const [oldest, entry] = this.recent.entries().next().value ?? []
      if (oldest === undefined || !entry) break
      this.recent.delete(oldest)
      if (entry.read || oldest === id) {
        entry.read = false
        this.recent.set(oldest, entry)
      }
    }
  }
}
