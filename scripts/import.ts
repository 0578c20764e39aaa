/**
 * `npm run import -- <file.ndjson> [--missing] [--dry-run]`
 *
 * Imports NDJSON in the format `sanity dataset import` reads. The whole file is parsed first: any
 * malformed line is reported with its line number and nothing is imported. Documents are then
 * written with `createOrReplace` (or `createIfNotExists` with `--missing`), in transactions
 * ordered so strong references always point at documents that already exist.
 */
import {readFileSync} from 'node:fs'
import {parseArgs} from 'node:util'

import {createContentClient, writeToken} from '../lib/client'
import {isMain, runMain} from '../lib/cli'
import {planImport} from './lib/importPlan'
import {formatLineProblems} from './lib/ndjson'
import {commitBatches} from './lib/write'

const usage = 'Usage: npm run import -- <file.ndjson> [--missing] [--dry-run]'

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      missing: {type: 'boolean', default: false},
      'dry-run': {type: 'boolean', default: false},
      help: {type: 'boolean', default: false},
    },
  })
  const file = positionals[0]
  if (values.help || !file) {
    console.error(usage)
    return values.help ? 0 : 2
  }

  const plan = planImport(readFileSync(file, 'utf8'))
  if (!plan.ok) {
    console.error(formatLineProblems(file, plan.problems))
    console.error(`${plan.problems.length} malformed lines in ${file}: nothing was imported.`)
    return 1
  }

  const mode = values.missing ? 'missing' : 'replace'
  const operation = mode === 'missing' ? 'createIfNotExists' : 'createOrReplace'
  if (values['dry-run']) {
    console.error(
      `Would ${operation} ${plan.documents.length} documents in ${plan.batches.length} transactions.`,
    )
    return 0
  }

  const token = writeToken()
  if (!token) {
    console.error('No write token: start the lake (npm run lake) or set LAKE_TOKEN.')
    return 1
  }
  const result = await commitBatches(createContentClient({token}), plan.batches, {
    mode,
    onBatch: ({batch, batches, documents}) =>
      console.error(`Transaction ${batch}/${batches}: ${operation} ${documents} documents`),
  })
  console.error(`Imported ${result.documents} documents in ${result.transactions} transactions.`)
  return 0
}

if (isMain(import.meta.url)) runMain(main)
