/**
 * Images and downloads on the site: one responsive `<img>` for every `accessibleImage` (page and
 * role images, organisation logos) and one download link for every `downloadableFile` (programme
 * guides). URLs come from `@sanity/image-url` and the asset's id alone, so the same markup points
 * at Sanity's CDN in hosted mode and at the local lake in local mode: only `AssetHost` differs.
 */
import {createContext, useContext} from 'react'

import {createImageUrlBuilder} from '@sanity/image-url'

import {dataset, isLocalLake, projectId} from '../lib/env'
import type {CareerRoleQueryResult, ProgrammeQueryResult} from '../sanity.types'

/** An image as `imageFragment` projects it (every image field on the site has this shape). */
export type SiteImage = NonNullable<NonNullable<CareerRoleQueryResult>['image']>
/** A download as `fileFragment` projects it. */
export type SiteFile = NonNullable<NonNullable<ProgrammeQueryResult>['guide']>

/** Where asset URLs point: the project and dataset in their path, and the host they start with. */
export interface AssetHost {
  projectId: string
  dataset: string
  /**
   * The start of every asset URL. Unset: `https://cdn.sanity.io`, as in hosted mode. `/`: this
   * site's own origin (URLs are root-relative), which the frontend proxies to the local lake
   * (`web/assetProxy.ts`). Any other origin, e.g. the lake's own `https://localhost:4545`.
   */
  baseUrl?: string
}

/**
 * The asset host from configuration: `WEB_ASSET_BASE_URL` when set; else, in local mode, this
 * site's origin (a reader's browser would otherwise meet the lake's self-signed certificate, see
 * README "Images on the site"); in hosted mode, Sanity's CDN.
 */
export function assetHostFromEnv(env: NodeJS.ProcessEnv = process.env): AssetHost {
  const configured = env['WEB_ASSET_BASE_URL']?.trim()
  const baseUrl = configured || (isLocalLake ? '/' : undefined)
  return {projectId, dataset, ...(baseUrl ? {baseUrl} : {})}
}

/** The asset host views render with; the server provides it per site (`startWeb`). */
export const AssetHostContext = createContext<AssetHost>(assetHostFromEnv())

/**
 * The widths offered in `srcset`: from a small phone at 1x to the 44rem column at 2x and a bit.
 * Never more than the image has: the lake and the CDN would only upscale.
 */
export const IMAGE_WIDTHS = [160, 320, 480, 640, 960, 1280, 1600] as const

/** The width `src` falls back to where `srcset` is not understood: the column at 1x. */
export const FALLBACK_WIDTH = 800

/** The column's width: `body` is at most 46rem with 1rem padding each side (`web/styles.ts`). */
export const COLUMN_SIZES = '(min-width: 46rem) 44rem, calc(100vw - 2rem)'

/** Organisation logos are shown at most 12rem wide (`img.logo` in `web/styles.ts`). */
export const LOGO_SIZES = '12rem'

/**
 * The size of what the editor's crop leaves, rounded as `@sanity/image-url` rounds its `rect`, so
 * `width`/`height` give the exact aspect ratio the served image has and the layout never shifts.
 */
export function croppedSize(
  asset: {width: number; height: number},
  crop: SiteImage['crop'],
): {width: number; height: number} {
  const left = Math.round((crop?.left ?? 0) * asset.width)
  const top = Math.round((crop?.top ?? 0) * asset.height)
  return {
    width: Math.round(asset.width - (crop?.right ?? 0) * asset.width - left),
    height: Math.round(asset.height - (crop?.bottom ?? 0) * asset.height - top),
  }
}

/** The `srcset` widths for an image this wide: the candidates it can fill, and its own width. */
export function srcsetWidths(
  width: number,
  candidates: readonly number[] = IMAGE_WIDTHS,
): number[] {
  const widest = Math.min(width, candidates[candidates.length - 1] ?? width)
  return [...candidates.filter((candidate) => candidate < widest), widest]
}

export interface ResponsiveSources {
  src: string
  srcSet: string
  width: number
  height: number
}

/**
 * Everything an `<img>` needs for one image, or null when there is nothing to show (no asset, or
 * one the reader may not read, or one without dimensions). Each URL asks for one width and lets
 * the server pick the format the browser accepts (`auto=format`: AVIF, WebP, else the original).
 */
export function responsiveSources(
  image: SiteImage | null | undefined,
  host: AssetHost,
  widths: readonly number[] = IMAGE_WIDTHS,
): ResponsiveSources | null {
  if (!image) return null
  const {asset} = image
  if (!asset?._id || !asset.width || !asset.height) return null
  const {width, height} = croppedSize({width: asset.width, height: asset.height}, image.crop)
  if (width <= 0 || height <= 0) return null
  const builder = createImageUrlBuilder({
    projectId: host.projectId,
    dataset: host.dataset,
    ...(host.baseUrl ? {baseUrl: host.baseUrl} : {}),
  })
    .image({
      asset: {_ref: asset._id},
      crop: {
        top: image.crop?.top ?? 0,
        bottom: image.crop?.bottom ?? 0,
        left: image.crop?.left ?? 0,
        right: image.crop?.right ?? 0,
      },
      hotspot: {
        x: image.hotspot?.x ?? 0.5,
        y: image.hotspot?.y ?? 0.5,
        width: image.hotspot?.width ?? 1,
        height: image.hotspot?.height ?? 1,
      },
    })
    .auto('format')
  const offered = srcsetWidths(width, widths)
  return {
    src: builder.width(Math.min(width, FALLBACK_WIDTH)).url(),
    srcSet: offered.map((w) => `${builder.width(w).url()} ${w}w`).join(', '),
    width,
    height,
  }
}

/**
 * One image, responsive: `srcset` by width, `sizes` from where it sits, `width`/`height` from the
 * crop, lazily loaded unless it is the page's main image (`priority`), decoded off the main
 * thread. Alt text is the editor's; a decorative image gets `alt=""` so screen readers skip it.
 * An opaque image shows its LQIP (a 20 px blur) until it loads.
 */
export function ResponsiveImage({
  image,
  sizes = COLUMN_SIZES,
  priority = false,
  className,
}: {
  image: SiteImage | null | undefined
  sizes?: string
  priority?: boolean
  className?: string
}) {
  const host = useContext(AssetHostContext)
  const sources = responsiveSources(image, host)
  if (!image || !sources) return null
  const lqip = image.asset?.isOpaque && image.asset.lqip ? image.asset.lqip : null
  return (
    <img
      src={sources.src}
      srcSet={sources.srcSet}
      sizes={sizes}
      width={sources.width}
      height={sources.height}
      alt={image.decorative ? '' : (image.alt ?? '')}
      loading={priority ? 'eager' : 'lazy'}
      decoding="async"
      {...(priority ? {fetchPriority: 'high' as const} : {})}
      className={className ?? 'site-image'}
      {...(lqip ? {style: {backgroundImage: `url("${lqip}")`, backgroundSize: 'cover'}} : {})}
    />
  )
}

/** `file-<sha1>-<ext>`: the parts a file URL is built from. */
const FILE_ID = /^file-([0-9a-f]{40})-([a-z0-9]{1,16})$/

/** A file asset's URL, built as `@sanity/asset-utils` builds it, on the configured host. */
export function fileUrl(assetId: string, host: AssetHost): string | null {
  const match = FILE_ID.exec(assetId)
  if (!match) return null
  const base = (host.baseUrl ?? 'https://cdn.sanity.io').replace(/\/+$/, '')
  return `${base}/files/${host.projectId}/${host.dataset}/${match[1]}.${match[2]}`
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
}

/** "PDF, 1.2 MB": what a reader needs to know before downloading (GOV.UK's attachment style). */
export function fileDescription(asset: {
  size: number | null
  mimeType: string | null
  extension: string | null
}): string {
  const type =
    (asset.mimeType && TYPE_NAMES[asset.mimeType]) || asset.extension?.toUpperCase() || 'File'
  if (asset.size === null || asset.size < 0) return type
  const size =
    asset.size < 1024
      ? `${asset.size} bytes`
      : asset.size < 1024 * 1024
        ? `${Math.round(asset.size / 1024)} KB`
        : `${(asset.size / (1024 * 1024)).toFixed(1)} MB`
  return `${type}, ${size}`
}

/** A download link with its type and size, or nothing when there is no file the reader may read. */
export function FileDownload({file}: {file: SiteFile | null | undefined}) {
  const host = useContext(AssetHostContext)
  const asset = file?.asset
  const href = asset?._id ? fileUrl(asset._id, host) : null
  if (!file || !asset || !href) return null
  const label = file.title?.trim() || asset.originalFilename || 'Download'
  return (
    <span className="download">
      <a href={href} download={asset.originalFilename ?? true} type={asset.mimeType ?? undefined}>
        {label}
      </a>{' '}
      ({fileDescription(asset)})
    </span>
  )
}
