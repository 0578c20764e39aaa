/**
 * `npm run validate [-- <file.ndjson>] [--from-lake] [--level error|warning|info] [--json]`
 *
 * Runs every schema validation rule over every document of a dataset, as `sanity documents
 * validate` does, and reports by document and field. Exit code 1 when any error is found.
 *
 * With no file it validates the lake's dataset when a lake is running (or a hosted project is
 * configured), else the seed file. A file is validated on its own when no lake is running, and
 * against the lake when one is: references to documents the lake holds resolve, and slug and
 * duplicate-name checks see the lake's documents too.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import type {SanityClient} from '@sanity/client'

import {createContentClient, writeToken} from '../lib/client'
import {isMain, runMain} from '../lib/cli'
import {isLocalLake} from '../lib/env'
import {createDatasetValidationClient} from './lib/datasetClient'
import {exportDocuments} from './lib/exportDataset'
import {type DatasetDocument, formatLineProblems, parseNdjson} from './lib/ndjson'
import {
  type DocumentReport,
  formatReports,
  type Level,
  summarise,
  validateDataset,
} from './lib/validateDataset'

export const DEFAULT_DATASET_FILE = fileURLToPath(
  new URL('../seed/careers.ndjson', import.meta.url),
)

const usage = `Usage: npm run validate -- [file.ndjson] [--from-lake] [--level error|warning|info] [--json]`

function isLevel(value: string): value is Level {
  return value === 'error' || value === 'warning' || value === 'info'
}

/** How long to wait for a local lake to answer before treating it as not running. */
const LAKE_PROBE_TIMEOUT_MS = 2000

/**
 * A raw-perspective client for the configured lake when it answers: the local lake only when it
 * is running; a hosted project whenever it is configured (its errors then say what is wrong).
 */
async function runningLake(): Promise<SanityClient | undefined> {
  // A token reads drafts and sub-path documents (feedback) too; validation covers all of them.
  const token = writeToken() ?? process.env.SANITY_API_READ_TOKEN
  const client = createContentClient({token, perspective: 'raw'})
  if (!isLocalLake) return client
  try {
    await client.fetch('1', {}, {signal: AbortSignal.timeout(LAKE_PROBE_TIMEOUT_MS)})
    return client
  } catch {
    return undefined
  }
}

async function collect(source: AsyncIterable<DatasetDocument>): Promise<DatasetDocument[]> {
  const documents: DatasetDocument[] = []
  for await (const document of source) documents.push(document)
  return documents
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'from-lake': {type: 'boolean', default: false},
      level: {type: 'string', default: 'warning'},
      json: {type: 'boolean', default: false},
      help: {type: 'boolean', default: false},
    },
  })
  if (values.help) {
    console.log(usage)
    return 0
  }
  if (!isLevel(values.level)) {
    console.error(`--level must be error, warning or info.\n${usage}`)
    return 2
  }

  let reports: DocumentReport[]
  const file = positionals[0]
  const lake = values['from-lake'] || file === undefined ? await runningLake() : undefined
  if (values['from-lake'] && !lake) {
    console.error('No lake is running: start it with `npm run lake` (or `npm run dev`).')
    return 1
  }
  if ((values['from-lake'] || file === undefined) && lake) {
    console.error(`Validating the dataset in the lake at ${lake.config().apiHost}.`)
    const documents = await collect(exportDocuments(lake))
    reports = await validateDataset(documents, {client: lake, level: values.level})
  } else {
    const path = file ?? DEFAULT_DATASET_FILE
    const {documents, problems} = parseNdjson(readFileSync(path, 'utf8'))
    if (problems.length > 0) {
      console.error(formatLineProblems(path, problems))
      console.error(`${problems.length} malformed lines: fix them before validating.`)
      return 1
    }
    const against = file === undefined ? undefined : await runningLake()
    if (against) {
      // The file's documents win over the lake's copies: it is the file being checked.
      const inFile = new Set(documents.map((d) => d._id))
      const context = [
        ...documents,
        ...(await collect(exportDocuments(against))).filter((d) => !inFile.has(d._id)),
      ]
      console.error(
        `Validating ${path} against the lake at ${against.config().apiHost} (${context.length - documents.length} documents there).`,
      )
      reports = await validateDataset(documents, {
        level: values.level,
        client: createDatasetValidationClient(context),
        existingIds: new Set(context.map((d) => d._id)),
      })
    } else {
      if (file === undefined) console.error(`No lake is running: validating ${path}.`)
      reports = await validateDataset(documents, {level: values.level})
    }
  }

  console.log(values.json ? JSON.stringify(reports, null, 2) : formatReports(reports))
  return summarise(reports).errors > 0 ? 1 : 0
}

if (isMain(import.meta.url)) runMain(main)
