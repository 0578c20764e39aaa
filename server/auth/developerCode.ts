/**
 * The one-time code behind "Continue as local developer" (dev mode only). Being on this machine is
 * not enough to become a lake user: any local Unix account can reach loopback. The code proves
 * the person can read the lake's data directory (it is written there, 0600, and printed on the
 * lake's console, which only whoever started the lake sees), as the admin token file does.
 *
 * A code works once: redeeming it writes and prints the next one. It is 100 random bits, so
 * guessing is hopeless and needs no rate limit; comparison is constant-time.
 */
import {randomBytes, timingSafeEqual} from 'node:crypto'
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {LAKE_DEV_CODE_FILE} from '../files'

export class DeveloperCode {
  readonly file: string
  readonly #log: (message: string) => void
  #code = ''

  constructor(dataDir: string, log: (message: string) => void) {
    this.file = join(dataDir, LAKE_DEV_CODE_FILE)
    this.#log = log
    this.#issue()
  }

  /** True, once, for the current code; the next code is then issued. */
  redeem(candidate: string): boolean {
    const given = Buffer.from(candidate.trim())
    const expected = Buffer.from(this.#code)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false
    this.#issue()
    return true
  }

  #issue(): void {
    // Groups of five make the code easy to read off a console and type, if not pasted.
    const raw = randomBytes(16).toString('hex').toUpperCase().slice(0, 25)
    this.#code = raw.match(/.{5}/g)?.join('-') ?? raw
    writeFileSync(this.file, this.#code + '\n', {mode: 0o600})
    // The mode given to writeFileSync applies only to a new file; an old one keeps its own.
    chmodSync(this.file, 0o600)
    this.#log(
      `Local developer sign-in code: ${this.#code} (one use; also in ${this.file}, readable by you only)`,
    )
  }
}
