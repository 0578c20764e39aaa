/**
 * `npm run seed [-- --file <file.ndjson>] [--force]`
 *
 * Loads the hand-written seed dataset into the configured lake (local by default, Sanity when
 * `SANITY_STUDIO_PROJECT_ID` is set) with `createOrReplace`. Idempotent and never deletes:
 * documents whose content already matches are left alone, so re-running does not bump revisions
 * (`--force` rewrites them anyway).
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import type {SanityClient} from '@sanity/client'

import {createContentClient, writeToken} from '../lib/client'
import {isMain, runMain} from '../lib/cli'
import {existingDocuments, sameContent} from './lib/documents'
import {type DatasetDocument, formatLineProblems, parseNdjson} from './lib/ndjson'
import {type BatchProgress, writeDocuments} from './lib/write'

export const SEED_FILE = fileURLToPath(new URL('../seed/careers.ndjson', import.meta.url))

/** Reads and checks a seed file; a malformed seed is a bug, so it throws with line numbers. */
export function loadSeedDocuments(file: string = SEED_FILE): DatasetDocument[] {
  const {documents, problems} = parseNdjson(readFileSync(file, 'utf8'))
  if (problems.length > 0) throw new Error(formatLineProblems(file, problems))
  return documents
}

export interface SeedOptions {
  /** Rewrite documents even when their content already matches. */
  force?: boolean
  onBatch?: (progress: BatchProgress) => void
}

export interface SeedResult {
  written: string[]
  unchanged: string[]
  transactions: number
}

/** The seed's core: writes `documents` through any client (tests pass a lake's client). */
export async function seedDataset(
  client: SanityClient,
  documents: readonly DatasetDocument[] = loadSeedDocuments(),
  {force = false, onBatch}: SeedOptions = {},
): Promise<SeedResult> {
  const existing = force
    ? new Map<string, DatasetDocument>()
    : await existingDocuments(
        client,
        documents.map((d) => d._id),
      )
  const changed = documents.filter((document) => {
    const current = existing.get(document._id)
    return !current || !sameContent(current, document)
  })
  const unchanged = documents.filter((d) => !changed.includes(d)).map((d) => d._id)
  if (changed.length === 0) return {written: [], unchanged, transactions: 0}
  const {transactions} = await writeDocuments(client, changed, {
    mode: 'replace',
    ...(onBatch ? {onBatch} : {}),
  })
  return {written: changed.map((d) => d._id), unchanged, transactions}
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const {values} = parseArgs({
    args: argv,
    options: {
      file: {type: 'string'},
      force: {type: 'boolean', default: false},
    },
  })
  const token = writeToken()
  if (!token) {
    console.error(
      'No write token: start the lake (npm run lake) first, or set LAKE_TOKEN ' +
        '(SANITY_API_WRITE_TOKEN for a hosted project).',
    )
    return 1
  }
  const documents = loadSeedDocuments(values.file ?? SEED_FILE)
  const result = await seedDataset(createContentClient({token}), documents, {force: values.force})
  console.error(
    `Seeded ${result.written.length} documents in ${result.transactions} transactions; ` +
      `${result.unchanged.length} already up to date.`,
  )
  return 0
}

if (isMain(import.meta.url)) runMain(main)
