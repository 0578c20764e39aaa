/**
 * Every route of the public site in Chromium, checked by axe-core against WCAG 2.2 A and AA:
 * the routes are the sitemap's (every public document, the home page and the index pages) plus
 * the 404 page, rendered by the real frontend from a lake seeded with the seed.
 */
import {createRequire} from 'node:module'

import {type Browser, chromium} from 'playwright-core'
import type {AxeResults} from 'axe-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {seedDataset} from '../../scripts/seed'
import {type RunningWeb, startWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

let lake: TestLake
let web: RunningWeb
let browser: Browser
let paths: string[] = []

beforeAll(async () => {
  lake = await startTestLake()
  await seedDataset(lake.client())
  web = await startWeb({port: 0, lakeUrl: lake.url, lakeDataDir: lake.dataDir})
  const sitemap = await (await fetch(`${web.url}/sitemap.xml`)).text()
  paths = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname)
  paths.push('/no-such-page')
  browser = await chromium.launch({executablePath: CHROMIUM, args: ['--no-sandbox']})
})

afterAll(async () => {
  await browser?.close()
  await web?.close()
  await lake?.close()
})

describe('accessibility of every route (axe-core, WCAG 2.2 A/AA)', () => {
  it('finds no violations on any route in the sitemap, nor on the 404 page', async () => {
    // Every public document, the home page and ten index pages: the walk covers them all.
    expect(paths.length).toBeGreaterThan(45)
    const page = await browser.newPage()
    const violations: string[] = []
    // Rules that ran and passed, so an axe that checked nothing cannot pass for a clean site.
    let passes = 0
    for (const path of paths) {
      await page.goto(`${web.url}${path}`)
      await page.addScriptTag({path: AXE})
      const results = await page.evaluate(
        async (tags) =>
          (window as unknown as {axe: {run(o: unknown): Promise<AxeResults>}}).axe.run({
            runOnly: {type: 'tag', values: tags},
          }),
        TAGS,
      )
      passes += results.passes.length
      for (const violation of results.violations) {
        const targets = violation.nodes.map((node) => node.target.join(' ')).join('; ')
        violations.push(`${path}: ${violation.id} (${violation.help}) at ${targets}`)
      }
    }
    await page.close()
    expect(violations).toEqual([])
    expect(passes).toBeGreaterThan(paths.length * 5)
  })
})
