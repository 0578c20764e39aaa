/**
 * Identical reports being stored at the same moment. The lake only answers with reports already
 * stored, so two copies arriving together would both find no original. Each report registers
 * under its page and text fingerprint while it is stored; a copy arriving meanwhile waits for
 * that one's outcome (its original, or itself) instead of asking the lake. Only copies wait on
 * each other: other reports, on the same page or not, are stored side by side. (Across several
 * intake processes the window remains; a copy then stays "new", which is harmless: a reviewer
 * marks it.)
 */
export interface ReportInFlight {
  /** The original that an identical report stored just before this one settled on. */
  earlier: Promise<string | undefined> | undefined
  /** This report is stored (with the original it points at, or itself) or failed (undefined). */
  finish(original: string | undefined): void
}

export interface InFlightReports {
  begin(key: string): ReportInFlight
  /** Keys with a report being stored (tests check nothing leaks). */
  readonly size: number
}

export function createInFlightReports(): InFlightReports {
  const latest = new Map<string, Promise<string | undefined>>()
  return {
    begin(key) {
      const earlier = latest.get(key)
      let settle: (original: string | undefined) => void = () => undefined
      const outcome = new Promise<string | undefined>((resolve) => {
        settle = resolve
      })
      latest.set(key, outcome)
      return {
        earlier,
        finish(original) {
          settle(original)
          if (latest.get(key) === outcome) latest.delete(key)
        },
      }
    },
    get size() {
      return latest.size
    },
  }
}
