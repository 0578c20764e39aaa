/**
 * Makes a `sanity build` output load nothing from other machines (issue #17).
 *
 * Sanity 6.16's build has no option for these, and always emits them:
 * - `index.html` loads `https://core.sanity-cdn.com/bridge.js`, which only talks to Sanity's
 *   hosted dashboard when the Studio is embedded there; a Studio served by the lake never is.
 * - `index.html` declares the Inter font from `studio-static.sanity.io`, and `@sanity/ui`'s CSS
 *   from `design-system-static.sanity.io`. Both are pointed at Inter from
 *   `@fontsource-variable/inter` (one variable file per style covers every weight), copied into
 *   the build, so the Studio looks the same offline instead of falling back to a system font.
 *
 * Anything else that still names another machine in `index.html` or a CSS file fails the build,
 * so a new Sanity release that adds a call-out is noticed rather than shipped.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'

/** Where the fonts go in the build, and how the Studio (basePath `/studio`) addresses them. */
const FONT_DIR = 'static/fonts'
const FONT_URL = '/studio/static/fonts'
const FONTS = {
  normal: 'inter-latin-wght-normal.woff2',
  italic: 'inter-latin-wght-italic.woff2',
} as const

const BRIDGE_SCRIPT =
  /<script\b[^>]*\bsrc="https:\/\/core\.sanity-cdn\.com\/bridge\.js"[^>]*>\s*<\/script>/g
/** `Inter-SemiBoldItalic.woff2`, `InterVariable-Italic-latin-20260728.woff2`, … */
const FONT_CDN_URL =
  /https:\/\/(?:studio-static|design-system-static)\.sanity\.io\/(Inter[A-Za-z0-9-]*)\.woff2/g
/**
 * A URL the browser loads by itself: any `src="…"`, a `<link href="…">` or a CSS `url(…)`, to
 * another machine. (`<a href>` is only followed when clicked: the `<noscript>` advice links out.)
 */
const OFF_MACHINE = [
  /\bsrc=["']?((?:https?:)?\/\/[^"'\s>]+)/g,
  /<link\b[^>]*\bhref=["']?((?:https?:)?\/\/[^"'\s>]+)/g,
  /url\(\s*["']?((?:https?:)?\/\/[^"')\s]+)/g,
]

function fontFor(name: string): string {
  return /italic/i.test(name) ? FONTS.italic : FONTS.normal
}

/** Rewrites one file's text; exported for tests. */
export function localiseText(text: string): string {
  return text
    .replace(BRIDGE_SCRIPT, '')
    .replace(FONT_CDN_URL, (_url, name: string) => `${FONT_URL}/${fontFor(name)}`)
}

/** Every URL to another machine that the browser would load from `text`. */
export function offMachineUrls(text: string): string[] {
  return OFF_MACHINE.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => match[1] ?? ''),
  )
}

function fontSourceDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@fontsource-variable/inter/package.json')), 'files')
}

/** Rewrites `dir` (a `sanity build` output) in place; throws naming any call-out left. */
export function localiseStudioBuild(dir: string): void {
  const fonts = join(dir, FONT_DIR)
  mkdirSync(fonts, {recursive: true})
  const source = fontSourceDir()
  for (const file of Object.values(FONTS)) copyFileSync(join(source, file), join(fonts, file))
  const licence = join(source, '..', 'LICENSE')
  if (existsSync(licence)) copyFileSync(licence, join(fonts, 'LICENSE-Inter.txt'))

  const files = [
    'index.html',
    ...readdirSync(join(dir, 'static'))
      .filter((name) => name.endsWith('.css'))
      .map((name) => join('static', name)),
  ]
  const left: string[] = []
  for (const file of files) {
    const path = join(dir, file)
    const text = localiseText(readFileSync(path, 'utf8'))
    writeFileSync(path, text)
    for (const url of offMachineUrls(text)) left.push(`${file}: ${url}`)
  }
  if (left.length > 0) {
    throw new Error(
      `The Studio build still loads from other machines (extend scripts/lib/offlineStudio.ts):\n${left.join('\n')}`,
    )
  }
}
