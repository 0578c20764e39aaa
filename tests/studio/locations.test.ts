/**
 * Issue #17: the Presentation tool lists, on each document, the pages of the site that show it.
 * The resolver's query runs here with groq-js over the seed dataset.
 */
import {readFileSync} from 'node:fs'

import {evaluate, parse} from 'groq-js'
import {describe, expect, it} from 'vitest'

import {
  locationsFor,
  type PageShowing,
  pagesShowingQuery,
  referrersQuery,
  shownIds,
} from '../../studio/presentation/locations'

const seed = readFileSync('seed/careers.ndjson', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Record<string, unknown>)

const PAGE_SLUG = 'training-development-registration-cardiac-sciences'

async function run(query: string, params: Record<string, unknown>): Promise<unknown> {
  return (await evaluate(parse(query), {dataset: seed, params})).get()
}

/** The resolver's two steps, as it runs them: referrers, then the pages showing any of them. */
async function pagesShowing(id: string): Promise<PageShowing[]> {
  const referrers = (await run(referrersQuery, {id})) as string[]
  return (await run(pagesShowingQuery, {ids: shownIds(id, referrers)})) as PageShowing[]
}

describe('where a document is shown', () => {
  it('a page is shown at its own address', async () => {
    const pages = await pagesShowing('page-training-development-registration-cardiac-sciences')
    expect(pages.map((p) => p.slug)).toEqual([PAGE_SLUG])
    expect(locationsFor(pages).locations?.[0]).toMatchObject({href: `/${PAGE_SLUG}`})
  })

  it('a programme is shown on the pages that relate it, directly or through a route', async () => {
    expect((await pagesShowing('programme-stp')).map((p) => p.slug)).toContain(PAGE_SLUG)
  })

  it('counts a draft referrer as its document', () => {
    expect(shownIds('programme-stp', ['drafts.trainingRoute-a', 'trainingRoute-a'])).toEqual([
      'programme-stp',
      'trainingRoute-a',
    ])
  })

  it('a document no page uses has no location, and says so', async () => {
    const pages = await pagesShowing('no-such-document')
    expect(pages).toEqual([])
    expect(locationsFor(pages)).toEqual({
      message: 'No page of the site shows this document yet.',
      tone: 'caution',
    })
  })
})
