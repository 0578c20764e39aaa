/**
 * The pure half of the first migration: from a dataset shaped like the first seed (flat
 * specialisms with a free-text area, programmes carrying one specialism's detail, pages and roles
 * pointing at a specialism) to the hierarchy, with nothing lost. Every value the old shape held is
 * moved, never dropped: the tests compare texts before and after.
 */
import {at, createIfNotExists, patch, set, unset} from 'sanity/migrate'
import type {Mutation, NodePatch} from 'sanity/migrate'

/** A document as the export gives it: system fields plus whatever the old schema stored. */
export interface LegacyDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

interface Reference {
  _type: 'reference'
  _ref: string
  _key?: string
}

/** The career area a specialism falls back to when its old free-text area was left empty. */
export const DEFAULT_AREA = 'Healthcare science'

/**
 * Themes of healthcare science, by the slug of the specialisms the first seed could hold. A
 * specialism not listed here is filed straight under its area, which the model allows; an
 * editor then moves it into its theme in the Studio.
 */
const KNOWN_THEMES: Record<string, {id: string; name: string; slug: string}> = {
  'cardiac-sciences': {
    id: 'theme-physiological-sciences',
    name: 'Physiological sciences',
    slug: 'physiological-sciences',
  },
  'respiratory-sleep-sciences': {
    id: 'theme-physiological-sciences',
    name: 'Physiological sciences',
    slug: 'physiological-sciences',
  },
}

/** Fields of the old programme that were only ever true for one specialism: they go to a route. */
const ROUTE_FIELDS = [
  'summary',
  'leadsTo',
  'entryRequirement',
  'duration',
  'durationYears',
  'mode',
  'workplaceTrainingWeeks',
  'qualificationAwarded',
  'accreditedBy',
  'deliveredBy',
] as const

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function ref(id: string, key?: string): Reference {
  return key ? {_type: 'reference', _ref: id, _key: key} : {_type: 'reference', _ref: id}
}

function refOf(value: unknown): string | undefined {
  const id = (value as {_ref?: unknown} | undefined)?._ref
  return typeof id === 'string' && id !== '' ? id : undefined
}

function refsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(refOf).filter((id): id is string => Boolean(id)) : []
}

function isDraftOrVersion(id: string): boolean {
  return id.startsWith('drafts.') || id.startsWith('versions.')
}

function publishedId(id: string): string {
  if (id.startsWith('drafts.')) return id.slice('drafts.'.length)
  if (id.startsWith('versions.')) return id.split('.').slice(2).join('.')
  return id
}

function slugOf(document: LegacyDocument | undefined): string | undefined {
  const current = (document?.['slug'] as {current?: unknown} | undefined)?.current
  return typeof current === 'string' && current !== '' ? current : undefined
}

/** Routes created for old programmes: which specialism each belongs to, keyed by programme. */
interface RoutePlan {
  programmeId: string
  routeId: string
  specialismId: string | undefined
}

/**
 * The specialism an old programme's detail was about: the specialism of the first page that lists
 * it, else of the role it led to, else the dataset's only specialism.
 */
function specialismOfProgramme(
  programme: LegacyDocument,
  published: readonly LegacyDocument[],
  byId: ReadonlyMap<string, LegacyDocument>,
): string | undefined {
  const page = published
    .filter((d) => d._type === 'page' && refsOf(d['relatedProgrammes']).includes(programme._id))
    .sort((a, b) => a._id.localeCompare(b._id))
    .map((d) => refOf(d['specialism']) ?? refOf(d['partOf']))
    .find(Boolean)
  if (page) return page
  const leadsTo = refOf(programme['leadsTo'])
  const role = leadsTo ? byId.get(leadsTo) : undefined
  const fromRole = refOf(role?.['specialism'])
  if (fromRole) return fromRole
  const specialisms = published.filter((d) => d._type === 'specialism')
  return specialisms.length === 1 ? specialisms[0]!._id : undefined
}

/**
 * An old-shaped programme has a field today's programme no longer has; `summary` exists in both,
 * so it alone says nothing (and moves only with the rest).
 */
function hasLegacyProgrammeFields(document: LegacyDocument): boolean {
  return ROUTE_FIELDS.some((field) => field !== 'summary' && document[field] !== undefined)
}

function routeFor(
  programme: LegacyDocument,
  plan: RoutePlan,
  specialism: LegacyDocument | undefined,
): Record<string, unknown> & {_id: string; _type: string} {
  const label = (programme['acronym'] as string | undefined) ?? (programme['name'] as string)
  const nationalBody = refsOf(programme['deliveredBy'])[0]
  const providers = refsOf(programme['deliveredBy']).filter((id) => id !== nationalBody)
  const awarded = refOf(programme['qualificationAwarded'])
  const leadsTo = refOf(programme['leadsTo'])
  const route: Record<string, unknown> = {
    _id: plan.routeId,
    _type: 'trainingRoute',
    name: specialism?.['name'] ? `${label} in ${String(specialism['name'])}` : `${label} route`,
    programme: ref(programme._id),
    ...(plan.specialismId ? {partOf: ref(plan.specialismId)} : {}),
    summary: programme['summary'],
    entryRequirements: programme['entryRequirement'],
    duration: programme['duration'],
    durationYears: programme['durationYears'],
    mode: programme['mode'],
    workplaceTrainingWeeks: programme['workplaceTrainingWeeks'],
    awards: awarded ? [ref(awarded, awarded)] : undefined,
    accreditedBy: programme['accreditedBy'],
    providers: providers.length > 0 ? providers.map((id) => ref(id, id)) : undefined,
    leadsTo: leadsTo ? [ref(leadsTo, leadsTo)] : undefined,
  }
  for (const key of Object.keys(route)) if (route[key] === undefined) delete route[key]
  return route as Record<string, unknown> & {_id: string; _type: string}
}

/** Every mutation that moves `documents` onto the hierarchy; none when it is already there. */
export function planContentHierarchy(documents: readonly LegacyDocument[]): Mutation[] {
  const published = documents.filter((d) => !isDraftOrVersion(d._id))
  const byId = new Map(published.map((d) => [d._id, d]))
  const created = new Map<string, Record<string, unknown> & {_id: string; _type: string}>()
  const patches: Mutation[] = []
  const create = (document: Record<string, unknown> & {_id: string; _type: string}) => {
    if (!byId.has(document._id) && !created.has(document._id)) created.set(document._id, document)
  }

  // Career areas and themes, from the specialisms' free-text areas.
  const areaIds = new Set<string>()
  for (const document of published) {
    if (document._type === 'careerArea') areaIds.add(document._id)
  }
  const parentOfSpecialism = new Map<string, string>()
  for (const specialism of published.filter((d) => d._type === 'specialism')) {
    if (refOf(specialism['theme'])) continue
    const areaName =
      typeof specialism['area'] === 'string' && specialism['area'].trim() !== ''
        ? specialism['area'].trim()
        : DEFAULT_AREA
    const areaSlug = slugify(areaName)
    const areaId = `careerArea-${areaSlug}`
    areaIds.add(areaId)
    create({
      _id: areaId,
      _type: 'careerArea',
      name: areaName,
      slug: {_type: 'slug', current: areaSlug},
    })
    const known = KNOWN_THEMES[slugOf(specialism) ?? '']
    if (known) {
      create({
        _id: known.id,
        _type: 'theme',
        name: known.name,
        slug: {_type: 'slug', current: known.slug},
        area: ref(areaId),
      })
    }
    parentOfSpecialism.set(specialism._id, known?.id ?? areaId)
  }
  const onlyArea = areaIds.size === 1 ? [...areaIds][0] : undefined

  // Routes, from the programmes' specialism detail.
  const routes: RoutePlan[] = []
  for (const programme of published.filter((d) => d._type === 'programme')) {
    if (!hasLegacyProgrammeFields(programme)) continue
    const specialismId = specialismOfProgramme(programme, published, byId)
    const specialism = specialismId ? byId.get(specialismId) : undefined
    const suffix = programme._id.replace(/^programme-/, '')
    const routeId = `trainingRoute-${suffix}-${slugOf(specialism) ?? 'unfiled'}`
    const plan = {programmeId: programme._id, routeId, specialismId}
    routes.push(plan)
    create(routeFor(programme, plan, specialism))
  }

  // Field moves, applied to drafts as to published documents so an open draft is not stranded.
  for (const document of documents) {
    const id = publishedId(document._id)
    const operations: NodePatch[] = []
    if (document._type === 'specialism' && !refOf(document['theme'])) {
      const parent = parentOfSpecialism.get(id) ?? onlyArea
      if (parent) operations.push(at('theme', set(ref(parent))))
      if (document['area'] !== undefined) operations.push(at('area', unset()))
    }
    if (document._type === 'page' && document['specialism'] !== undefined) {
      const specialismId = refOf(document['specialism'])
      if (specialismId && !refOf(document['partOf'])) {
        operations.push(at('partOf', set(ref(specialismId))))
      }
      operations.push(at('specialism', unset()))
      const listed = refsOf(document['relatedProgrammes'])
      // In the order the page lists the programmes, which is the order readers meet them.
      const pageRoutes = listed
        .map((programmeId) =>
          routes.find((r) => r.programmeId === programmeId && r.specialismId === specialismId),
        )
        .filter((r): r is RoutePlan => r !== undefined)
      if (pageRoutes.length > 0 && document['relatedRoutes'] === undefined) {
        operations.push(at('relatedRoutes', set(pageRoutes.map((r) => ref(r.routeId, r.routeId)))))
      }
    }
    if (document._type === 'careerRole' && !refOf(document['partOf'])) {
      const specialismId = refOf(document['specialism'])
      const placement = specialismId ?? onlyArea
      if (placement) operations.push(at('partOf', set(ref(placement))))
      if (document['specialism'] !== undefined) operations.push(at('specialism', unset()))
    }
    if (document._type === 'programme' && hasLegacyProgrammeFields(document)) {
      const nationalBody = refsOf(document['deliveredBy'])[0] ?? refsOf(document['accreditedBy'])[0]
      if (nationalBody && !refOf(document['nationalBody'])) {
        operations.push(at('nationalBody', set(ref(nationalBody))))
      }
      for (const field of ROUTE_FIELDS) {
        if (document[field] !== undefined) operations.push(at(field, unset()))
      }
    }
    if (operations.length > 0) patches.push(patch(document._id, operations))
  }

  return [...[...created.values()].map((document) => createIfNotExists(document)), ...patches]
}
