import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {loadSeedDocuments} from '../../scripts/seed'
import {datasetTexts, missingSentences, normalise, splitSentences} from './sentences'

/** The seed page as published, kept in the repo so the test runs on any machine. */
const SOURCE_PAGE = fileURLToPath(new URL('../../seed/source-page.txt', import.meta.url))
/** The shared original the repo copy was taken from, where this machine has it. */
const SHARED_PAGE = fileURLToPath(
  new URL('../../../shared/seeds/000_6c72b9109c197baa.txt', import.meta.url),
)

const page = readFileSync(SOURCE_PAGE, 'utf8')
const sentences = splitSentences(page)
const texts = datasetTexts(loadSeedDocuments())

describe('the seed dataset holds the whole seed page', () => {
  it.runIf(existsSync(SHARED_PAGE))('uses an unaltered copy of the shared seed page', () => {
    expect(page).toBe(readFileSync(SHARED_PAGE, 'utf8'))
  })

  it('splits the page into its sentences', () => {
    expect(sentences).toContain("You'll then move on to specialised individual training.")
    expect(sentences).toContain('Continuing professional development')
    expect(sentences).toContain('Help us improve')
    // 24 lines of text, several with more than one sentence.
    expect(sentences).toHaveLength(48)
  })

  it('contains every sentence, word for word', () => {
    expect(missingSentences(sentences, texts)).toEqual([])
  })

  it('keeps the page’s typos rather than correcting them', () => {
    for (const kept of [
      'The are likely to be opportunities',
      'join voluntary the register',
      'dependant upon the job role',
      'the MSC Scientist Training Programme',
      'Academy for Healthcare Sciences (AHCS)',
    ]) {
      expect(
        texts.some((t) => t.includes(kept)),
        kept,
      ).toBe(true)
    }
    expect(
      missingSentences([normalise('There are likely to be opportunities')], texts),
    ).toHaveLength(1)
  })
})
