/**
 * `npm run import -- <file.ndjson | file.tar.gz> [--missing] [--dry-run]`
 *
 * Imports NDJSON in the format `sanity dataset import` reads. The whole file is parsed first: any
 * malformed line is reported with its line number and nothing is imported. Documents are then
 * written with `createOrReplace` (or `createIfNotExists` with `--missing`), in transactions
 * ordered so strong references always point at documents that already exist. A document the
 * dataset already holds with the same content is not written at all, so re-importing a file
 * creates no new revisions; the summary says how many were created, replaced and left alone.
 * A `.tar.gz` pack (as `sanity dataset export` writes) has its assets uploaded first, every
 * `_sanityAsset` checked against the pack before anything is written (`scripts/lib/assetPack.ts`).
 */
import {readFileSync} from 'node:fs'
import {parseArgs} from 'node:util'

import {createContentClient, writeToken} from '../lib/client'
import {isMain, runMain} from '../lib/cli'
import {assetPointers, isPackName, type ReadPack, readPack, uploadAssets} from './lib/assetPack'
import {planImport} from './lib/importPlan'
import {formatLineProblems} from './lib/ndjson'
import {existingDocuments, sameContent} from './lib/documents'
import {planBatches} from './lib/batches'
import {commitBatches} from './lib/write'

const usage = 'Usage: npm run import -- <file.ndjson | file.tar.gz> [--missing] [--dry-run]'

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

  const pack: ReadPack | undefined = isPackName(file) ? await readPack(file) : undefined
  const plan = planImport(pack ? pack.ndjson : readFileSync(file, 'utf8'))
  if (!plan.ok) {
    console.error(formatLineProblems(file, plan.problems))
    console.error(`${plan.problems.length} malformed lines in ${file}: nothing was imported.`)
    return 1
  }
  const {pointers, problems} = pack
    ? assetPointers(plan.documents, pack.files)
    : {pointers: new Map<string, 'image' | 'file'>(), problems: []}
  if (problems.length > 0) {
    for (const problem of problems) console.error(`${file}: ${problem}`)
    console.error(
      `${problems.length} missing or unreadable assets in ${file}: nothing was imported.`,
    )
    return 1
  }

  const mode = values.missing ? 'missing' : 'replace'
  const operation = mode === 'missing' ? 'createIfNotExists' : 'createOrReplace'
  if (values['dry-run']) {
    console.error(
      `Would upload ${pointers.size} assets and ${operation} ${plan.documents.length} documents in ${plan.batches.length} transactions.`,
    )
    return 0
  }

  const token = writeToken()
  if (!token) {
    console.error('No write token: start the lake (npm run lake) or set LAKE_TOKEN.')
    return 1
  }
  const client = createContentClient({token})
  if (pack && pointers.size > 0) {
    const uploaded = await uploadAssets(client, plan.documents, pack, pointers)
    console.error(`Uploaded ${uploaded} assets.`)
  }
  const existing = await existingDocuments(
    client,
    plan.documents.map((d) => d._id),
  )
  // --missing never touches a document that exists; a plain import skips only identical ones.
  const skip = (document: (typeof plan.documents)[number]) => {
    const current = existing.get(document._id)
    return current !== undefined && (mode === 'missing' || sameContent(current, document))
  }
  const toWrite = plan.documents.filter((d) => !skip(d))
  const created = toWrite.filter((d) => !existing.has(d._id)).length
  const replaced = toWrite.length - created
  const skipped = plan.documents.length - toWrite.length
  const result =
    toWrite.length === 0
      ? {documents: 0, transactions: 0}
      : await commitBatches(client, planBatches(toWrite), {
          mode,
          onBatch: ({batch, batches, documents}) =>
            console.error(`Transaction ${batch}/${batches}: ${operation} ${documents} documents`),
        })
  console.error(
    mode === 'missing'
      ? `Created ${created} documents; skipped ${skipped} that already existed (${result.transactions} transactions).`
      : `Imported ${plan.documents.length} documents: ${created} created, ${replaced} replaced, ${skipped} unchanged (${result.transactions} transactions).`,
  )
  return 0
}

if (isMain(import.meta.url)) runMain(main)
