/**
 * Assets through the stock `@sanity/client` (`client.assets.upload`) and `@sanity/image-url`
 * against a real generic lake: upload, dedupe, the asset documents, serving with transforms
 * (checked by decoding the bytes), bad files, limits at and past each, and access.
 */
import {createHash, randomBytes, randomUUID} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {connect} from 'node:http2'
import {join} from 'node:path'

import type {SanityClient, SanityImageAssetDocument} from '@sanity/client'
import {createImageUrlBuilder} from '@sanity/image-url'
import sharp from 'sharp'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

/** Small limits, so each is proven at and just past it without large inputs. */
const LIMITS = {
  maxUploadBytes: 200_000,
  maxInputPixels: 1200,
  maxOutputDimension: 64,
  minDpr: 1,
  maxDpr: 3,
}

function png(width: number, height: number, colour = '#3366cc', alpha = 1): Promise<Buffer> {
  return sharp({
    create: {width, height, channels: 4, background: {...hexToRgb(colour), alpha}},
  })
    .png()
    .toBuffer()
}

function hexToRgb(hex: string): {r: number; g: number; b: number} {
  return {
    r: parseInt(hex.slice(1, 3), 16),
    g: parseInt(hex.slice(3, 5), 16),
    b: parseInt(hex.slice(5, 7), 16),
  }
}

/** Every file under the lake's asset directory except the transient `tmp/` and `cache/`. */
function storedFiles(lake: TestLake): string[] {
  const root = join(lake.dataDir, 'assets')
  return readdirSync(root, {recursive: true, encoding: 'utf8'})
    .filter((path) => !path.startsWith('tmp') && !path.startsWith('cache'))
    .filter((path) => statSync(join(root, path)).isFile())
}

async function decode(
  response: Response,
): Promise<{format?: string; width?: number; height?: number}> {
  expect(response.status).toBe(200)
  return sharp(Buffer.from(await response.arrayBuffer())).metadata()
}

let lake: TestLake
let admin: SanityClient
let anonymous: SanityClient
let image: SanityImageAssetDocument
let bytes: Buffer

beforeAll(async () => {
  lake = await startTestLake({generic: true, assetLimits: LIMITS})
  admin = lake.client()
  anonymous = lake.client({token: null, perspective: 'published'})
  bytes = await png(40, 30)
  image = await admin.assets.upload('image', bytes, {
    filename: 'tile.png',
    contentType: 'image/png',
  })
})
afterAll(() => lake.close())

describe('upload', () => {
  it('creates a sanity.imageAsset as Content Lake does, with its url on the lake', async () => {
    const sha1 = createHash('sha1').update(bytes).digest('hex')
    expect(image).toMatchObject({
      _id: `image-${sha1}-40x30-png`,
      _type: 'sanity.imageAsset',
      assetId: sha1,
      sha1hash: sha1,
      extension: 'png',
      mimeType: 'image/png',
      originalFilename: 'tile.png',
      size: bytes.length,
      path: `images/local/production/${sha1}-40x30.png`,
      url: `${lake.url}/images/local/production/${sha1}-40x30.png`,
      metadata: {
        _type: 'sanity.imageMetadata',
        dimensions: {_type: 'sanity.imageDimensions', width: 40, height: 30, aspectRatio: 40 / 30},
        hasAlpha: true,
        isOpaque: true,
      },
    })
    expect(image.metadata.lqip).toMatch(/^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/)
    const lqip = await sharp(
      Buffer.from(image.metadata.lqip?.split(',')[1] ?? '', 'base64'),
    ).metadata()
    expect(lqip.width).toBe(20)
    // Written through the store: a query sees it.
    expect(await admin.fetch('*[_id == $id][0]._id', {id: image._id})).toBe(image._id)
  })

  it('stores the bytes once, content-addressed, private on disk', () => {
    const sha1 = image.sha1hash
    const path = join(lake.dataDir, 'assets', sha1.slice(0, 2), sha1)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(join(lake.dataDir, 'assets', sha1.slice(0, 2))).mode & 0o777).toBe(0o700)
    expect(statSync(join(lake.dataDir, 'assets')).mode & 0o777).toBe(0o700)
  })

  it('answers the same bytes again with the existing document and no new write', async () => {
    const before = lake.store.stats().transactions
    const again = await admin.assets.upload('image', bytes, {filename: 'other-name.png'})
    expect(again).toEqual(image)
    expect(lake.store.stats().transactions).toBe(before)
    expect(storedFiles(lake).filter((path) => path.endsWith(image.sha1hash))).toHaveLength(1)
  })

  it('restores the bytes of an asset document that arrived without them (NDJSON import)', async () => {
    const orphanBytes = await png(5, 5, '#abcdef')
    const sha1 = createHash('sha1').update(orphanBytes).digest('hex')
    const path = `images/local/production/${sha1}-5x5.png`
    await admin.create({
      _id: `image-${sha1}-5x5-png`,
      _type: 'sanity.imageAsset',
      sha1hash: sha1,
      extension: 'png',
      mimeType: 'image/png',
      path,
      url: `${lake.url}/${path}`,
      metadata: {dimensions: {width: 5, height: 5, aspectRatio: 1}},
    })
    expect((await lakeFetch(lake, `/${path}`, {token: lake.adminToken})).status).toBe(404)
    const again = await admin.assets.upload('image', orphanBytes)
    expect(again._id).toBe(`image-${sha1}-5x5-png`)
    expect((await lakeFetch(lake, `/${path}`, {token: lake.adminToken})).status).toBe(200)
  })

  it('marks transparency: hasAlpha and isOpaque false', async () => {
    const clear = await admin.assets.upload('image', await png(10, 10, '#ff0000', 0.5))
    expect(clear.metadata).toMatchObject({hasAlpha: true, isOpaque: false})
  })

  it('creates a sanity.fileAsset and serves it back', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% a programme guide\n')
    const file = await admin.assets.upload('file', pdf, {
      filename: 'Guide.PDF',
      contentType: 'application/pdf',
    })
    const sha1 = createHash('sha1').update(pdf).digest('hex')
    expect(file).toMatchObject({
      _id: `file-${sha1}-pdf`,
      _type: 'sanity.fileAsset',
      extension: 'pdf',
      mimeType: 'application/pdf',
      originalFilename: 'Guide.PDF',
      size: pdf.length,
      url: `${lake.url}/files/local/production/${sha1}.pdf`,
    })
    const response = await fetch(file.url, {headers: {authorization: `Bearer ${lake.adminToken}`}})
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(response.headers.get('content-security-policy')).toContain('sandbox')
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true)
  })
})

describe('bad uploads store nothing', () => {
  async function refused(
    kind: 'image' | 'file',
    body: Buffer,
    contentType: string,
  ): Promise<{status: number; description: string}> {
    const files = storedFiles(lake)
    const documents = await admin.fetch(
      'count(*[_type in ["sanity.imageAsset", "sanity.fileAsset"]])',
    )
    const error = await admin.assets.upload(kind, body, {contentType}).then(
      () => {
        throw new Error('upload was accepted')
      },
      (failure: {statusCode: number; responseBody: string}) => failure,
    )
    expect(storedFiles(lake)).toEqual(files)
    expect(readdirSync(join(lake.dataDir, 'assets', 'tmp'))).toEqual([])
    expect(await admin.fetch('count(*[_type in ["sanity.imageAsset", "sanity.fileAsset"]])')).toBe(
      documents,
    )
    const body_ = JSON.parse(error.responseBody) as {error: {description: string}}
    return {status: error.statusCode, description: body_.error.description}
  }

  it('refuses a file that is not an image', async () => {
    const answer = await refused('image', Buffer.from('not an image at all'), 'image/png')
    expect(answer).toEqual({status: 400, description: expect.stringContaining('not an image')})
  })

  it('refuses an image that is not the type it claims', async () => {
    const answer = await refused('image', await png(5, 5), 'image/jpeg')
    expect(answer).toEqual({
      status: 400,
      description: 'The upload claims to be image/jpeg but its bytes are image/png',
    })
  })

  it('refuses SVG, which would run script on the Studio origin', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>')
    const answer = await refused('image', svg, 'image/svg+xml')
    expect(answer.status).toBe(400)
    expect(answer.description).toContain('svg')
  })

  it('takes an image at the pixel limit and refuses one just past it, before decoding', async () => {
    // 40 × 30 = 1200 = the limit: the first upload above succeeded at it.
    expect(image.metadata.dimensions.width * image.metadata.dimensions.height).toBe(
      LIMITS.maxInputPixels,
    )
    const answer = await refused('image', await png(41, 30), 'image/png')
    expect(answer).toEqual({
      status: 413,
      description: expect.stringContaining('1230 pixels, more than the limit of 1200'),
    })
  })

  it('takes an upload at the byte limit and refuses one byte more (413)', async () => {
    const exact = Buffer.alloc(LIMITS.maxUploadBytes, 7)
    const file = await admin.assets.upload('file', exact, {contentType: 'application/octet-stream'})
    expect(file.size).toBe(LIMITS.maxUploadBytes)
    const answer = await refused('file', Buffer.alloc(LIMITS.maxUploadBytes + 1, 8), 'text/plain')
    expect(answer).toEqual({status: 413, description: expect.stringContaining('200000 bytes')})
  })

  it('refuses an oversized body that declares no length, counting while it streams', async () => {
    const files = storedFiles(lake)
    const chunk = Buffer.alloc(64 * 1024, 9)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > LIMITS.maxUploadBytes * 2) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const response = await fetch(`${lake.url}/v2021-06-07/assets/files/production`, {
      method: 'POST',
      headers: {authorization: `Bearer ${lake.adminToken}`, 'content-type': 'text/plain'},
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(storedFiles(lake)).toEqual(files)
  })
})

describe('oversized uploads over HTTP/2', () => {
  it('answers 413 while the body is still streaming, storing nothing', async () => {
    const files = storedFiles(lake)
    const ca = readFileSync(join(lake.dataDir, 'tls', 'cert.pem'), 'utf8')
    const answer = await new Promise<{status: number; body: string}>((resolve, reject) => {
      const session = connect(lake.url, {ca})
      session.on('error', reject)
      const stream = session.request({
        ':method': 'POST',
        ':path': '/v2021-06-07/assets/files/production',
        authorization: `Bearer ${lake.adminToken}`,
      })
      let status = 0
      let body = ''
      stream.on('response', (headers) => (status = Number(headers[':status'])))
      stream.on('data', (chunk: Buffer) => (body += chunk.toString()))
      stream.on('end', () => {
        session.close()
        resolve({status, body})
      })
      stream.on('error', reject)
      // No content-length: the limit can only be found by counting.
      let sent = 0
      const pump = () => {
        while (sent <= LIMITS.maxUploadBytes) {
          sent += 10_000
          if (!stream.write(Buffer.alloc(10_000, 1))) return void stream.once('drain', pump)
        }
        stream.end()
      }
      pump()
    })
    expect(answer.status).toBe(413)
    expect(answer.body).toContain('requestEntityTooLargeError')
    expect(storedFiles(lake)).toEqual(files)
  })
})

describe('serving with transforms', () => {
  const builder = () => createImageUrlBuilder(admin)
  const get = (url: string, accept = '*/*') => fetch(url, {headers: {accept}})
  let source: {_type: 'image'; asset: {_ref: string}}

  beforeAll(async () => {
    source = {_type: 'image', asset: {_ref: image._id}}
    // Anonymous readers (an <img> on the public site) see it once a published page uses it.
    await admin.createOrReplace({_id: 'transform-page', _type: 'page', image: source})
  })

  it('builds URLs on the lake and serves the original', async () => {
    // With both sides given, image-url crops to the box itself: the lake honours that rect.
    const boxed = builder().image(source).width(20).height(20).url()
    expect(boxed).toContain('rect=5,0,30,30')
    expect(await decode(await get(boxed))).toMatchObject({width: 20, height: 20})
    const url = builder().image(source).url()
    expect(url).toBe(image.url)
    const response = await get(url)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('resizes (w, h, dpr) and converts (fm), checked by decoding', async () => {
    expect(await decode(await get(builder().image(source).width(20).url()))).toMatchObject({
      width: 20,
      height: 15,
      format: 'png',
    })
    expect(
      await decode(await get(builder().image(source).width(10).dpr(2).format('webp').url())),
    ).toMatchObject({width: 20, height: 15, format: 'webp'})
    expect(
      await decode(await get(builder().image(source).height(6).format('jpg').quality(50).url())),
    ).toMatchObject({width: 8, height: 6, format: 'jpeg'})
  })

  it('fits: crop and fill give the exact box, max and min never enlarge, clip scales', async () => {
    const at = (
      fit: 'crop' | 'fill' | 'max' | 'min' | 'clip' | 'scale' | 'fillmax',
      w: number,
      h: number,
    ) =>
      // ignoreImageParams: otherwise image-url itself crops (`rect`) to the box's aspect ratio.
      get(builder().image(source).ignoreImageParams().width(w).height(h).fit(fit).url()).then(
        decode,
      )
    expect(await at('crop', 20, 20)).toMatchObject({width: 20, height: 20})
    expect(await at('fill', 20, 20)).toMatchObject({width: 20, height: 20})
    expect(await at('scale', 20, 20)).toMatchObject({width: 20, height: 20})
    expect(await at('clip', 20, 20)).toMatchObject({width: 20, height: 15})
    expect(await at('max', 60, 60)).toMatchObject({width: 40, height: 30})
    expect(await at('clip', 60, 60)).toMatchObject({width: 60, height: 45})
    expect(await at('min', 60, 60)).toMatchObject({width: 30, height: 30})
    expect(await at('fillmax', 60, 60)).toMatchObject({width: 60, height: 60})
  })

  it('crops to rect (an editor crop) and crop=focalpoint keeps the box', async () => {
    const cropped = {
      ...source,
      crop: {top: 0, bottom: 0.5, left: 0, right: 0.5},
      hotspot: {x: 0.25, y: 0.25, width: 0.5, height: 0.5},
    }
    const url = builder().image(cropped).url()
    expect(url).toContain('rect=0,0,20,15')
    expect(await decode(await get(url))).toMatchObject({width: 20, height: 15})
    const focal = builder()
      .image(source)
      .width(10)
      .height(10)
      .fit('crop')
      .crop('focalpoint')
      .focalPoint(0.9, 0.1)
      .url()
    expect(await decode(await get(focal))).toMatchObject({width: 10, height: 10})
  })

  it('auto=format picks AVIF, then WebP, from Accept', async () => {
    const url = builder().image(source).width(16).auto('format').url()
    const avif = await get(url, 'image/avif,image/webp,*/*')
    expect(avif.headers.get('vary')).toContain('accept')
    expect(await decode(avif)).toMatchObject({format: 'heif', width: 16})
    expect(await decode(await get(url, 'image/webp,*/*'))).toMatchObject({format: 'webp'})
    expect(await decode(await get(url, 'image/png'))).toMatchObject({format: 'png'})
  })

  it('caches a transform on disk and serves it again from there', async () => {
    const url = `${image.url}?w=12&fm=webp`
    await decode(await get(url))
    const cache = join(lake.dataDir, 'assets', 'cache')
    const cached = readdirSync(cache, {recursive: true, encoding: 'utf8'}).filter((path) =>
      path.endsWith('.webp'),
    )
    expect(cached.length).toBeGreaterThan(0)
    const again = await get(url)
    expect(again.headers.get('etag')).toBeTruthy()
    expect(await decode(again)).toMatchObject({width: 12, format: 'webp'})
  })

  it('takes the output limit and dpr range at their edges and refuses just past them', async () => {
    const status = async (query: string) =>
      (await lakeFetch(lake, `${new URL(image.url).pathname}?${query}`)).status
    expect(await status('w=64')).toBe(200)
    expect(await status('w=65')).toBe(400)
    expect(await status('w=32&dpr=2')).toBe(200)
    expect(await status('w=33&dpr=2')).toBe(400)
    expect(await status('w=10&dpr=3')).toBe(200)
    expect(await status('w=10&dpr=3.1')).toBe(400)
    expect(await status('w=10&dpr=1')).toBe(200)
    expect(await status('w=10&dpr=0.9')).toBe(400)
    const bad = await lakeFetch(lake, `${new URL(image.url).pathname}?fit=stretch`)
    expect(bad.status).toBe(400)
    expect(bad.json()).toMatchObject({
      error: {
        type: 'invalidTransformError',
        description: expect.stringContaining('Invalid fit="stretch"'),
      },
    })
    expect((await lakeFetch(lake, `${new URL(image.url).pathname}?rect=0,0,41,30`)).status).toBe(
      400,
    )
    expect((await lakeFetch(lake, `${new URL(image.url).pathname}?fm=bmp`)).status).toBe(400)
  })
})

describe('access', () => {
  let privateImage: SanityImageAssetDocument
  let path: string
  const publicIds = () => anonymous.fetch<string[]>('*[_type == "sanity.imageAsset"]._id')

  beforeAll(async () => {
    privateImage = await admin.assets.upload('image', await png(12, 12, '#00aa00'))
    path = new URL(privateImage.url).pathname
  })

  it('lets only roles that write upload', async () => {
    const body = await png(3, 3)
    const anon = await lakeFetch(lake, '/v2021-06-07/assets/images/production', {
      method: 'POST',
      body: new Uint8Array(body),
      headers: {'content-type': 'image/png'},
    })
    expect(anon.status).toBe(401)
    const viewer = lake.client({token: lake.createToken('viewer')})
    await expect(viewer.assets.upload('image', body)).rejects.toMatchObject({statusCode: 403})
  })

  it('hides an asset no public document references, as document and as bytes', async () => {
    expect((await lakeFetch(lake, path)).status).toBe(404)
    expect(await anonymous.getDocument(privateImage._id)).toBeUndefined()
    expect(await publicIds()).not.toContain(privateImage._id)
    // Its owner still sees it, privately cached.
    const own = await lakeFetch(lake, path, {token: lake.adminToken})
    expect(own.status).toBe(200)
    expect(own.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    const negotiated = await lakeFetch(lake, `${path}?w=4&auto=format`, {token: lake.adminToken})
    expect(negotiated.headers.get('vary')).toBe('cookie, authorization, accept')
  })

  it('keeps it hidden when only a private document references it', async () => {
    const ref = {_type: 'image', asset: {_ref: privateImage._id}}
    await admin.createOrReplace({_id: 'private.report', _type: 'report', image: ref})
    // A draft of a private document does not open it either.
    await admin.createOrReplace({_id: 'drafts.private.note', _type: 'report', image: ref})
    expect((await lakeFetch(lake, path)).status).toBe(404)
    expect(await publicIds()).not.toContain(privateImage._id)
    await admin.delete('private.report')
    await admin.delete('drafts.private.note')
  })

  it("serves a public document's draft picture by its URL only, never to shared caches", async () => {
    // A Studio or preview on another origin loads it with a plain <img>, without a token.
    const ref = {_type: 'image', asset: {_ref: privateImage._id}}
    await admin.createOrReplace({_id: 'drafts.access-page', _type: 'page', image: ref})
    const bytes = await lakeFetch(lake, path)
    expect(bytes.status).toBe(200)
    expect(bytes.headers.get('cache-control')).toBe('private, max-age=31536000, immutable')
    expect((await lakeFetch(lake, `${path}?w=2`)).status).toBe(200)
    // The asset document stays out of public queries.
    expect(await anonymous.getDocument(privateImage._id)).toBeUndefined()
    expect(await publicIds()).not.toContain(privateImage._id)
    // Dropping the picture from the draft takes it out of reach again.
    await admin.patch('drafts.access-page').unset(['image']).commit()
    expect((await lakeFetch(lake, path)).status).toBe(404)
    await admin.delete('drafts.access-page')
  })

  it('shows it once a published public document references it, and hides it again after', async () => {
    const ref = {_type: 'image', asset: {_ref: privateImage._id}}
    await admin.createOrReplace({_id: 'access-page', _type: 'page', image: ref})
    expect((await lakeFetch(lake, path)).status).toBe(200)
    expect(await publicIds()).toContain(privateImage._id)
    expect((await anonymous.getDocument(privateImage._id))?._id).toBe(privateImage._id)

    await admin.patch('access-page').unset(['image']).commit()
    expect((await lakeFetch(lake, path)).status).toBe(404)
    expect(await publicIds()).not.toContain(privateImage._id)
  })
})

describe('access in the careers lake', () => {
  let careers: TestLake

  beforeAll(async () => {
    // Room for a file larger than the 1 MiB the lake sends in one write (it streams those).
    careers = await startTestLake({assetLimits: {...LIMITS, maxUploadBytes: 2_000_000}})
  })
  afterAll(() => careers.close())

  it('keeps an image attached only to a feedback report private', async () => {
    const client = careers.client()
    const screenshot = await client.assets.upload('image', await png(8, 8, '#112233'))
    const path = new URL(screenshot.url).pathname
    await client.create({
      _id: `feedback.${randomUUID()}`,
      _type: 'feedbackSubmission',
      status: 'new',
      screenshot: {_type: 'image', asset: {_type: 'reference', _ref: screenshot._id}},
    })
    expect((await lakeFetch(careers, path)).status).toBe(404)
    const reviewer = careers.createToken('reviewer')
    expect((await lakeFetch(careers, path, {token: reviewer})).status).toBe(200)
  })

  it('streams a large file back whole, over HTTP/2 as the Studio fetches it', async () => {
    const big = randomBytes(1_500_000)
    const file = await careers.client().assets.upload('file', big, {contentType: 'application/zip'})
    const ca = readFileSync(join(careers.dataDir, 'tls', 'cert.pem'), 'utf8')
    const received = await new Promise<{status: number; bytes: Buffer}>((resolve, reject) => {
      const session = connect(careers.url, {ca})
      session.on('error', reject)
      const stream = session.request({
        ':path': new URL(file.url).pathname,
        authorization: `Bearer ${careers.adminToken}`,
      })
      const chunks: Buffer[] = []
      let status = 0
      stream.on('response', (headers) => (status = Number(headers[':status'])))
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        session.close()
        resolve({status, bytes: Buffer.concat(chunks)})
      })
      stream.on('error', reject)
      stream.end()
    })
    expect(received.status).toBe(200)
    expect(received.bytes.equals(big)).toBe(true)
  })
})
