import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {isFeedbackDocumentId} from '../../feedback/workflow'
import {schemaTypes} from '../../schemas'
import {findReferences} from '../../scripts/lib/documents'
import {summarise, validateDataset} from '../../scripts/lib/validateDataset'
import {loadSeedDocuments, SEED_FILE} from '../../scripts/seed'
import {buildSeedNdjson} from '../../seed/build'

const documents = loadSeedDocuments()

describe('seed/careers.ndjson', () => {
  it('is exactly what seed/build.ts writes from seed/content.ts', () => {
    expect(readFileSync(SEED_FILE, 'utf8')).toBe(buildSeedNdjson())
  })

  it('passes every schema validation rule with no errors and no warnings', async () => {
    const reports = await validateDataset(documents)
    const problems = reports.flatMap((r) =>
      r.markers.map((m) => `${r.documentId} ${m.path}: [${m.level}] ${m.message}`),
    )
    expect(problems).toEqual([])
    expect(summarise(reports).documents).toBe(documents.length)
  })

  it('uses deterministic, public ids (no "." sub-paths outside feedback)', () => {
    for (const {_id} of documents) {
      expect(_id.includes('.') && !isFeedbackDocumentId(_id), _id).toBe(false)
      expect(_id).toMatch(/^[a-z][A-Za-z0-9-]*$/)
    }
  })

  it('resolves every reference inside the dataset', () => {
    const ids = new Set(documents.map((d) => d._id))
    const dangling = documents.flatMap((d) =>
      findReferences(d)
        .filter((r) => !ids.has(r.ref))
        .map((r) => `${d._id} → ${r.ref}`),
    )
    expect(dangling).toEqual([])
  })

  it('has content for every document type, and one settings singleton', () => {
    const types = new Set(documents.map((d) => d._type))
    const documentTypes = schemaTypes.filter((t) => t.type === 'document').map((t) => t.name)
    // Feedback arrives from the public form; the seed has none.
    expect(documentTypes.filter((t) => !types.has(t))).toEqual(['feedbackSubmission'])
    expect(documents.filter((d) => d._type === 'settings').map((d) => d._id)).toEqual(['settings'])
  })

  it('models the national programmes apart from how cardiac sciences runs them', () => {
    const programmes = documents.filter((d) => d._type === 'programme')
    expect(programmes.map((p) => p['acronym'])).toEqual(['PTP', 'STP', 'HSST', 'ASP'])
    expect(programmes.find((p) => p['acronym'] === 'PTP')).toMatchObject({howToApply: 'ucas'})
    expect(programmes.find((p) => p['acronym'] === 'STP')).toMatchObject({salaried: true})
    const ptp = documents.find((d) => d._id === 'trainingRoute-ptp-cardiac-sciences')
    expect(ptp).toMatchObject({
      programme: {_ref: 'programme-ptp'},
      partOf: {_ref: 'specialism-cardiac-sciences'},
      workplaceTrainingWeeks: 50,
      durationYears: 3,
      mode: 'integrated',
      studyLevel: 'undergraduate',
    })
    const stp = documents.find((d) => d._id === 'trainingRoute-stp-cardiac-sciences')
    expect((stp?.['awards'] as {_ref: string}[]).map((a) => a._ref)).toEqual([
      'qualification-msc-clinical-science-cardiac',
      'qualification-ahcs-certificate-of-attainment',
    ])
  })

  it('files the specialism under its theme and the theme under its career area', () => {
    const byId = new Map(documents.map((d) => [d._id, d]))
    const specialism = byId.get('specialism-cardiac-sciences')
    const theme = byId.get((specialism?.['theme'] as {_ref: string})._ref)
    expect(theme?.['name']).toBe('Physiological sciences')
    expect(byId.get((theme?.['area'] as {_ref: string})._ref)?.['name']).toBe('Healthcare science')
  })

  it('keeps cardiac-only facts in documents that belong to cardiac sciences', () => {
    const belongs = (d: (typeof documents)[number]) =>
      d._id === 'specialism-cardiac-sciences' ||
      (d['partOf'] as {_ref?: string} | undefined)?._ref === 'specialism-cardiac-sciences' ||
      // An organisation is a fact about itself, whichever specialism it serves.
      d._type === 'organisation'
    const strays = documents
      // References (and their keys) name their target: no fact about the referring document.
      .map((d) => ({
        d,
        text: JSON.stringify(d, (key, value) => (key === '_ref' || key === '_key' ? '' : value)),
      }))
      .filter(({d, text}) => !belongs(d) && /cardiac|cardio/i.test(text))
      .map(({d}) => d)
      .map((d) => d._id)
    expect(strays).toEqual([])
  })
})
