/**
 * `npm run export -- x.tar.gz` and `npm run import -- x.tar.gz` as people run them, between two
 * real lakes: the pack has Sanity's layout (`data.ndjson` with `_sanityAsset` pointers, `images/`,
 * `files/`, `assets.json`), and importing it elsewhere recreates the same asset documents and
 * references. A pack pointing at a file it lacks imports nothing.
 */
import {createWriteStream, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {createGzip} from 'node:zlib'

import type {SanityAssetDocument, SanityImageAssetDocument} from '@sanity/client'
import sharp from 'sharp'
import tar from 'tar-stream'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readPack} from '../../scripts/lib/assetPack'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'
import {lakeScriptEnv, runScript} from '../helpers/scripts'

const script = (name: string, args: string[], lake: TestLake) =>
  runScript(name, args, lakeScriptEnv(lake))

let source: TestLake
let target: TestLake
let scratch: string
let image: SanityImageAssetDocument
let file: SanityAssetDocument
let imageBytes: Buffer
const pdf = Buffer.from('%PDF-1.4\n% guide\n')

beforeAll(async () => {
  source = await startTestLake({generic: true})
  target = await startTestLake({generic: true})
  scratch = mkdtempSync(join(tmpdir(), 'asset-pack-'))
  const admin = source.client()
  imageBytes = await sharp({
    create: {width: 6, height: 4, channels: 3, background: {r: 200, g: 10, b: 10}},
  })
    .png()
    .toBuffer()
  image = await admin.assets.upload('image', imageBytes, {filename: 'logo.png', title: 'Logo'})
  file = await admin.assets.upload('file', pdf, {
    filename: 'guide.pdf',
    contentType: 'application/pdf',
  })
  await admin
    .transaction()
    .createOrReplace({
      _id: 'org',
      _type: 'organisation',
      logo: {_type: 'image', asset: {_type: 'reference', _ref: image._id}, alt: 'Logo'},
    })
    .createOrReplace({
      _id: 'drafts.guide',
      _type: 'programme',
      guide: {_type: 'file', asset: {_type: 'reference', _ref: file._id}},
    })
    .commit()
})
afterAll(async () => {
  await source?.close()
  await target?.close()
  rmSync(scratch, {recursive: true, force: true})
})

describe('asset packs', () => {
  it('exports a .tar.gz in sanity dataset export layout', async () => {
    const pack = join(scratch, 'production.tar.gz')
    const run = await script('export', [pack], source)
    expect(run.stderr).toContain('Exported 2 documents and 2 assets')
    expect(run.code).toBe(0)
    const read = await readPack(pack)
    const documents = read.ndjson
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(documents.map((document) => document['_type']).sort()).toEqual([
      'organisation',
      'programme',
    ])
    const imagePath = `images/${image.sha1hash}-6x4.png`
    expect(documents.find((document) => document['_id'] === 'org')?.['logo']).toEqual({
      _type: 'image',
      _sanityAsset: `image@file://./${imagePath}`,
      alt: 'Logo',
    })
    expect(read.files.get(imagePath)?.equals(imageBytes)).toBe(true)
    expect(read.files.get(`files/${file.sha1hash}.pdf`)?.equals(pdf)).toBe(true)
    expect(read.described[imagePath]).toEqual({originalFilename: 'logo.png', title: 'Logo'})
  })

  it('imports the pack into another lake: same assets, references restored', async () => {
    const run = await script('import', [join(scratch, 'production.tar.gz')], target)
    expect(run.stderr).toContain('Uploaded 2 assets.')
    expect(run.code).toBe(0)
    const admin = target.client()
    const org = await admin.getDocument('org')
    expect(org?.['logo']).toEqual({
      _type: 'image',
      asset: {_type: 'reference', _ref: image._id},
      alt: 'Logo',
    })
    const draft = await admin.getDocument('drafts.guide')
    expect(draft?.['guide']).toMatchObject({asset: {_ref: file._id}})
    const imported = await admin.getDocument<SanityImageAssetDocument>(image._id)
    expect(imported).toMatchObject({originalFilename: 'logo.png', title: 'Logo'})
    const bytes = await lakeFetch(target, new URL(imported?.url ?? '').pathname)
    expect(bytes.status).toBe(200)
  })

  it('refuses a pack whose data points at a file it does not hold, importing nothing', async () => {
    const broken = join(scratch, 'broken.tar.gz')
    const pack = tar.pack()
    const written = pipeline(pack, createGzip(), createWriteStream(broken))
    pack.entry(
      {name: 'broken/data.ndjson'},
      JSON.stringify({
        _id: 'lonely',
        _type: 'organisation',
        logo: {_sanityAsset: 'image@file://./images/missing.png'},
      }) + '\n',
    )
    pack.finalize()
    await written
    const run = await script('import', [broken], target)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('images/missing.png is not in the pack')
    expect(await target.client().getDocument('lonely')).toBeUndefined()
  })
})
