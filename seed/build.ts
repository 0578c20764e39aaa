/**
 * Writes `seed/careers.ndjson` from `seed/content.ts`. The NDJSON file is what `npm run seed`
 * and `npm run import` load; a test fails when it drifts from this source.
 */
import {writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {seedDocuments} from './content'

export const SEED_FILE = fileURLToPath(new URL('careers.ndjson', import.meta.url))

/** One document per line, as `sanity dataset export` writes them. */
export function buildSeedNdjson(): string {
  return seedDocuments.map((document) => JSON.stringify(document)).join('\n') + '\n'
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SEED_FILE, buildSeedNdjson())
  console.log(`Wrote ${seedDocuments.length} documents to ${SEED_FILE}`)
}
