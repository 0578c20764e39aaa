/**
 * What the lake does with image bytes, through `sharp`: sniff an upload (is it an image, the type
 * it claims, within the pixel limit?), describe it as Content Lake's `sanity.imageMetadata`, and
 * apply the URL transforms `@sanity/image-url` builds (`w`, `h`, `fit`, `crop`, `rect`, `fp-x`,
 * `fp-y`, `fm`, `auto=format`, `q`, `dpr`, `bg`, `flip`, `blur`, `sat`, `invert`, `or`).
 */
import sharp, {type Metadata, type Sharp} from 'sharp'

import {LakeError} from '../store/types'
import {type AssetLimits, LQIP_WIDTH} from './limits'

// Two cores are shared by everything the lake does: one libvips worker per transform keeps a
// burst of image requests from starving queries. libvips' own operation cache is off because the
// lake keeps its results on disk.
sharp.concurrency(1)
sharp.cache(false)

/** The raster formats the lake accepts as images, by sharp's format name, with the extension and
 * MIME type Content Lake gives them. SVG is left out: served from the lake's origin (the Studio's
 * origin) it could run script with an editor's session. */
const IMAGE_FORMATS: Record<string, {extension: string; mimeType: string}> = {
  jpeg: {extension: 'jpg', mimeType: 'image/jpeg'},
  png: {extension: 'png', mimeType: 'image/png'},
  webp: {extension: 'webp', mimeType: 'image/webp'},
  gif: {extension: 'gif', mimeType: 'image/gif'},
  tiff: {extension: 'tiff', mimeType: 'image/tiff'},
  avif: {extension: 'avif', mimeType: 'image/avif'},
}

export interface ImageFacts {
  extension: string
  mimeType: string
  width: number
  height: number
  hasAlpha: boolean
  isOpaque: boolean
  lqip: string
}

function badImage(description: string): LakeError {
  return new LakeError(400, 'invalidImageError', description)
}

/**
 * Reads an upload as an image. The header is read first (no pixels decoded): anything that is
 * not a supported raster image, is not the type its Content-Type claims, or has more pixels than
 * the limit is refused before decoding. Only then are pixels read, for opacity and the LQIP.
 */
export async function analyseImage(
  path: string,
  claimedType: string | undefined,
  limits: AssetLimits,
): Promise<ImageFacts> {
  let metadata: Metadata
  try {
    metadata = await sharp(path, {limitInputPixels: false}).metadata()
  } catch {
    throw badImage(
      'The upload is not an image: its bytes are not JPEG, PNG, WebP, GIF, TIFF or AVIF',
    )
  }
  const format =
    metadata.format === 'heif'
      ? metadata.compression === 'av1'
        ? 'avif'
        : 'heif'
      : metadata.format
  const known = IMAGE_FORMATS[format]
  if (!known) {
    throw badImage(
      `Unsupported image format "${format}": upload JPEG, PNG, WebP, GIF, TIFF or AVIF`,
    )
  }
  const claimed = claimedType?.split(';')[0]?.trim().toLowerCase()
  if (
    claimed &&
    claimed !== 'application/octet-stream' &&
    !sameImageType(claimed, known.mimeType)
  ) {
    throw badImage(`The upload claims to be ${claimed} but its bytes are ${known.mimeType}`)
  }
  // EXIF orientations 5–8 swap width and height: Content Lake reports the upright dimensions.
  const upright = (metadata.orientation ?? 1) >= 5
  const width = upright ? metadata.height : metadata.width
  const height = upright ? metadata.width : metadata.height
  if (!width || !height) throw badImage('The image has no dimensions')
  // Animated images count every frame: decoding one decodes them all.
  const pixels = width * height * (metadata.pages ?? 1)
  if (pixels > limits.maxInputPixels) {
    throw new LakeError(
      413,
      'imageTooLargeError',
      `The image is ${width}×${height}${metadata.pages && metadata.pages > 1 ? ` × ${metadata.pages} frames` : ''} = ${pixels} pixels, more than the limit of ${limits.maxInputPixels}`,
    )
  }
  const input = () => sharp(path, {limitInputPixels: limits.maxInputPixels})
  let isOpaque: boolean
  let lqip: string
  try {
    isOpaque = metadata.hasAlpha ? (await input().stats()).isOpaque : true
    const placeholder = await input()
      .rotate()
      .resize({width: LQIP_WIDTH})
      .flatten({background: '#ffffff'})
      .jpeg({quality: 40})
      .toBuffer()
    lqip = `data:image/jpeg;base64,${placeholder.toString('base64')}`
  } catch (error) {
    throw badImage(
      `The image could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  return {...known, width, height, hasAlpha: metadata.hasAlpha ?? false, isOpaque, lqip}
}

function sameImageType(claimed: string, actual: string): boolean {
  const aliases: Record<string, string> = {'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg'}
  return (aliases[claimed] ?? claimed) === actual
}

/** Output formats for `fm=`; `pjpg` is progressive JPEG. */
const OUTPUT_FORMATS = ['jpg', 'pjpg', 'png', 'webp', 'avif', 'gif'] as const
type OutputFormat = (typeof OUTPUT_FORMATS)[number]
const FITS = ['clip', 'crop', 'fill', 'fillmax', 'max', 'scale', 'min'] as const
type Fit = (typeof FITS)[number]
const CROPS = ['top', 'bottom', 'left', 'right', 'center', 'focalpoint', 'entropy'] as const

/** A parsed, validated transform: the key it is cached under names every field. */
export interface ImageTransform {
  width?: number
  height?: number
  fit: Fit
  crop: string[]
  rect?: {left: number; top: number; width: number; height: number}
  focalPoint?: {x: number; y: number}
  format: OutputFormat | 'original'
  quality?: number
  background?: string
  flip: string
  blur?: number
  saturation?: number
  invert: boolean
  orientation?: number
}

function badParam(name: string, value: string, expected: string): LakeError {
  return new LakeError(400, 'invalidTransformError', `Invalid ${name}="${value}": ${expected}`)
}

function numberParam(
  params: URLSearchParams,
  name: string,
  {min, max, integer}: {min: number; max: number; integer: boolean},
): number | undefined {
  const raw = params.get(name)
  if (raw === null) return undefined
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw badParam(name, raw, `expected ${integer ? 'an integer' : 'a number'}`)
  }
  if (value < min || value > max) throw badParam(name, raw, `expected ${min} to ${max}`)
  return value
}

/**
 * Reads the transform parameters. `dpr` multiplies `w` and `h`; the result is checked against
 * the output limit so `w=8192&dpr=3` is refused like `w=24576`. Unknown parameters are ignored,
 * as Sanity's image pipeline ignores them.
 */
export function parseTransform(
  params: URLSearchParams,
  accept: string | undefined,
  source: {width: number; height: number; extension: string},
  limits: AssetLimits,
): ImageTransform {
  const max = limits.maxOutputDimension
  const dpr = numberParam(params, 'dpr', {min: limits.minDpr, max: limits.maxDpr, integer: false})
  const scaled = (name: 'w' | 'h'): number | undefined => {
    const value = numberParam(params, name, {min: 1, max: Number.MAX_SAFE_INTEGER, integer: true})
    if (value === undefined) return undefined
    const out = Math.round(value * (dpr ?? 1))
    if (out > max) {
      throw badParam(
        name,
        params.get(name) ?? '',
        `the output would be ${out} px${dpr ? ` (at dpr ${dpr})` : ''}, more than the limit of ${max}`,
      )
    }
    return out
  }
  const width = scaled('w')
  const height = scaled('h')
  const fitRaw = params.get('fit') ?? 'clip'
  if (!(FITS as readonly string[]).includes(fitRaw)) {
    throw badParam('fit', fitRaw, `expected one of ${FITS.join(', ')}`)
  }
  const crop = (params.get('crop') ?? 'center').split(',')
  for (const part of crop) {
    if (!(CROPS as readonly string[]).includes(part)) {
      throw badParam('crop', params.get('crop') ?? '', `expected ${CROPS.join(', ')}`)
    }
  }
  let rect: ImageTransform['rect']
  const rectRaw = params.get('rect')
  if (rectRaw !== null) {
    const parts = rectRaw.split(',').map(Number)
    const [left = NaN, top = NaN, w = NaN, h = NaN] = parts
    if (
      parts.length !== 4 ||
      !parts.every((part) => Number.isInteger(part) && part >= 0) ||
      w < 1 ||
      h < 1 ||
      left + w > source.width ||
      top + h > source.height
    ) {
      throw badParam(
        'rect',
        rectRaw,
        `expected left,top,width,height inside the ${source.width}×${source.height} image`,
      )
    }
    rect = {left, top, width: w, height: h}
  }
  const fpX = numberParam(params, 'fp-x', {min: 0, max: 1, integer: false})
  const fpY = numberParam(params, 'fp-y', {min: 0, max: 1, integer: false})
  let format: ImageTransform['format'] = 'original'
  const fm = params.get('fm')
  if (fm !== null) {
    const normalised = fm === 'jpeg' ? 'jpg' : fm
    if (!(OUTPUT_FORMATS as readonly string[]).includes(normalised)) {
      throw badParam('fm', fm, `expected one of ${OUTPUT_FORMATS.join(', ')}`)
    }
    format = normalised as OutputFormat
  }
  const auto = params.get('auto')
  if (auto !== null && auto !== 'format') throw badParam('auto', auto, 'expected format')
  if (auto === 'format' && fm === null) format = negotiate(accept, source.extension)
  const bg = params.get('bg')
  if (bg !== null && !/^([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(bg)) {
    throw badParam('bg', bg, 'expected a hex colour (RGB, ARGB, RRGGBB or AARRGGBB)')
  }
  const flip = params.get('flip') ?? ''
  if (!/^(h|v|hv|vh)?$/.test(flip)) throw badParam('flip', flip, 'expected h, v or hv')
  const orientation = numberParam(params, 'or', {min: 0, max: 270, integer: true})
  if (orientation !== undefined && orientation % 90 !== 0) {
    throw badParam('or', String(orientation), 'expected 0, 90, 180 or 270')
  }
  const quality = numberParam(params, 'q', {min: 0, max: 100, integer: true})
  const blur = numberParam(params, 'blur', {min: 0, max: 2000, integer: true})
  const saturation = numberParam(params, 'sat', {min: -100, max: 100, integer: true})
  return {
    ...(width !== undefined ? {width} : {}),
    ...(height !== undefined ? {height} : {}),
    fit: fitRaw as Fit,
    crop,
    ...(rect ? {rect} : {}),
    ...(fpX !== undefined || fpY !== undefined ? {focalPoint: {x: fpX ?? 0.5, y: fpY ?? 0.5}} : {}),
    format,
    ...(quality !== undefined ? {quality} : {}),
    ...(bg !== null ? {background: bg} : {}),
    flip,
    ...(blur ? {blur} : {}),
    ...(saturation !== undefined ? {saturation} : {}),
    invert: params.get('invert') === 'true' || params.get('invert') === '1',
    ...(orientation ? {orientation} : {}),
  }
}

/** `auto=format`: AVIF, then WebP when the client accepts them, else the original format. */
function negotiate(accept: string | undefined, original: string): ImageTransform['format'] {
  const types = (accept ?? '').toLowerCase()
  if (types.includes('image/avif')) return 'avif'
  if (types.includes('image/webp')) return 'webp'
  return (OUTPUT_FORMATS as readonly string[]).includes(original)
    ? (original as OutputFormat)
    : 'original'
}

interface Rgba {
  r: number
  g: number
  b: number
  alpha: number
}

/** `bg` as Sanity reads it (hex, optional leading alpha) into sharp's colour object. */
function colour(hex: string | undefined, fallback: Rgba): Rgba {
  if (!hex) return fallback
  const full = hex.length <= 4 ? [...hex].map((digit) => digit + digit).join('') : hex
  const [alpha, rgb] = full.length === 8 ? [full.slice(0, 2), full.slice(2)] : ['ff', full]
  return {
    r: parseInt(rgb.slice(0, 2), 16),
    g: parseInt(rgb.slice(2, 4), 16),
    b: parseInt(rgb.slice(4, 6), 16),
    alpha: parseInt(alpha, 16) / 255,
  }
}

/** The extension and MIME type a transform's output gets. */
export function outputType(
  transform: ImageTransform,
  original: {extension: string; mimeType: string},
): {extension: string; mimeType: string} {
  switch (transform.format) {
    case 'original':
      return original
    case 'jpg':
    case 'pjpg':
      return {extension: 'jpg', mimeType: 'image/jpeg'}
    default:
      return {extension: transform.format, mimeType: `image/${transform.format}`}
  }
}

/**
 * Runs a transform. Order as imgix/Sanity apply it: orientation from EXIF, `rect` (the crop an
 * editor chose), resize by `fit`, then flip, rotate, colour adjustments and encoding.
 */
export async function transformImage(
  path: string,
  transform: ImageTransform,
  source: {width: number; height: number; extension: string},
  limits: AssetLimits,
): Promise<Buffer> {
  // Animated GIF/WebP: only the first frame is transformed (the original URL keeps the animation).
  let image = sharp(path, {limitInputPixels: limits.maxInputPixels}).rotate()
  let current = {width: source.width, height: source.height}
  if (transform.rect) {
    image = sharp(await image.extract(transform.rect).toBuffer(), {
      limitInputPixels: limits.maxInputPixels,
    })
    current = {width: transform.rect.width, height: transform.rect.height}
  }
  image = resize(image, transform, current)
  if (transform.flip.includes('h')) image = image.flop()
  if (transform.flip.includes('v')) image = image.flip()
  if (transform.orientation) image = image.rotate(transform.orientation)
  if (transform.blur) image = image.blur(Math.max(0.3, transform.blur / 10))
  if (transform.saturation !== undefined) {
    image = image.modulate({saturation: 1 + transform.saturation / 100})
  }
  if (transform.invert) image = image.negate({alpha: false})
  const quality = transform.quality !== undefined ? {quality: Math.max(1, transform.quality)} : {}
  const format = transform.format === 'original' ? source.extension : transform.format
  switch (format) {
    case 'jpg':
    case 'pjpg':
      return image
        .flatten({background: colour(transform.background, {r: 255, g: 255, b: 255, alpha: 1})})
        .jpeg({...quality, progressive: format === 'pjpg'})
        .toBuffer()
    case 'png':
      return image.png().toBuffer()
    case 'webp':
      return image.webp(quality).toBuffer()
    case 'avif':
      return image.avif(quality).toBuffer()
    case 'gif':
      return image.gif().toBuffer()
    default:
      return image.tiff(quality).toBuffer()
  }
}

function resize(
  image: Sharp,
  transform: ImageTransform,
  current: {width: number; height: number},
): Sharp {
  const {width, height, fit} = transform
  if (width === undefined && height === undefined) return image
  const background = colour(transform.background, {r: 255, g: 255, b: 255, alpha: 0})
  const size = {...(width ? {width} : {}), ...(height ? {height} : {})}
  switch (fit) {
    case 'clip':
      return image.resize({...size, fit: 'inside'})
    case 'max':
      return image.resize({...size, fit: 'inside', withoutEnlargement: true})
    case 'scale':
      return image.resize({...size, fit: width && height ? 'fill' : 'inside'})
    case 'fill':
      return image.resize({...size, fit: 'contain', background})
    case 'fillmax': {
      if (!width || !height) return image.resize({...size, fit: 'inside', withoutEnlargement: true})
      // Never enlarged: a smaller image is centred on a canvas of the requested size.
      const scale = Math.min(1, width / current.width, height / current.height)
      const w = Math.max(1, Math.round(current.width * scale))
      const h = Math.max(1, Math.round(current.height * scale))
      const left = Math.floor((width - w) / 2)
      const top = Math.floor((height - h) / 2)
      return image
        .resize({width: w, height: h, fit: 'fill'})
        .extend({left, top, right: width - w - left, bottom: height - h - top, background})
    }
    case 'min': {
      if (!width || !height) return image.resize({...size, fit: 'inside', withoutEnlargement: true})
      // The requested aspect ratio, the box shrunk (never enlarged) until the original fills it.
      const shrink = Math.min(1, current.width / width, current.height / height)
      return image.resize({
        width: Math.max(1, Math.round(width * shrink)),
        height: Math.max(1, Math.round(height * shrink)),
        fit: 'cover',
        position: position(transform),
      })
    }
    case 'crop':
      if (!width || !height) return image.resize({...size, fit: 'inside'})
      return cropTo(image, transform, current, width, height)
  }
}

/** `fit=crop`: fill the box, cutting where `crop` (or the focal point) says. */
function cropTo(
  image: Sharp,
  transform: ImageTransform,
  current: {width: number; height: number},
  width: number,
  height: number,
): Sharp {
  if (transform.crop.includes('focalpoint') && transform.focalPoint) {
    const scale = Math.max(width / current.width, height / current.height)
    const scaledW = Math.round(current.width * scale)
    const scaledH = Math.round(current.height * scale)
    const clamp = (value: number, maxValue: number) => Math.min(Math.max(0, value), maxValue)
    const left = clamp(Math.round(transform.focalPoint.x * scaledW - width / 2), scaledW - width)
    const top = clamp(Math.round(transform.focalPoint.y * scaledH - height / 2), scaledH - height)
    return image
      .resize({width: scaledW, height: scaledH, fit: 'fill'})
      .extract({left, top, width, height})
  }
  return image.resize({width, height, fit: 'cover', position: position(transform)})
}

function position(transform: ImageTransform): string | number {
  if (transform.crop.includes('entropy')) return sharp.strategy.entropy
  const sides = transform.crop.filter((part) => ['top', 'bottom', 'left', 'right'].includes(part))
  return sides.length ? sides.join(' ') : 'centre'
}
