/**
 * The site's one URL scheme: every link, breadcrumb, sitemap entry and canonical URL comes from
 * `documentPath`, and every route is found again by `routeForPath`, so the two cannot drift.
 *
 *   page          /<slug>                     careerArea    /areas/<key>
 *   theme         /themes/<key>               specialism    /specialisms/<key>
 *   programme     /programmes/<key>           trainingRoute /routes/<key>
 *   careerRole    /roles/<key>                qualification /qualifications/<key>
 *   registration  /registrations/<key>        organisation  /organisations/<key>
 *   framework     /frameworks/<key>
 *
 * `<key>` is the slug where the document has one; otherwise it is derived from the document id
 * (`programme-stp` → `stp`, an id the Studio generated stays as it is), so a document without a
 * slug is still reachable and its address does not change when an editor renames it.
 */

export const PUBLIC_TYPES = [
  'page',
  'careerArea',
  'theme',
  'specialism',
  'programme',
  'trainingRoute',
  'careerRole',
  'qualification',
  'registration',
  'organisation',
  'framework',
] as const
export type PublicType = (typeof PUBLIC_TYPES)[number]

/** The first path segment of each type; pages alone live at the root, as they always have. */
export const TYPE_SEGMENTS: {[Type in Exclude<PublicType, 'page'>]: string} = {
  careerArea: 'areas',
  theme: 'themes',
  specialism: 'specialisms',
  programme: 'programmes',
  trainingRoute: 'routes',
  careerRole: 'roles',
  qualification: 'qualifications',
  registration: 'registrations',
  organisation: 'organisations',
  framework: 'frameworks',
}

/**
 * Root paths the site answers itself (the lists of each type, the sitemap, the feedback intake):
 * a page whose slug took one would be unreachable, hidden behind it.
 */
export const RESERVED_ROOT_SEGMENTS: readonly string[] = [
  ...Object.values(TYPE_SEGMENTS),
  'sitemap.xml',
  'feedback',
  // The frontend's own endpoints: draft mode, the live relay and its scripts (`web/`).
  'api',
]

/** What a path needs of a document: its type, id and (where it has one) slug. */
export interface Addressable {
  _type: string
  _id: string
  slug?: string | null
}

/** Only these characters reach a query, as a parameter; anything else is simply not found. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/

export function isPublicType(type: string): type is PublicType {
  return (PUBLIC_TYPES as readonly string[]).includes(type)
}

/** The key of a document that has no slug: its id without the `<type>-` prefix seeds use. */
export function idKey(type: string, id: string): string {
  return id.startsWith(`${type}-`) ? id.slice(type.length + 1) : id
}

/** The path of a public document, or undefined for anything the public has no page for. */
export function documentPath(doc: Addressable): string | undefined {
  if (!isPublicType(doc._type)) return undefined
  const key = doc.slug && KEY.test(doc.slug) ? doc.slug : idKey(doc._type, doc._id)
  if (!KEY.test(key)) return undefined
  return doc._type === 'page' ? `/${key}` : `/${TYPE_SEGMENTS[doc._type]}/${key}`
}

/**
 * Which route a path asks for: the type, the key as written, and the id a slug-less document
 * with that key would have (`$key` and `$id` for the route's query). Undefined: not ours (404).
 */
export function routeForPath(
  pathname: string,
): {type: PublicType; key: string; id: string} | undefined {
  const parts = pathname.split('/').slice(1)
  if (parts.length === 1) {
    const [key = ''] = parts
    return KEY.test(key) ? {type: 'page', key, id: `page-${key}`} : undefined
  }
  if (parts.length !== 2) return undefined
  const [segment, key = ''] = parts
  const type = (Object.keys(TYPE_SEGMENTS) as (keyof typeof TYPE_SEGMENTS)[]).find(
    (candidate) => TYPE_SEGMENTS[candidate] === segment,
  )
  if (!type || !KEY.test(key)) return undefined
  return {type, key, id: `${type}-${key}`}
}

/** Readers' names for the index of each type (`/programmes`, `/roles`, …), in home-page order. */
export const INDEX_TITLES: {[Type in keyof typeof TYPE_SEGMENTS]: string} = {
  careerArea: 'Career areas',
  theme: 'Divisions and themes',
  specialism: 'Specialisms',
  careerRole: 'Career roles',
  programme: 'National training programmes',
  trainingRoute: 'Training routes',
  qualification: 'Qualifications',
  registration: 'Professional registration',
  organisation: 'Organisations',
  framework: 'Career frameworks',
}

/** The path of the list of every document of a type. */
export function indexPath(type: keyof typeof TYPE_SEGMENTS): string {
  return `/${TYPE_SEGMENTS[type]}`
}

/**
 * The type whose index a path asks for (`/roles` → `careerRole`). These paths are reserved: a
 * page whose slug is one of the segments would be hidden behind the index.
 */
export function indexForPath(pathname: string): keyof typeof TYPE_SEGMENTS | undefined {
  return (Object.keys(TYPE_SEGMENTS) as (keyof typeof TYPE_SEGMENTS)[]).find(
    (type) => pathname === indexPath(type),
  )
}
