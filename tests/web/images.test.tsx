/**
 * The frontend's images and downloads as pure functions and rendered HTML: the URLs
 * `@sanity/image-url` builds on each configured host, the crop's size, `srcset` widths, and the
 * `<img>` / download link markup (alt text, decorative images, lazy and eager loading).
 */
import {renderToStaticMarkup} from 'react-dom/server'
import {describe, expect, it, vi} from 'vitest'

import {
  type AssetHost,
  AssetHostContext,
  assetHostFromEnv,
  croppedSize,
  FileDownload,
  fileDescription,
  fileUrl,
  IMAGE_WIDTHS,
  ResponsiveImage,
  responsiveSources,
  type SiteFile,
  type SiteImage,
  srcsetWidths,
} from '../../web/images'

const SHA = 'a'.repeat(40)
const LOCAL: AssetHost = {projectId: 'local', dataset: 'production', baseUrl: '/'}
const HOSTED: AssetHost = {projectId: 'abc123', dataset: 'production'}

function image(overrides: Partial<SiteImage> = {}, width = 2000, height = 1000): SiteImage {
  return {
    asset: {
      _id: `image-${SHA}-${width}x${height}-png`,
      width,
      height,
      lqip: 'data:image/jpeg;base64,AAAA',
      isOpaque: true,
    },
    hotspot: null,
    crop: null,
    alt: 'A cardiac physiologist fitting a heart monitor',
    decorative: false,
    ...overrides,
  }
}

function render(node: React.ReactElement, host: AssetHost = LOCAL): string {
  return renderToStaticMarkup(<AssetHostContext value={host}>{node}</AssetHostContext>)
}

/** The attributes of the one `<img>` in some HTML, by lower-case name (React writes `srcSet`). */
function imgAttributes(html: string): Record<string, string> {
  const tag = /<img ([^>]*)\/?>/.exec(html)?.[1]
  if (!tag) throw new Error(`no <img> in ${html}`)
  return Object.fromEntries(
    [...tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)].map((m) => [
      m[1]?.toLowerCase(),
      m[2]?.replace(/&amp;/g, '&'),
    ]),
  )
}

describe('image URLs on each host', () => {
  it('local mode: root-relative URLs on the site origin, which proxies them to the lake', () => {
    const sources = responsiveSources(image(), LOCAL)
    expect(sources?.src).toBe(`/images/local/production/${SHA}-2000x1000.png?w=800&auto=format`)
  })

  it('hosted mode: Sanity CDN URLs for the configured project', () => {
    const sources = responsiveSources(image(), HOSTED)
    expect(sources?.src).toBe(
      `https://cdn.sanity.io/images/abc123/production/${SHA}-2000x1000.png?w=800&auto=format`,
    )
  })

  it('another origin when configured (e.g. the lake itself)', () => {
    const sources = responsiveSources(image(), {...LOCAL, baseUrl: 'https://localhost:4545/'})
    expect(sources?.src).toMatch(/^https:\/\/localhost:4545\/images\/local\/production\//)
  })

  it('assetHostFromEnv: the site origin in local mode, WEB_ASSET_BASE_URL when set', () => {
    // This suite runs in local mode (no SANITY_STUDIO_PROJECT_ID).
    expect(assetHostFromEnv({})).toEqual({projectId: 'local', dataset: 'production', baseUrl: '/'})
    expect(assetHostFromEnv({WEB_ASSET_BASE_URL: 'https://img.example'}).baseUrl).toBe(
      'https://img.example',
    )
  })

  it('assetHostFromEnv in hosted mode: Sanity’s CDN, for the configured project', async () => {
    vi.stubEnv('SANITY_STUDIO_PROJECT_ID', 'abc123')
    vi.stubEnv('SANITY_STUDIO_DATASET', 'staging')
    vi.resetModules()
    try {
      // lib/env reads the project once, when first imported: a fresh module graph sees it.
      const hosted = await import('../../web/images')
      const host = hosted.assetHostFromEnv({})
      expect(host).toEqual({projectId: 'abc123', dataset: 'staging'})
      expect(hosted.responsiveSources(image(), host)?.src).toBe(
        `https://cdn.sanity.io/images/abc123/staging/${SHA}-2000x1000.png?w=800&auto=format`,
      )
    } finally {
      vi.unstubAllEnvs()
      vi.resetModules()
    }
  })

  it('the crop becomes a rect, and width/height are the cropped size', () => {
    const cropped = image({
      crop: {_type: 'sanity.imageCrop', left: 0.1, right: 0.2, top: 0.25, bottom: 0.05},
    })
    const sources = responsiveSources(cropped, LOCAL)
    expect(sources).toMatchObject({width: 1400, height: 700})
    expect(sources?.src).toContain('rect=200,250,1400,700')
    expect(sources?.srcSet).toContain('rect=200,250,1400,700&w=1280&auto=format 1280w')
  })

  it('nothing to show: no asset, an unreadable one, or one without dimensions', () => {
    expect(responsiveSources(null, LOCAL)).toBeNull()
    expect(responsiveSources(image({asset: null}), LOCAL)).toBeNull()
    const noSize = image()
    if (noSize.asset) noSize.asset.width = null
    expect(responsiveSources(noSize, LOCAL)).toBeNull()
  })
})

describe('croppedSize and srcsetWidths', () => {
  it('rounds as @sanity/image-url rounds its rect', () => {
    expect(croppedSize({width: 333, height: 101}, null)).toEqual({width: 333, height: 101})
    expect(
      croppedSize(
        {width: 333, height: 101},
        {_type: 'sanity.imageCrop', left: 0.333, right: 0.001, top: 0.5, bottom: 0},
      ),
    ).toEqual({width: 222, height: 50})
  })

  it('offers the widths an image can fill, then its own width, never more', () => {
    expect(srcsetWidths(5000)).toEqual([...IMAGE_WIDTHS])
    expect(srcsetWidths(1600)).toEqual([...IMAGE_WIDTHS])
    expect(srcsetWidths(1000)).toEqual([160, 320, 480, 640, 960, 1000])
    expect(srcsetWidths(100)).toEqual([100])
  })
})

describe('<ResponsiveImage>', () => {
  it('renders srcset by width, sizes, width/height, lazy loading, async decoding and alt', () => {
    const attributes = imgAttributes(render(<ResponsiveImage image={image()} />))
    expect(attributes['alt']).toBe('A cardiac physiologist fitting a heart monitor')
    expect(attributes['width']).toBe('2000')
    expect(attributes['height']).toBe('1000')
    expect(attributes['loading']).toBe('lazy')
    expect(attributes['decoding']).toBe('async')
    expect(attributes['sizes']).toBe('(min-width: 46rem) 44rem, calc(100vw - 2rem)')
    const entries = attributes['srcset']?.split(', ') ?? []
    expect(entries.map((entry) => entry.split(' ')[1])).toEqual(
      IMAGE_WIDTHS.map((width) => `${width}w`),
    )
    for (const entry of entries) {
      const [url, descriptor] = entry.split(' ')
      expect(url).toContain(`w=${descriptor?.slice(0, -1)}&auto=format`)
    }
    expect(attributes['fetchpriority']).toBeUndefined()
  })

  it('the page’s main image loads eagerly, at high priority', () => {
    const attributes = imgAttributes(render(<ResponsiveImage image={image()} priority />))
    expect(attributes['loading']).toBe('eager')
    expect(attributes['fetchpriority']).toBe('high')
  })

  it('a decorative image has alt="" whatever alt text it once had', () => {
    const html = render(<ResponsiveImage image={image({decorative: true})} />)
    expect(imgAttributes(html)['alt']).toBe('')
    expect(html).not.toContain('cardiac physiologist')
  })

  it('shows the LQIP behind an opaque image only (a logo with transparency would keep it)', () => {
    expect(render(<ResponsiveImage image={image()} />)).toContain(
      'background-image:url(&quot;data:image/jpeg;base64,AAAA&quot;)',
    )
    const transparent = image()
    if (transparent.asset) transparent.asset.isOpaque = false
    expect(render(<ResponsiveImage image={transparent} />)).not.toContain('background-image')
  })

  it('renders nothing without an asset the reader may read', () => {
    expect(render(<ResponsiveImage image={image({asset: null})} />)).toBe('')
    expect(render(<ResponsiveImage image={null} />)).toBe('')
  })

  it('uses the host from context: hosted pages point at cdn.sanity.io', () => {
    const attributes = imgAttributes(render(<ResponsiveImage image={image()} />, HOSTED))
    expect(attributes['src']).toMatch(/^https:\/\/cdn\.sanity\.io\/images\/abc123\/production\//)
  })
})

describe('downloads', () => {
  const guide: SiteFile = {
    asset: {
      _id: `file-${SHA}-pdf`,
      size: 1_234_567,
      mimeType: 'application/pdf',
      extension: 'pdf',
      originalFilename: 'stp-guide.pdf',
    },
    title: 'STP programme guide (PDF)',
  }

  it('builds file URLs on each host', () => {
    expect(fileUrl(`file-${SHA}-pdf`, LOCAL)).toBe(`/files/local/production/${SHA}.pdf`)
    expect(fileUrl(`file-${SHA}-pdf`, HOSTED)).toBe(
      `https://cdn.sanity.io/files/abc123/production/${SHA}.pdf`,
    )
    expect(fileUrl('image-abc-1x1-png', LOCAL)).toBeNull()
  })

  it('says the type and size in readers’ words', () => {
    expect(fileDescription({size: 1_234_567, mimeType: 'application/pdf', extension: 'pdf'})).toBe(
      'PDF, 1.2 MB',
    )
    expect(fileDescription({size: 2048, mimeType: 'application/pdf', extension: 'pdf'})).toBe(
      'PDF, 2 KB',
    )
    expect(fileDescription({size: 12, mimeType: 'text/csv', extension: 'csv'})).toBe(
      'CSV, 12 bytes',
    )
    expect(fileDescription({size: null, mimeType: null, extension: null})).toBe('File')
  })

  it('renders a download link with the editor’s link text, type and size', () => {
    expect(render(<FileDownload file={guide} />)).toBe(
      `<span class="download"><a href="/files/local/production/${SHA}.pdf" download="stp-guide.pdf" type="application/pdf">STP programme guide (PDF)</a> (PDF, 1.2 MB)</span>`,
    )
    expect(render(<FileDownload file={{...guide, asset: null}} />)).toBe('')
  })
})
