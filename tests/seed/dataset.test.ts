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

  it('models the programmes the page describes', () => {
    const programmes = documents.filter((d) => d._type === 'programme')
    expect(programmes.map((p) => p['acronym'])).toEqual(['PTP', 'STP', 'HSST', 'ASP'])
    const ptp = programmes.find((p) => p['acronym'] === 'PTP')
    expect(ptp).toMatchObject({workplaceTrainingWeeks: 50, howToApply: 'ucas', durationYears: 3})
    expect(programmes.find((p) => p['acronym'] === 'STP')).toMatchObject({salaried: true})
  })
})
