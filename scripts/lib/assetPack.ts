/**
 * Datasets with their assets, packed as `sanity dataset export` packs them and
 * `sanity dataset import` reads them: a `.tar.gz` holding `<name>/data.ndjson`, `<name>/images/`
 * (`<sha1>-<w>x<h>.<ext>`), `<name>/files/` (`<sha1>.<ext>`) and `<name>/assets.json`.
 *
 * In `data.ndjson` asset documents are left out and every `{asset: {_ref: "image-…"}}` becomes
 * `{_sanityAsset: "image@file://./images/<file>"}`; `assets.json` keeps each asset document's
 * descriptive fields (original filename, title, …) by its file path. Importing uploads each file
 * (the lake deduplicates by hash), then points `_sanityAsset` back at the new asset's id.
 */
import {createReadStream, createWriteStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'
import {createGunzip, createGzip} from 'node:zlib'
import {basename} from 'node:path'

import type {SanityClient} from '@sanity/client'
import tar from 'tar-stream'

import type {DatasetDocument} from './ndjson'

const ASSET_TYPES = new Set(['sanity.imageAsset', 'sanity.fileAsset'])
/** The descriptive fields of an asset document that an import restores. */
const DESCRIPTIVE = ['originalFilename', 'label', 'title', 'description', 'creditLine', 'source']

/** Is this file name one `npm run export` should pack with assets? */
export function isPackName(file: string): boolean {
  return file.endsWith('.tar.gz') || file.endsWith('.tgz')
}

/** `images/<sha1>-<w>x<h>.<ext>` or `files/<sha1>.<ext>`: the pack path of an asset document. */
export function packPath(asset: DatasetDocument): string {
  const name = basename(String(asset['path'] ?? ''))
  return `${asset._type === 'sanity.imageAsset' ? 'images' : 'files'}/${name}`
}

/**
 * Visits every object in a document (with a stack: no document can overflow the call stack) and
 * lets `visit` rewrite it in place.
 */
function eachObject(document: unknown, visit: (object: Record<string, unknown>) => void): void {
  const stack: unknown[] = [document]
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) stack.push(...(value as unknown[]))
    else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>
      visit(object)
      for (const child of Object.values(object)) if (typeof child === 'object') stack.push(child)
    }
  }
}

/** Writes `documents` and their assets' bytes as a Sanity export pack. */
export async function writePack(
  file: string,
  documents: AsyncIterable<DatasetDocument>,
  fetchAsset: (asset: DatasetDocument) => Promise<Buffer>,
): Promise<{documents: number; assets: number}> {
  const root = basename(file).replace(/\.(tar\.gz|tgz)$/, '')
  const pack = tar.pack()
  const written = pipeline(pack, createGzip(), createWriteStream(file))
  const assets = new Map<string, DatasetDocument>()
  const kept: DatasetDocument[] = []
  for await (const document of documents) {
    if (ASSET_TYPES.has(document._type)) assets.set(document._id, document)
    else kept.push(document)
  }
  let ndjson = ''
  for (const document of kept) {
    const copy = structuredClone(document)
    eachObject(copy, (object) => {
      const asset = object['asset'] as {_ref?: unknown} | undefined
      const target = typeof asset?._ref === 'string' ? assets.get(asset._ref) : undefined
      if (!target) return
      delete object['asset']
      object['_sanityAsset'] =
        `${target._type === 'sanity.imageAsset' ? 'image' : 'file'}@file://./${packPath(target)}`
    })
    ndjson += JSON.stringify(copy) + '\n'
  }
  const described: Record<string, Record<string, unknown>> = {}
  for (const asset of assets.values()) {
    const path = packPath(asset)
    pack.entry({name: `${root}/${path}`}, await fetchAsset(asset))
    described[path] = Object.fromEntries(
      DESCRIPTIVE.filter((field) => asset[field] !== undefined).map((field) => [
        field,
        asset[field],
      ]),
    )
  }
  pack.entry({name: `${root}/data.ndjson`}, ndjson)
  pack.entry({name: `${root}/assets.json`}, JSON.stringify(described, null, 2))
  pack.finalize()
  await written
  return {documents: kept.length, assets: assets.size}
}

export interface ReadPack {
  ndjson: string
  /** File bytes by pack path (`images/…`, `files/…`). */
  files: Map<string, Buffer>
  described: Record<string, Record<string, unknown>>
}

/** Reads a pack into memory; the top folder's name does not matter (Sanity's differ). */
export async function readPack(file: string): Promise<ReadPack> {
  const extract = tar.extract()
  const reading = pipeline(createReadStream(file), createGunzip(), extract)
  const entries = new Map<string, Buffer>()
  for await (const entry of extract) {
    const chunks: Buffer[] = []
    for await (const chunk of entry) chunks.push(chunk as Buffer)
    if (entry.header.type !== 'file') continue
    const path = entry.header.name.replace(/^(\.\/)?[^/]+\//, '')
    entries.set(path, Buffer.concat(chunks))
  }
  await reading
  const ndjson = entries.get('data.ndjson')
  if (!ndjson) throw new Error(`${file} has no data.ndjson: is it a dataset export?`)
  const assetsJson = entries.get('assets.json')
  const files = new Map([...entries].filter(([path]) => /^(images|files)\//.test(path)))
  return {
    ndjson: ndjson.toString('utf8'),
    files,
    described: assetsJson ? (JSON.parse(assetsJson.toString('utf8')) as ReadPack['described']) : {},
  }
}

/** `image@file://./images/x.png` → kind and pack path; anything else is a problem. */
function parseAssetPointer(value: string): {kind: 'image' | 'file'; path: string} | undefined {
  const match = /^(image|file)@file:\/\/\.\/((?:images|files)\/[^/]+)$/.exec(value)
  return match ? {kind: match[1] as 'image' | 'file', path: match[2] as string} : undefined
}

/**
 * Every `_sanityAsset` the documents point at, checked against the pack before anything is
 * uploaded: a pointer to a missing file refuses the whole import.
 */
export function assetPointers(
  documents: readonly DatasetDocument[],
  files: ReadonlyMap<string, Buffer>,
): {pointers: Map<string, 'image' | 'file'>; problems: string[]} {
  const pointers = new Map<string, 'image' | 'file'>()
  const problems: string[] = []
  for (const document of documents) {
    eachObject(document, (object) => {
      const value = object['_sanityAsset']
      if (typeof value !== 'string') return
      const pointer = parseAssetPointer(value)
      if (!pointer) problems.push(`${document._id}: unsupported _sanityAsset "${value}"`)
      else if (!files.has(pointer.path)) {
        problems.push(`${document._id}: ${pointer.path} is not in the pack`)
      } else pointers.set(pointer.path, pointer.kind)
    })
  }
  return {pointers, problems}
}

/**
 * Uploads the pointed-at files and turns each `_sanityAsset` into a reference to its asset
 * document, in place. Uploading the same bytes twice answers the same document, so re-importing
 * a pack creates nothing new.
 */
export async function uploadAssets(
  client: SanityClient,
  documents: DatasetDocument[],
  pack: ReadPack,
  pointers: ReadonlyMap<string, 'image' | 'file'>,
): Promise<number> {
  const ids = new Map<string, string>()
  for (const [path, kind] of pointers) {
    const described = pack.described[path] ?? {}
    const text = (field: string) =>
      typeof described[field] === 'string' ? {[field]: described[field]} : {}
    const asset = await client.assets.upload(kind, pack.files.get(path) as Buffer, {
      filename:
        typeof described['originalFilename'] === 'string'
          ? described['originalFilename']
          : basename(path),
      ...text('label'),
      ...text('title'),
      ...text('description'),
      ...text('creditLine'),
    })
    ids.set(path, asset._id)
  }
  for (const document of documents) {
    eachObject(document, (object) => {
      const value = object['_sanityAsset']
      if (typeof value !== 'string') return
      const pointer = parseAssetPointer(value)
      const id = pointer && ids.get(pointer.path)
      if (!id) return
      delete object['_sanityAsset']
      object['asset'] = {_type: 'reference', _ref: id}
    })
  }
  return ids.size
}
