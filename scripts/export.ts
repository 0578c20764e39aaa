/**
 * `npm run export [-- <file.ndjson>] [--types page,programme]`
 *
 * Writes the dataset as NDJSON (the `sanity dataset export` format, drafts included) to a file,
 * or to stdout when no file is given. Progress goes to stderr so stdout stays pure NDJSON.
 */
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'
import type {Writable} from 'node:stream'
import {parseArgs} from 'node:util'

import {createContentClient, writeToken} from '../lib/client'
import {isMain, runMain} from '../lib/cli'
import {exportDocuments} from './lib/exportDataset'
import {toNdjsonLine} from './lib/ndjson'

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain')
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      types: {type: 'string'},
      help: {type: 'boolean', default: false},
    },
  })
  if (values.help) {
    console.error('Usage: npm run export -- [file.ndjson] [--types page,programme]')
    return 0
  }
  const types = values.types ? new Set(values.types.split(',').map((t) => t.trim())) : undefined
  const file = positionals[0]

  const token = writeToken() ?? process.env.SANITY_API_READ_TOKEN
  const client = createContentClient({token, perspective: 'raw'})
  const out: Writable = file ? createWriteStream(file) : process.stdout
  let count = 0
  for await (const document of exportDocuments(client)) {
    if (types && !types.has(document._type)) continue
    await write(out, toNdjsonLine(document))
    count++
  }
  if (file) {
    out.end()
    await once(out, 'finish')
  }
  console.error(`Exported ${count} documents${file ? ` to ${file}` : ''}.`)
  return 0
}

if (isMain(import.meta.url)) runMain(main)
