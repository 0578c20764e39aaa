/**
 * Synthetic datasets with this project's shapes, the same for a given size and seed: pages with
 * slugs referring to programmes, qualifications and organisations, and many feedback reports.
 */
import {feedbackStatusIds} from '../feedback/workflow'

export interface BenchDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

/** mulberry32: small, fast, and deterministic across runs and machines. */
export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'cardiac physiology training programme practitioner scientist registration academy ' +
  'healthcare science workplace assessment degree certificate competence specialist ' +
  'echocardiography electrocardiography pacing rhythm clinical development'
).split(' ')

/** `size` documents: 20% pages, 5% programmes, 4% qualifications, 1% organisations, the rest feedback. */
export function generateDataset(size: number, seed = 1): BenchDocument[] {
  const random = prng(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const words = (n: number) => Array.from({length: n}, () => pick(WORDS)).join(' ')
  const count = (share: number) => Math.max(1, Math.floor(size * share))
  const organisations = Array.from({length: count(0.01)}, (_, i) => ({
    _id: `organisation-${i}`,
    _type: 'organisation',
    name: `Organisation ${i} ${words(2)}`,
    acronym: `ORG${i}`,
    kind: pick(['regulator', 'professional-body', 'academy', 'school']),
  }))
  const qualifications = Array.from({length: count(0.04)}, (_, i) => ({
    _id: `qualification-${i}`,
    _type: 'qualification',
    name: `${words(3)} qualification ${i}`,
    kind: pick(['bsc', 'msc', 'doctorate', 'certificate-of-competence']),
    awardingBody: {_type: 'reference', _ref: pick(organisations)._id},
  }))
  const programmes = Array.from({length: count(0.05)}, (_, i) => ({
    _id: `programme-${i}`,
    _type: 'programme',
    name: `${words(3)} programme ${i}`,
    acronym: `P${i}`,
    careerLevel: pick(['practitioner', 'scientist', 'consultant', 'any']),
    workplaceTrainingWeeks: 10 + Math.floor(random() * 50),
    qualificationAwarded: {_type: 'reference', _ref: pick(qualifications)._id},
  }))
  const pages = Array.from({length: count(0.2)}, (_, i) => ({
    _id: `page-${i}`,
    _type: 'page',
    title: `${words(4)} ${i}`,
    slug: {_type: 'slug', current: `page-${i}`},
    summary: words(12),
    publishedAt: new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 2e11)).toISOString(),
    relatedProgrammes: Array.from({length: 3}, (_, k) => ({
      _type: 'reference',
      _key: `p${k}`,
      _ref: pick(programmes)._id,
    })),
  }))
  const feedbackCount =
    size - organisations.length - qualifications.length - programmes.length - pages.length
  const feedback = Array.from({length: Math.max(0, feedbackCount)}, (_, i) => ({
    _id: `feedback.bench-${i}`,
    _type: 'feedbackSubmission',
    status: pick(feedbackStatusIds),
    path: `/${pick(pages).slug.current}`,
    whatWentWrong: words(10),
  }))
  return [...organisations, ...qualifications, ...programmes, ...pages, ...feedback]
}
