/**
 * Images and downloads end to end, as an anonymous reader meets them: a real careers lake seeded
 * with the seed, assets uploaded with the stock `@sanity/client`, the real frontend over HTTP. The
 * URLs the pages render are fetched from the frontend's origin (its proxy to the lake, see
 * `web/assetProxy.ts`) and the bytes decoded; an asset only a draft or a private document uses
 * stays unreadable, even to a request that brings a token; and every proxy limit is proven at and
 * past it.
 */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {SanityClient} from '@sanity/client'
import sharp from 'sharp'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {seedDataset} from '../../scripts/seed'
import {ASSET_PROXY_LIMITS, createAssetProxy} from '../../web/assetProxy'
import {startWeb, type RunningWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'

const PAGE_ID = 'page-training-development-registration-cardiac-sciences'
const PAGE_PATH = '/training-development-registration-cardiac-sciences'
const ALT = 'A cardiac physiologist fitting a heart monitor'

let lake: TestLake
let admin: SanityClient
let web: RunningWeb

/** A deterministic PNG: a gradient from raw pixels, so each size gives different bytes. */
function png(width: number, height: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3)
  for (let i = 0; i < width * height; i++) {
    pixels[i * 3] = (i * seed) % 256
    pixels[i * 3 + 1] = (i >> 4) % 256
    pixels[i * 3 + 2] = seed % 256
  }
  return sharp(pixels, {raw: {width, height, channels: 3}})
    .png()
    .toBuffer()
}

async function uploadImage(width: number, height: number, seed: number): Promise<string> {
  const asset = await admin.assets.upload('image', await png(width, height, seed), {
    filename: `test-${seed}.png`,
  })
  return asset._id
}

function imageField(assetId: string, extra: Record<string, unknown> = {}) {
  return {
    _type: 'accessibleImage',
    asset: {_type: 'reference', _ref: assetId},
    alt: ALT,
    ...extra,
  }
}

async function page(path: string): Promise<string> {
  const response = await fetch(`${web.url}${path}`)
  expect(response.status).toBe(200)
  return response.text()
}

/** `src`, `srcset` URLs and the other attributes of the first `<img>` (names lower-cased). */
function firstImage(html: string): Record<string, string> {
  const tag = /<img ([^>]*)\/?>/.exec(html)?.[1]
  if (!tag) throw new Error('The page has no <img>')
  return Object.fromEntries(
    [...tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)].map((m) => [
      m[1]?.toLowerCase() ?? '',
      (m[2] ?? '').replace(/&amp;/g, '&'),
    ]),
  )
}

beforeAll(async () => {
  lake = await startTestLake()
  admin = lake.client()
  await seedDataset(admin)
  web = await startWeb({
    port: 0,
    lakeUrl: lake.url,
    lakeDataDir: lake.dataDir,
    log: () => undefined,
  })
}, 120_000)

afterAll(async () => {
  await web?.close()
  await lake?.close()
})

describe('a published page’s image, as the public fetches it', () => {
  let imageId: string
  let html: string

  beforeAll(async () => {
    imageId = await uploadImage(1200, 600, 7)
    await admin
      .patch(PAGE_ID)
      .set({
        image: imageField(imageId, {
          crop: {_type: 'sanity.imageCrop', left: 0.25, right: 0, top: 0, bottom: 0},
        }),
      })
      .commit()
    html = await page(PAGE_PATH)
  })

  it('is rendered with srcset, sizes, the cropped width/height, alt and eager loading', () => {
    const img = firstImage(html)
    expect(img['alt']).toBe(ALT)
    expect(img['width']).toBe('900')
    expect(img['height']).toBe('600')
    // The page's main image: the browser should not wait for layout to fetch it.
    expect(img['loading']).toBe('eager')
    expect(img['decoding']).toBe('async')
    const sha = imageId.split('-')[1]
    expect(img['src']).toBe(
      `/images/local/production/${sha}-1200x600.png?rect=300,0,900,600&w=800&auto=format`,
    )
    expect(img['srcset']?.split(', ').map((entry) => entry.split(' ')[1])).toEqual([
      '160w',
      '320w',
      '480w',
      '640w',
      '900w',
    ])
  })

  it('every srcset URL is served from the site origin at its width, in the format asked for', async () => {
    const entries = firstImage(html)['srcset']?.split(', ') ?? []
    for (const entry of entries) {
      const [url = '', descriptor = ''] = entry.split(' ')
      const response = await fetch(`${web.url}${url}`, {headers: {accept: 'image/webp,*/*'}})
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('image/webp')
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expect(response.headers.get('vary')).toBe('accept')
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
      expect(meta.format).toBe('webp')
      expect(`${meta.width}w`).toBe(descriptor)
      expect(meta.height).toBe(Math.round((Number.parseInt(descriptor) * 600) / 900))
    }
  })

  it('a browser that accepts no newer format gets the original type; HEAD sends no body', async () => {
    const src = firstImage(html)['src'] ?? ''
    const response = await fetch(`${web.url}${src}`, {headers: {accept: 'image/png'}})
    expect(response.headers.get('content-type')).toBe('image/png')
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(800)
    const head = await fetch(`${web.url}${src}`, {method: 'HEAD'})
    expect(head.status).toBe(200)
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0)
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })

  it('the lake’s sandbox comes along: no asset runs script on the site’s origin', async () => {
    const response = await fetch(`${web.url}${firstImage(html)['src']}`)
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('a decorative image is rendered with alt=""', async () => {
    await admin.patch(PAGE_ID).set({'image.decorative': true}).commit()
    expect(firstImage(await page(PAGE_PATH))['alt']).toBe('')
    await admin.patch(PAGE_ID).set({'image.decorative': false}).commit()
  })
})

describe('role images and programme guides', () => {
  it('a role’s image is lazy, sized by the column', async () => {
    const imageId = await uploadImage(400, 300, 11)
    const role = await admin.fetch<{_id: string; slug: string}>(
      '*[_type == "careerRole" && defined(slug.current)] | order(_id asc)[0]{_id, "slug": slug.current}',
    )
    await admin
      .patch(role._id)
      .set({image: imageField(imageId)})
      .commit()
    const img = firstImage(await page(`/roles/${role.slug}`))
    expect(img).toMatchObject({alt: ALT, width: '400', height: '300', loading: 'lazy'})
    expect(img['srcset']?.split(', ').map((entry) => entry.split(' ')[1])).toEqual([
      '160w',
      '320w',
      '400w',
    ])
    const response = await fetch(`${web.url}${img['src']}`)
    expect(response.headers.get('content-type')).toMatch(/^image\//)
  })

  it('a programme guide is a download link with type and size, served as a PDF', async () => {
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'.padEnd(3000, ' '),
    )
    const asset = await admin.assets.upload('file', pdf, {
      filename: 'stp-guide.pdf',
      contentType: 'application/pdf',
    })
    await admin
      .patch('programme-stp')
      .set({
        guide: {
          _type: 'downloadableFile',
          asset: {_type: 'reference', _ref: asset._id},
          title: 'STP programme guide (PDF)',
        },
      })
      .commit()
    const html = await page('/programmes/stp')
    const link =
      /<a href="([^"]+)" download="stp-guide.pdf"[^>]*>STP programme guide \(PDF\)<\/a> \(PDF, 3 KB\)/.exec(
        html,
      )
    expect(link?.[1]).toBe(`/files/local/production/${asset._id.split('-')[1]}.pdf`)
    const response = await fetch(`${web.url}${link?.[1]}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await response.arrayBuffer()).equals(pdf)).toBe(true)
  })
})

describe('what the public may not fetch', () => {
  it('an image only a draft uses is served by its URL for the preview, never to shared caches; publishing makes it public', async () => {
    const imageId = await uploadImage(300, 200, 13)
    const published = await admin.getDocument(PAGE_ID)
    await admin.createOrReplace({
      ...published,
      _type: 'page',
      _id: `drafts.${PAGE_ID}`,
      image: imageField(imageId),
    })
    const url = `${web.url}/images/local/production/${imageId.split('-')[1]}-300x200.png?w=160`
    // The page still shows the published image.
    expect(firstImage(await page(PAGE_PATH))['src']).not.toContain(imageId.split('-')[1])
    // A preview of the draft loads the picture without a token, as a plain <img> does.
    const previewed = await fetch(url)
    expect(previewed.status).toBe(200)
    expect(previewed.headers.get('cache-control')).toMatch(/^private/)
    await previewed.arrayBuffer()

    const draft = await admin.getDocument(`drafts.${PAGE_ID}`)
    const {_id, _rev, ...content} = draft ?? {}
    void _id
    void _rev
    await admin
      .transaction()
      .createOrReplace({...content, _id: PAGE_ID, _type: 'page'})
      .delete(`drafts.${PAGE_ID}`)
      .commit()
    const served = await fetch(url)
    expect(served.status).toBe(200)
    expect(served.headers.get('cache-control')).toMatch(/^public/)
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(160)
  })

  it('an image only a private document uses is not served', async () => {
    const imageId = await uploadImage(300, 200, 17)
    await admin.createOrReplace({
      _id: 'private.holder',
      _type: 'page',
      title: 'Private',
      image: imageField(imageId),
    })
    const url = `${web.url}/images/local/production/${imageId.split('-')[1]}-300x200.png`
    const refused = await fetch(url, {headers: {authorization: `Bearer ${lake.adminToken}`}})
    expect(refused.status).toBe(404)
    // A refusal is never kept: the same URL may be served once a public document uses it.
    expect(refused.headers.get('cache-control')).toBe('no-store')
    // The lake itself serves it to the token, so the 404 is the proxy forwarding as the public.
    const direct = await fetch(url.replace(web.url, lake.url), {
      headers: {authorization: `Bearer ${lake.adminToken}`},
    })
    expect(direct.status).toBe(200)
    await direct.arrayBuffer()
  })
})

describe('the proxy’s own limits', () => {
  const sha = 'b'.repeat(40)

  it('forwards only asset URLs of this project and dataset', async () => {
    for (const path of [
      `/images/other-project/production/${sha}-10x10.png`,
      `/images/local/staging/${sha}-10x10.png`,
      `/images/local/production/${sha}.png`,
      `/images/local/production/${sha}-10x10.png/more`,
      `/files/local/production/${sha}-10x10.png`,
      '/images/local/production/..%2F..%2Fv1%2Fdata',
    ]) {
      const response = await fetch(`${web.url}${path}`)
      expect.soft(response.status, path).toBe(404)
      await response.arrayBuffer()
    }
    const post = await fetch(`${web.url}/images/local/production/${sha}-10x10.png`, {
      method: 'POST',
    })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('a query string at the limit is forwarded; past it, 414', async () => {
    const base = `${web.url}/images/local/production/${sha}-10x10.png`
    const at = `?w=10&pad=${'x'.repeat(ASSET_PROXY_LIMITS.maxQueryLength - '?w=10&pad='.length)}`
    expect(at.length).toBe(ASSET_PROXY_LIMITS.maxQueryLength)
    const forwarded = await fetch(`${base}${at}`)
    // Forwarded: the lake answers (no such asset), not the proxy's limit.
    expect(forwarded.status).toBe(404)
    const past = await fetch(`${base}${at}x`)
    expect(past.status).toBe(414)
    expect(await past.text()).toContain(`at most ${ASSET_PROXY_LIMITS.maxQueryLength} characters`)
  })

  it('answers 503 with Retry-After when the lake cannot be reached', async () => {
    const offline = await startWeb({port: 0, lakeUrl: 'https://127.0.0.1:9', log: () => undefined})
    try {
      const response = await fetch(`${offline.url}/images/local/production/${sha}-10x10.png`)
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('30')
    } finally {
      await offline.close()
    }
  })

  describe('with small limits', () => {
    let server: Server
    let silent: Server
    let origin: string
    let imagePath: string
    let bytes: number

    beforeAll(async () => {
      const imageId = await uploadImage(40, 40, 19)
      await admin
        .patch(PAGE_ID)
        .set({image: imageField(imageId)})
        .commit()
      imagePath = `/images/local/production/${imageId.split('-')[1]}-40x40.png`
      bytes = (await (await fetch(`${web.url}${imagePath}`)).arrayBuffer()).byteLength
      // A "lake" that accepts connections and never answers.
      silent = createServer(() => undefined)
      await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done))
      const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
      const proxies = {
        '/at/': createAssetProxy({
          lakeUrl: lake.url,
          projectId: 'local',
          dataset: 'production',
          limits: {maxResponseBytes: bytes},
        }),
        '/past/': createAssetProxy({
          lakeUrl: lake.url,
          projectId: 'local',
          dataset: 'production',
          limits: {maxResponseBytes: bytes - 1},
        }),
        '/silent/': createAssetProxy({
          lakeUrl: silentUrl,
          projectId: 'local',
          dataset: 'production',
          limits: {responseTimeoutMs: 200},
        }),
      }
      server = createServer((req, res) => {
        const prefix = Object.keys(proxies).find((p) => req.url?.startsWith(p)) as
          keyof typeof proxies | undefined
        if (!prefix) {
          res.writeHead(404).end()
          return
        }
        req.url = req.url?.slice(prefix.length - 1)
        void proxies[prefix](req, res)
      })
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })

    afterAll(async () => {
      server?.closeAllConnections()
      silent?.closeAllConnections()
      await Promise.all([
        new Promise((done) => server?.close(done)),
        new Promise((done) => silent?.close(done)),
      ])
    })

    it('an answer of exactly the byte limit is passed on; one byte more is a 502', async () => {
      const at = await fetch(`${origin}/at${imagePath}`)
      expect(at.status).toBe(200)
      expect((await at.arrayBuffer()).byteLength).toBe(bytes)
      const past = await fetch(`${origin}/past${imagePath}`)
      expect(past.status).toBe(502)
      expect(await past.text()).toBe('The asset is too large to be shown here.')
    })

    it('a lake that does not start answering in time is a 504', async () => {
      const response = await fetch(`${origin}/silent${imagePath}`)
      expect(response.status).toBe(504)
    })
  })
})
