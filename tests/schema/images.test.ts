/**
 * Issue #17: images on the site say what they show. An image needs alternative text unless an
 * editor marks it decorative; a PDF download needs link text. Checked with the code
 * `npm run validate` runs, on a page, a role, an organisation's logo and a programme guide.
 */
import {describe, expect, it} from 'vitest'

import {
  altTextAdvice,
  altTextRequired,
  ALT_TEXT_SOFT_LIMIT,
} from '../../schemas/objects/accessibleImage'
import {linkTextRequired} from '../../schemas/objects/downloadableFile'
import {markersFor, messagesAt, specialismForPage, validPage} from './validate'

const IMAGE_ID = 'image-0123456789abcdef0123456789abcdef01234567-1200x800-jpg'
const FILE_ID = 'file-0123456789abcdef0123456789abcdef01234567-pdf'
const imageAsset = {_id: IMAGE_ID, _type: 'sanity.imageAsset'}
const fileAsset = {_id: FILE_ID, _type: 'sanity.fileAsset'}
const image = (fields: Record<string, unknown> = {}) => ({
  _type: 'accessibleImage',
  asset: {_type: 'reference', _ref: IMAGE_ID},
  ...fields,
})
const NEEDS_ALT = /Describe the image for people who cannot see it/

async function pageErrors(pageImage: unknown): Promise<string[]> {
  const markers = await markersFor({...validPage, image: pageImage}, [
    specialismForPage,
    imageAsset,
  ])
  return messagesAt(markers, 'image.alt')
}

describe('accessible images', () => {
  it('refuses a page image without alternative text', async () => {
    const errors = await pageErrors(image())
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(NEEDS_ALT)
    expect(await pageErrors(image({alt: '   '}))).toEqual(errors)
  })

  it('accepts it with alternative text, or marked decorative', async () => {
    expect(await pageErrors(image({alt: 'A cardiac physiologist running an ECG'}))).toEqual([])
    expect(await pageErrors(image({decorative: true}))).toEqual([])
  })

  it('asks nothing of an image field left empty', () => {
    expect(altTextRequired(undefined, undefined)).toBe(true)
    expect(altTextRequired(undefined, {decorative: false})).toBe(true)
  })

  it('applies to roles and organisation logos too', async () => {
    const role = {
      _id: 'careerRole-test',
      _type: 'careerRole',
      name: 'Test role',
      careerLevel: 'practitioner',
      image: image(),
    }
    const organisation = {
      _id: 'organisation-test',
      _type: 'organisation',
      name: 'Test body',
      kind: 'regulator',
      logo: image(),
    }
    expect(messagesAt(await markersFor(role, [imageAsset]), 'image.alt')[0]).toMatch(NEEDS_ALT)
    expect(messagesAt(await markersFor(organisation, [imageAsset]), 'logo.alt')[0]).toMatch(
      NEEDS_ALT,
    )
  })

  it('warns about alt text that is too long or says "image of"', () => {
    expect(altTextAdvice('A scientist at a microscope')).toBe(true)
    expect(altTextAdvice('x'.repeat(ALT_TEXT_SOFT_LIMIT + 1))).toMatch(/under 150 characters/)
    expect(altTextAdvice('Image of a scientist')).toMatch(/already say it is an image/)
  })
})

describe('PDF downloads', () => {
  const programme = (guide: unknown) => ({
    _id: 'programme-test',
    _type: 'programme',
    name: 'Test programme',
    acronym: 'TP',
    careerLevel: 'practitioner',
    guide,
  })
  const guide = (fields: Record<string, unknown> = {}) => ({
    _type: 'downloadableFile',
    asset: {_type: 'reference', _ref: FILE_ID},
    ...fields,
  })

  it('needs link text once a file is chosen', async () => {
    const without = messagesAt(await markersFor(programme(guide()), [fileAsset]), 'guide.title')
    expect(without[0]).toMatch(/Name the download as the link should read/)
    const withText = await markersFor(programme(guide({title: 'Programme guide (PDF)'})), [
      fileAsset,
    ])
    expect(messagesAt(withText, 'guide.title')).toEqual([])
    expect(linkTextRequired(undefined, undefined)).toBe(true)
  })
})
