/**
 * `npm run validate [-- <file.ndjson>] [--from-lake] [--level error|warning|info] [--json]`
 *
 * Runs every schema validation rule over every document of a dataset, as `sanity documents
 * validate` does, and reports by document and field. Exit code 1 when any error is found.
 */
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

import {createContentClient, writeToken} from '../lib/client'
import {isMain, runMain} from '../lib/cli'
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
  if (values['from-lake']) {
    // A token reads drafts and sub-path documents (feedback) too; validation covers all of them.
    const token = writeToken() ?? process.env.SANITY_API_READ_TOKEN
    const client = createContentClient({token, perspective: 'raw'})
    const documents = await collect(exportDocuments(client))
    reports = await validateDataset(documents, {client, level: values.level})
  } else {
    const file = positionals[0] ?? DEFAULT_DATASET_FILE
    const {documents, problems} = parseNdjson(readFileSync(file, 'utf8'))
    if (problems.length > 0) {
      console.error(formatLineProblems(file, problems))
      console.error(`${problems.length} malformed lines: fix them before validating.`)
      return 1
    }
    reports = await validateDataset(documents, {level: values.level})
  }

  console.log(values.json ? JSON.stringify(reports, null, 2) : formatReports(reports))
  return summarise(reports).errors > 0 ? 1 : 0
}

if (isMain(import.meta.url)) runMain(main)
