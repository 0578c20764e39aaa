/**
 * Issue #17: the built Studio's `index.html` and CSS load nothing from other machines: the CDN
 * bridge script is removed, Inter comes from the build's own `static/fonts/`, and anything new that
 * calls out fails the build.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {localiseStudioBuild, offMachineUrls} from '../../scripts/lib/offlineStudio'

/** What `sanity build` 6.16 emits, cut down to the parts that call out. */
const INDEX_HTML = `<!DOCTYPE html><html><head><link href="/static/favicon.ico" rel="icon"/>
<script src="https://core.sanity-cdn.com/bridge.js" async type="module" data-sanity-core></script>
<link href="/studio/static/lib-C0ltRZk7.css" rel="stylesheet"/><style>
@font-face{font-family:Inter;font-weight:400;src:url("https://studio-static.sanity.io/Inter-Regular.woff2") format("woff2")}
@font-face{font-family:Inter;font-style:italic;font-weight:800;src:url("https://studio-static.sanity.io/Inter-ExtraBoldItalic.woff2") format("woff2")}
</style></head><body><noscript><a href="https://www.enable-javascript.com/">enable JavaScript</a></noscript>
<script src="/studio/static/sanity-BqCVy0b4.js" type="module"></script></body></html>`
const LIB_CSS = `@font-face{font-family:Inter;src:url(https://design-system-static.sanity.io/InterVariable-latin-20260728.woff2)format("woff2")}@font-face{font-family:Inter;font-style:italic;src:url(https://design-system-static.sanity.io/InterVariable-Italic-latin-20260728.woff2) format("woff2")}`

let dir = ''
afterEach(() => rmSync(dir, {recursive: true, force: true}))

function build(index = INDEX_HTML, css = LIB_CSS): string {
  dir = mkdtempSync(join(tmpdir(), 'studio-build-'))
  mkdirSync(join(dir, 'static'))
  writeFileSync(join(dir, 'index.html'), index)
  writeFileSync(join(dir, 'static', 'lib-C0ltRZk7.css'), css)
  return dir
}

describe('localiseStudioBuild', () => {
  it('finds what the stock build loads from other machines', () => {
    expect(offMachineUrls(INDEX_HTML)).toEqual([
      'https://core.sanity-cdn.com/bridge.js',
      'https://studio-static.sanity.io/Inter-Regular.woff2',
      'https://studio-static.sanity.io/Inter-ExtraBoldItalic.woff2',
    ])
    expect(offMachineUrls(LIB_CSS)).toHaveLength(2)
  })

  it('removes the bridge script and serves Inter from the build', () => {
    localiseStudioBuild(build())
    const index = readFileSync(join(dir, 'index.html'), 'utf8')
    const css = readFileSync(join(dir, 'static', 'lib-C0ltRZk7.css'), 'utf8')
    expect(index).not.toContain('bridge.js')
    expect(offMachineUrls(index)).toEqual([])
    expect(offMachineUrls(css)).toEqual([])
    expect(index).toContain('url("/studio/static/fonts/inter-latin-wght-normal.woff2")')
    expect(index).toContain('url("/studio/static/fonts/inter-latin-wght-italic.woff2")')
    expect(css).toContain('url(/studio/static/fonts/inter-latin-wght-italic.woff2)')
    // The Studio's own script and the <noscript> link (followed only when clicked) are kept.
    expect(index).toContain('/studio/static/sanity-BqCVy0b4.js')
    expect(index).toContain('https://www.enable-javascript.com/')
    for (const font of ['inter-latin-wght-normal.woff2', 'inter-latin-wght-italic.woff2']) {
      const bytes = readFileSync(join(dir, 'static', 'fonts', font))
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('wOF2')
    }
    expect(existsSync(join(dir, 'static', 'fonts', 'LICENSE-Inter.txt'))).toBe(true)
  })

  it('fails the build on a call-out it does not know, naming it', () => {
    const index = INDEX_HTML.replace(
      '</head>',
      '<script src="https://cdn.example.com/new-thing.js"></script></head>',
    )
    expect(() => localiseStudioBuild(build(index))).toThrow(
      /index\.html: https:\/\/cdn\.example\.com\/new-thing\.js/,
    )
  })
})
