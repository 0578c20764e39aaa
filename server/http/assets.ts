/**
 * Assets, as Content Lake serves them:
 *
 * - `POST /assets/images/<dataset>` and `POST /assets/files/<dataset>` (what
 *   `client.assets.upload('image' | 'file', body, {filename, contentType})` sends): the body is
 *   streamed to disk (byte limit), hashed, sniffed (images), then stored content-addressed and
 *   described by a `sanity.imageAsset` / `sanity.fileAsset` document written through the store
 *   (durable, listenable). Answers `{document}`; the same bytes again answer the existing document.
 * - `GET /images/<projectId>/<dataset>/<sha1>-<w>x<h>.<ext>?<transforms>` (the URL
 *   `@sanity/image-url` builds from the lake's `apiHost`) and
 *   `GET /files/<projectId>/<dataset>/<sha1>.<ext>`: the bytes, transformed with sharp and cached
 *   on disk, `immutable` (the URL names the content).
 *
 * Reading an asset, document or bytes, is decided by the asset's document id through the access
 * table, which for anonymous readers means "referenced by a public document"
 * (`server/assets/access.ts`). Any project id is accepted in the path, as the lake answers to any.
 */
import {readFile, rename, rm, stat, writeFile} from 'node:fs/promises'
import {createReadStream, existsSync} from 'node:fs'
import {createHash} from 'node:crypto'

import {ANONYMOUS} from '../auth/access'
import type {AssetAccess} from '../assets/access'
import type {WriteRules} from '../auth/writeRules'
import {
  analyseImage,
  type ImageFacts,
  outputType,
  parseTransform,
  transformImage,
} from '../assets/images'
import type {AssetLimits} from '../assets/limits'
import {type AssetStorage, FILE_MODE} from '../assets/storage'
import type {Identity, LakeStore} from '../store/types'
import {
  forbidden,
  header,
  httpError,
  type LakeRequest,
  type LakeResponse,
  notFound,
  sendJson,
  unauthorized,
} from './common'

export interface AssetContext {
  store: LakeStore
  access: AssetAccess
  writeRules: WriteRules
  storage: AssetStorage
  limits: AssetLimits
  dataset: string
  projectId: string
  /** The lake's own origin (`https://localhost:4545`): asset documents' `url` points here. */
  origin: () => string
}

/** A year: the longest lifetime caches honour; the URL changes whenever the content does. */
const IMMUTABLE = 'max-age=31536000, immutable'

const EXTENSION = /^[a-z0-9]{1,16}$/

/** `file-<sha1>-<ext>`: the extension from the filename, else the MIME subtype, else `bin`. */
function fileExtension(filename: string | undefined, contentType: string | undefined): string {
  const fromName = filename?.includes('.') ? filename.split('.').pop()?.toLowerCase() : undefined
  if (fromName && EXTENSION.test(fromName)) return fromName
  const subtype = contentType?.split(';')[0]?.split('/')[1]?.split('+')[0]?.toLowerCase()
  if (subtype && EXTENSION.test(subtype) && subtype !== 'octet-stream') return subtype
  return 'bin'
}

/** Optional descriptive fields Content Lake copies from the upload's query string. */
function describedBy(params: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of ['label', 'title', 'description', 'creditLine']) {
    const value = params.get(name)
    if (value) out[name] = value
  }
  const sourceName = params.get('sourceName')
  const sourceId = params.get('sourceId')
  if (sourceName && sourceId) {
    out['source'] = {
      _type: 'sanity.assetSourceData',
      name: sourceName,
      id: sourceId,
      ...(params.get('sourceUrl') ? {url: params.get('sourceUrl')} : {}),
    }
  }
  return out
}

export async function handleUpload(
  ctx: AssetContext,
  req: LakeRequest,
  res: LakeResponse,
  url: URL,
  identity: Identity,
  kind: 'images' | 'files',
): Promise<void> {
  if (identity.role === 'anonymous') {
    req.resume()
    throw unauthorized('Unauthorized - uploads need a token (Authorization: Bearer …)')
  }
  if (!ctx.access.canWriteAnything(identity)) {
    req.resume()
    throw forbidden(`Insufficient permissions: the ${identity.role} role cannot upload assets`)
  }
  const contentType = header(req.headers, 'content-type')
  const declared = Number(header(req.headers, 'content-length'))
  let upload
  try {
    upload = await ctx.storage.receive(
      req,
      ctx.limits.maxUploadBytes,
      Number.isFinite(declared) ? declared : undefined,
    )
  } catch (error) {
    // Drain what the client keeps sending so it reads the error instead of a reset, and close an
    // HTTP/1.1 connection whose body was cut short (it cannot carry another request).
    req.resume()
    if (req.httpVersionMajor === 1) res.setHeader('connection', 'close')
    throw error
  }
  try {
    const filename = url.searchParams.get('filename') ?? undefined
    let image: ImageFacts | undefined
    let id: string
    let extension: string
    let mimeType: string
    if (kind === 'images') {
      image = await analyseImage(upload.tempPath, contentType, ctx.limits)
      extension = image.extension
      mimeType = image.mimeType
      id = `image-${upload.sha1}-${image.width}x${image.height}-${extension}`
    } else {
      extension = fileExtension(filename, contentType)
      mimeType = contentType?.split(';')[0]?.trim() || 'application/octet-stream'
      id = `file-${upload.sha1}-${extension}`
    }
    const rules = ctx.writeRules(identity, 'mutationError')
    if (!rules.canWrite(id)) {
      throw forbidden(`Insufficient permissions: the ${identity.role} role may not create "${id}"`)
    }
    const [existing] = ctx.store.getDocuments([id], () => true)
    if (existing) {
      // Same bytes, same document. Committing still matters when the document came without its
      // bytes (an NDJSON import of asset documents): this upload restores them.
      await ctx.storage.commit(upload)
      return sendJson(res, 200, {document: existing})
    }
    const created = await ctx.storage.commit(upload)
    const path =
      kind === 'images'
        ? `images/${ctx.projectId}/${ctx.dataset}/${upload.sha1}-${image?.width}x${image?.height}.${extension}`
        : `files/${ctx.projectId}/${ctx.dataset}/${upload.sha1}.${extension}`
    const document = {
      _id: id,
      _type: kind === 'images' ? 'sanity.imageAsset' : 'sanity.fileAsset',
      assetId: upload.sha1,
      extension,
      mimeType,
      ...(filename ? {originalFilename: filename} : {}),
      path,
      sha1hash: upload.sha1,
      size: upload.size,
      url: `${ctx.origin()}/${path}`,
      uploadId: createHash('sha1').update(`${id}:${Date.now()}`).digest('hex').slice(0, 32),
      ...describedBy(url.searchParams),
      ...(image
        ? {
            metadata: {
              _type: 'sanity.imageMetadata',
              dimensions: {
                _type: 'sanity.imageDimensions',
                width: image.width,
                height: image.height,
                aspectRatio: image.width / image.height,
              },
              hasAlpha: image.hasAlpha,
              isOpaque: image.isOpaque,
              lqip: image.lqip,
            },
          }
        : {}),
    }
    try {
      const transaction = await ctx.store.mutate([{createIfNotExists: document}], rules)
      const change = transaction.changes.find((candidate) => candidate.documentId === id)
      const [stored] = ctx.store.getDocuments([id], () => true)
      return sendJson(res, 200, {document: change?.result ?? stored})
    } catch (error) {
      // Bytes this request put on disk must not outlive a refused document.
      if (created) await ctx.storage.remove(upload.sha1)
      throw error
    }
  } catch (error) {
    await ctx.storage.discard(upload)
    throw error
  }
}

/** `<sha1>-<w>x<h>.<ext>` and `<sha1>.<ext>`, the file names in asset URLs. */
const IMAGE_NAME = /^([0-9a-f]{40})-(\d+)x(\d+)\.([a-z0-9]{1,16})$/
const FILE_NAME = /^([0-9a-f]{40})\.([a-z0-9]{1,16})$/

/** `GET /images/...` and `GET /files/...`; `segments` is what follows `images`/`files`. */
export async function handleServe(
  ctx: AssetContext,
  req: LakeRequest,
  res: LakeResponse,
  url: URL,
  identity: Identity,
  kind: 'images' | 'files',
  segments: string[],
): Promise<void> {
  const method = req.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') throw httpError(405, 'methodNotAllowed', 'GET only')
  const [, datasetName, name, extra] = segments
  if (datasetName !== ctx.dataset || !name || extra !== undefined) throw notFound()
  let id: string
  let sha1: string
  if (kind === 'images') {
    const match = IMAGE_NAME.exec(name)
    if (!match) throw notFound('Not an image asset URL: expected <sha1>-<width>x<height>.<ext>')
    const [, hash = '', width, height, extension] = match
    sha1 = hash
    id = `image-${sha1}-${width}x${height}-${extension}`
  } else {
    const match = FILE_NAME.exec(name)
    if (!match) throw notFound('Not a file asset URL: expected <sha1>.<ext>')
    const [, hash = '', extension] = match
    sha1 = hash
    id = `file-${sha1}-${extension}`
  }
  // Unreadable and missing answer alike, so a URL reveals nothing about private assets.
  const [document] = ctx.store.getDocuments([id], ctx.access.canFetchFile(identity))
  if (!document || !ctx.storage.has(sha1)) throw notFound('Asset not found')
  // Only what published public documents use may be kept by shared caches: a draft's picture may
  // never be published, and is dropped from public reach when the draft is.
  const isPublic = ctx.access.canRead(ANONYMOUS)(id)
  res.setHeader('cache-control', `${isPublic ? 'public' : 'private'}, ${IMMUTABLE}`)
  res.setHeader('x-content-type-options', 'nosniff')
  // An uploaded HTML or SVG file served from the Studio's origin must not run script there.
  res.setHeader('content-security-policy', "default-src 'none'; sandbox")
  // A private answer depends on who asks; a negotiated format on what the client accepts.
  const vary = [
    ...(isPublic ? [] : ['cookie', 'authorization']),
    ...(url.searchParams.get('auto') === 'format' ? ['accept'] : []),
  ]
  if (vary.length > 0) res.setHeader('vary', vary.join(', '))
  const dl = url.searchParams.get('dl')
  if (dl !== null) {
    const filename = dl || String(document['originalFilename'] ?? name)
    res.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
    )
  }

  const original = {
    extension: String(document['extension']),
    mimeType: String(document['mimeType']),
  }
  const transforms = [...url.searchParams.keys()].filter((key) => key !== 'dl')
  if (kind === 'files' || transforms.length === 0) {
    return sendFile(res, method, ctx.storage.pathOf(sha1), original.mimeType, `"${sha1}"`)
  }
  const dimensions = (document['metadata'] as {dimensions?: {width: number; height: number}})
    ?.dimensions
  const source = {
    width: dimensions?.width ?? 0,
    height: dimensions?.height ?? 0,
    extension: original.extension,
  }
  const transform = parseTransform(
    url.searchParams,
    header(req.headers, 'accept'),
    source,
    ctx.limits,
  )
  const output = outputType(transform, original)
  const key = createHash('sha1')
    .update(JSON.stringify([sha1, transform]))
    .digest('hex')
  const cached = ctx.storage.cachePaths(key, output.extension)
  if (!existsSync(cached.path)) {
    const bytes = await transformImage(ctx.storage.pathOf(sha1), transform, source, ctx.limits)
    try {
      await writeFile(cached.temp, bytes, {mode: FILE_MODE})
      await rename(cached.temp, cached.path)
    } catch (error) {
      await rm(cached.temp, {force: true})
      throw error
    }
  }
  return sendFile(res, method, cached.path, output.mimeType, `"${key}"`)
}

async function sendFile(
  res: LakeResponse,
  method: string,
  path: string,
  mimeType: string,
  etag: string,
): Promise<void> {
  const {size} = await stat(path)
  res.statusCode = 200
  res.setHeader('content-type', mimeType)
  res.setHeader('content-length', size)
  res.setHeader('etag', etag)
  if (method === 'HEAD') {
    res.end()
    return
  }
  // Small files in one write; larger ones streamed with backpressure.
  if (size <= 1024 * 1024) {
    res.end(await readFile(path))
    return
  }
  for await (const chunk of createReadStream(path)) {
    if (!res.write(chunk as Buffer))
      await new Promise<void>((resolve) => res.once('drain', resolve))
  }
  res.end()
}
