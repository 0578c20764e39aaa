/**
 * The page the project was born from, rendered by the real frontend from a seeded lake: every
 * sentence of it is on the page, in the page's order.
 */
import {readFileSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {seedDataset} from '../../scripts/seed'
import {startWeb, type RunningWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'
import {normalise, splitSentences} from '../seed/sentences'
import {visibleText} from './visibleText'

const SLUG = 'training-development-registration-cardiac-sciences'

let lake: TestLake
let web: RunningWeb

beforeAll(async () => {
  lake = await startTestLake()
  await seedDataset(lake.client())
  web = await startWeb({port: 0, lakeUrl: lake.url, lakeDataDir: lake.dataDir})
})
afterAll(async () => {
  await web?.close()
  await lake?.close()
})

describe('the cardiac sciences page on the frontend', () => {
  it('shows every sentence of the seed page, in order', async () => {
    const response = await fetch(`${web.url}/${SLUG}`)
    expect(response.status).toBe(200)
    const text = visibleText(await response.text())
    const sentences = splitSentences(readFileSync('seed/source-page.txt', 'utf8'))
    expect(sentences.length).toBeGreaterThan(40)
    let from = 0
    for (const sentence of sentences) {
      const at = text.indexOf(normalise(sentence), from)
      expect(at, `"${sentence}" missing or out of order`).toBeGreaterThanOrEqual(0)
      from = at + 1
    }
  })

  it('is accessible HTML: one h1, headings in order, a label for every field', async () => {
    const html = await (await fetch(`${web.url}/${SLUG}`)).text()
    expect(html).toMatch(/<html lang="en-GB">/)
    expect(html.match(/<h1[ >]/g)).toHaveLength(1)
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]))
    for (let i = 1; i < levels.length; i++) {
      expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1)
    }
    const fields = [...html.matchAll(/<(?:textarea|input)(?![^>]*type="hidden")[^>]*id="([^"]+)"/g)]
    expect(fields.length).toBeGreaterThanOrEqual(7)
    for (const [, id] of fields) expect(html).toContain(`for="${id}"`)
  })

  it('answers unknown pages 404 and lists pages in the sitemap', async () => {
    expect((await fetch(`${web.url}/no-such-page`)).status).toBe(404)
    expect((await fetch(`${web.url}/..%2f..%2fetc`)).status).toBe(404)
    const sitemap = await (await fetch(`${web.url}/sitemap.xml`)).text()
    expect(sitemap).toContain(`/${SLUG}</loc>`)
  })

  it('answers the form 503 when no intake is mounted, rather than losing a report silently', async () => {
    const response = await fetch(`${web.url}/feedback`, {method: 'POST', body: 'whatDoing=x'})
    expect(response.status).toBe(503)
  })
})
