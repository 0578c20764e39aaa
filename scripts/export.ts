/**
 * `npm run export [-- <file.ndjson | file.tar.gz>] [--types page,programme] [--assets]`
 *
 * Writes the dataset as NDJSON (the `sanity dataset export` format, drafts included) to a file,
 * or to stdout when no file is given. Progress goes to stderr so stdout stays pure NDJSON. A file
 * ending `.tar.gz` (or `--assets`) gets a pack with the assets' bytes (`scripts/lib/assetPack.ts`).
 */
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'
import type {Writable} from 'node:stream'
import {parseArgs} from 'node:util'

import {createContentClient, writeToken} from '../lib/client'
import {isMain, runMain} from '../lib/cli'
import {isLocalLake} from '../lib/env'
import {isPackName, writePack} from './lib/assetPack'
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
      assets: {type: 'boolean', default: false},
      help: {type: 'boolean', default: false},
    },
  })
  if (values.help) {
    console.error(
      'Usage: npm run export -- [file.ndjson | file.tar.gz] [--types page,programme] [--assets]',
    )
    return 0
  }
  const types = values.types ? new Set(values.types.split(',').map((t) => t.trim())) : undefined
  const file = positionals[0]

  const token = writeToken() ?? process.env.SANITY_API_READ_TOKEN
  const client = createContentClient({token, perspective: 'raw'})
  const selected = async function* () {
    for await (const document of exportDocuments(client)) {
      if (!types || types.has(document._type)) yield document
    }
  }
  if (values.assets || (file && isPackName(file))) {
    if (!file || !isPackName(file)) {
      console.error('A pack with assets needs a file name ending .tar.gz')
      return 2
    }
    const {apiHost} = client.config()
    const packed = await writePack(file, selected(), async (asset) => {
      // A local lake serves asset bytes on its own origin (whatever port it runs on now);
      // hosted assets live on Sanity's CDN at their `url`.
      const url = isLocalLake ? new URL(String(asset['path']), `${apiHost}/`) : String(asset['url'])
      const response = await fetch(url, {headers: token ? {authorization: `Bearer ${token}`} : {}})
      if (!response.ok) throw new Error(`Fetching ${asset._id} failed: HTTP ${response.status}`)
      return Buffer.from(await response.arrayBuffer())
    })
    console.error(`Exported ${packed.documents} documents and ${packed.assets} assets to ${file}.`)
    return 0
  }
  const out: Writable = file ? createWriteStream(file) : process.stdout
  let count = 0
  for await (const document of selected()) {
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
