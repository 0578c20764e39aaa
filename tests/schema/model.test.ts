/**
 * The content model's hierarchy and its guards: pages sit at any level, links reach every public
 * type, summaries fit real introductions, and a copy of a shared document is flagged by name.
 */
import {describe, expect, it} from 'vitest'

import {SUMMARY_MAX_LENGTH} from '../../schemas/documents/page'
import {linkableTypes} from '../../schemas/objects/link'
import {comparableName} from '../../schemas/validation'
import {loadSeedDocuments} from '../../scripts/seed'
import {areaForPage, markersFor, messagesAt, specialismForPage, validPage} from './validate'

const seed = loadSeedDocuments()

describe('where a page sits', () => {
  it('accepts a career area, a theme or a specialism', async () => {
    const theme = {
      _id: 'theme-test',
      _type: 'theme',
      name: 'Test theme',
      slug: {_type: 'slug', current: 'test-theme'},
      area: {_type: 'reference', _ref: areaForPage._id},
    }
    for (const target of [areaForPage._id, theme._id, specialismForPage._id]) {
      const page = {...validPage, partOf: {_type: 'reference', _ref: target}}
      expect(await markersFor(page, [specialismForPage, areaForPage, theme]), target).toEqual([])
    }
  })

  it('is required, with a reason', async () => {
    const {partOf: _p, ...page} = validPage
    expect(messagesAt(await markersFor(page, [specialismForPage, areaForPage]), 'partOf')).toEqual([
      'Choose where the page sits: navigation groups sibling pages by it.',
    ])
  })

  it('takes a 307-character introduction as its summary, and warns past the limit', async () => {
    const dataset = [specialismForPage, areaForPage]
    const fits = {...validPage, summary: 'x'.repeat(307)}
    expect(await markersFor(fits, dataset)).toEqual([])
    const tooLong = {...validPage, summary: 'x'.repeat(SUMMARY_MAX_LENGTH + 1)}
    expect(messagesAt(await markersFor(tooLong, dataset), 'summary', 'warning')).toHaveLength(1)
  })
})

describe('links', () => {
  it('may point to every public document type, areas and specialisms included', () => {
    for (const type of ['careerArea', 'theme', 'specialism', 'trainingRoute', 'framework']) {
      expect(linkableTypes).toContain(type)
    }
  })

  it('to a specialism validate in a page body', async () => {
    const page = {
      ...validPage,
      findOutMore: [
        {
          _type: 'link',
          _key: 'l1',
          linkType: 'internal',
          internal: {_type: 'reference', _ref: specialismForPage._id},
          label: 'Cardiac sciences',
        },
      ],
    }
    expect(await markersFor(page, [specialismForPage, areaForPage])).toEqual([])
  })
})

describe('no silent duplicates', () => {
  it.each([
    ['careerRole', 'careerRole-clinical-scientist', 'Clinical scientist'],
    [
      'qualification',
      'qualification-ahcs-certificate-of-attainment',
      'AHCS Certificate of Attainment',
    ],
    ['programme', 'programme-stp', 'NHS Scientist Training Programme'],
    ['organisation', 'organisation-hcpc', 'Health and Care Professions Council'],
  ])('warns on a new %s named like %s, naming the existing one', async (type, existingId, name) => {
    const copy = {_id: `${type}-copy`, _type: type, name: `  ${name.toUpperCase()} `}
    const warnings = messagesAt(await markersFor(copy, seed), 'name', 'warning')
    expect(warnings).toEqual([
      `"${name}" already exists (${existingId}): use that document instead of a copy, or give this one a name that tells them apart.`,
    ])
  })

  it("does not count the document's own draft, or a different type, as a duplicate", async () => {
    const hcpc = seed.find((d) => d._id === 'organisation-hcpc')!
    const draft = {...hcpc, _id: 'drafts.organisation-hcpc'}
    expect(messagesAt(await markersFor(draft, seed), 'name', 'warning')).toEqual([])
    const role = {
      _id: 'careerRole-x',
      _type: 'careerRole',
      name: 'Health and Care Professions Council',
    }
    expect(messagesAt(await markersFor(role, seed), 'name', 'warning')).toEqual([])
  })

  it('compares names as an editor reads them', () => {
    expect(comparableName('  Clinical   Scientist ')).toBe('clinical scientist')
  })
})
