/**
 * The whole public site, crawled as a search engine would: a real lake seeded with the seed,
 * the real frontend, every link followed from `/` and from `sitemap.xml`.
 */
import {readFileSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {documentPath, PUBLIC_TYPES} from '../../queries/paths'
import {loadSeedDocuments, seedDataset} from '../../scripts/seed'
import {startWeb, type RunningWeb} from '../../web/server'
import {startTestLake, type TestLake} from '../helpers/lake'
import {splitSentences} from '../seed/sentences'
import {sentencesMissingInOrder, visibleText} from './visibleText'

const SEED_PAGE = '/training-development-registration-cardiac-sciences'
/** The canonical origin the frontend is told to use, so sitemap URLs can be mapped back. */
const SITE = 'https://careers.example'

let lake: TestLake
let web: RunningWeb
const logs: string[] = []
/** Every internal path reached, with its status and (for 200s) its body. */
const visited = new Map<string, {status: number; body: string; from: string}>()

function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
}

/** A link to this site, as a path; undefined for anything off-site. */
function internalPath(href: string): string | undefined {
  if (href.startsWith('#')) return undefined
  const url = new URL(href, `${SITE}/`)
  if (url.origin !== SITE && url.origin !== web.url) return undefined
  return url.pathname
}

beforeAll(async () => {
  lake = await startTestLake()
  await seedDataset(lake.client())
  web = await startWeb({
    port: 0,
    lakeUrl: lake.url,
    lakeDataDir: lake.dataDir,
    siteUrl: SITE,
    log: (message) => logs.push(message),
  })
  const sitemap = await (await fetch(`${web.url}/sitemap.xml`)).text()
  const queue: {path: string; from: string}[] = [{path: '/', from: 'start'}]
  for (const [, loc] of sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    queue.push({path: internalPath(loc!)!, from: 'sitemap.xml'})
  }
  while (queue.length > 0) {
    const {path, from} = queue.shift()!
    if (visited.has(path)) continue
    const response = await fetch(`${web.url}${path}`, {redirect: 'manual'})
    const body = await response.text()
    visited.set(path, {status: response.status, body, from})
    if (response.status !== 200 || !response.headers.get('content-type')?.includes('html')) {
      continue
    }
    for (const href of hrefs(body)) {
      const next = internalPath(href)
      if (next && !visited.has(next)) queue.push({path: next, from: path})
    }
  }
}, 120_000)

afterAll(async () => {
  await web?.close()
  await lake?.close()
})

describe('crawling the site from / and sitemap.xml', () => {
  it('finds every internal link answering 200, and no 5xx anywhere', () => {
    const failing = [...visited]
      .filter(([, page]) => page.status !== 200)
      .map(([path, page]) => `${path} → ${page.status} (linked from ${page.from})`)
    expect(failing).toEqual([])
    expect(visited.size).toBeGreaterThan(30)
  })

  it('reaches every published document of a public type, at its address', () => {
    const documents = loadSeedDocuments().filter((doc) =>
      (PUBLIC_TYPES as readonly string[]).includes(doc._type),
    )
    const unreached = documents
      .map((doc) => ({
        id: doc._id,
        path: documentPath({
          _id: doc._id,
          _type: doc._type,
          slug: (doc as {slug?: {current?: string}}).slug?.current ?? null,
        }),
      }))
      .filter(({path}) => !path || visited.get(path)?.status !== 200)
    expect(unreached).toEqual([])
    expect(documents.length).toBe(39)
  })

  it('links every document page from somewhere other than the sitemap', () => {
    const onlyInSitemap = [...visited]
      .filter(([, page]) => page.from === 'sitemap.xml')
      .map(([path]) => path)
    // The queue starts with `/`, so anything linked from a page is visited from that page first
    // unless the sitemap listed it before the crawl got there; follow the links to be sure.
    const linked = new Set(
      [...visited.values()].flatMap((page) => hrefs(page.body).map(internalPath)),
    )
    expect(onlyInSitemap.filter((path) => !linked.has(path))).toEqual([])
  })

  it('keeps every seed sentence on the seed page, in order', () => {
    const page = visited.get(SEED_PAGE)
    expect(page?.status).toBe(200)
    const sentences = splitSentences(readFileSync('seed/source-page.txt', 'utf8'))
    expect(sentencesMissingInOrder(sentences, visibleText(page!.body))).toEqual([])
  })

  it('logs no missing references for the seed', () => {
    expect(logs).toEqual([])
  })
})
