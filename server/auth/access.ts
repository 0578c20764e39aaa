/**
 * Who may read, write and delete which document ids: the lake's one access rule table. Every rule
 * is a function of the identity that returns a predicate on document ids, so the store applies it
 * inside queries and transactions, item by item.
 *
 * The built-in rules are Content Lake's:
 * - anonymous: only published documents on the root path (no `drafts.*`, no `versions.*`, no id
 *   containing `.`); never writes.
 * - viewer and reviewer: read everything; write nothing.
 * - editor and administrator: read, write and delete everything.
 *
 * An application narrows or widens them per id sub-path (`SubPathGrant`), as Content Lake's custom
 * roles grant by `_id in path(...)`: the careers application, for example, keeps `feedback.*`
 * from viewers, lets reviewers write it, and lets only administrators delete a published report.
 */
import {ROLES, type Role} from '../../lib/roles'
import {getPublishedId} from '../store/ids'
import type {Identity} from '../store/types'

export type IdPredicate = (documentId: string) => boolean

export const ANONYMOUS: Identity = {id: 'anonymous', name: 'Anonymous', role: 'anonymous'}

/** What each role may do with the documents of one sub-path (and their drafts and versions). */
export interface SubPathGrant {
  /** The published id's first segment(s) with the dot, e.g. `feedback.` for `feedback.<uuid>`. */
  prefix: string
  read: readonly Role[]
  write: readonly Role[]
  /** Who may delete the published document; deleting a draft is writing. */
  deletePublished: readonly Role[]
}

export interface AccessRules {
  subPaths?: readonly SubPathGrant[]
}

export interface Grant {
  filter: string
  permissions: string[]
}

export interface Access {
  canRead(identity: Identity): IdPredicate
  canWrite(identity: Identity): IdPredicate
  canDelete(identity: Identity): IdPredicate
  /**
   * The key the query views cache this identity's visible dataset under (`QueryOptions.accessKey`):
   * the role, or undefined when the read predicate changes with the data (asset access, see
   * `server/assets/access.ts`), so views are cached per predicate instance instead.
   */
  readerKey(identity: Identity): string | undefined
  /** Exporting the whole dataset is for people who may see and restore all of it. */
  canExport(identity: Identity): boolean
  /** May this identity write at all? Anonymous requests are told to authenticate (401) instead. */
  canWriteAnything(identity: Identity): boolean
  /**
   * `GET /projects/{pid}/datasets/{ds}/acl`: the grants the Studio evaluates (with GROQ, on each
   * document) to enable or disable editing. They mirror the predicates.
   */
  datasetAcl(identity: Identity): Grant[]
}

const BASE_WRITERS: readonly Role[] = ['administrator', 'editor']

/** Root-path, published ids: what Content Lake serves without a token. */
export function isPublicId(documentId: string): boolean {
  return !documentId.includes('.')
}

const always: IdPredicate = () => true
const never: IdPredicate = () => false

export function createAccess(rules: AccessRules = {}): Access {
  const subPaths = rules.subPaths ?? []
  const grantOf = (documentId: string): SubPathGrant | undefined => {
    const published = getPublishedId(documentId)
    return subPaths.find((grant) => published.startsWith(grant.prefix))
  }

  // One function instance per role and rule: the store caches each reader's visible dataset keyed
  // by it, so a fresh closure per request would defeat the cache.
  function perRole(
    decide: (role: Role, grant: SubPathGrant | undefined, documentId: string) => boolean,
  ): Map<Role, IdPredicate> {
    const table = new Map<Role, IdPredicate>()
    for (const role of ROLES) {
      const none = subPaths.every((grant) => !decide(role, grant, `${grant.prefix}x`))
      const all =
        decide(role, undefined, 'x') &&
        subPaths.every((grant) => decide(role, grant, `${grant.prefix}x`))
      const baseline = decide(role, undefined, 'x')
      table.set(
        role,
        all
          ? always
          : !baseline && none
            ? never
            : (documentId) => decide(role, grantOf(documentId), documentId),
      )
    }
    return table
  }

  const readers = perRole((role, grant) => (grant ? grant.read.includes(role) : true))
  const writers = perRole((role, grant) =>
    grant ? grant.write.includes(role) : BASE_WRITERS.includes(role),
  )
  const deleters = perRole((role, grant, documentId) => {
    if (!grant) return BASE_WRITERS.includes(role)
    const published = documentId === getPublishedId(documentId)
    return published ? grant.deletePublished.includes(role) : grant.write.includes(role)
  })

  const lookup = (table: Map<Role, IdPredicate>, identity: Identity, anonymous: IdPredicate) =>
    identity.role === 'anonymous' ? anonymous : (table.get(identity.role) ?? never)

  const pathFilter = (prefix: string) =>
    `(_id in path("${prefix}**") || _id in path("drafts.${prefix}**"))`

  return {
    canRead: (identity) => lookup(readers, identity, isPublicId),
    canWrite: (identity) => lookup(writers, identity, never),
    canDelete: (identity) => lookup(deleters, identity, never),
    readerKey: (identity) => identity.role,
    canExport: (identity) => identity.role === 'administrator' || identity.role === 'editor',
    canWriteAnything: (identity) =>
      identity.role !== 'anonymous' &&
      (BASE_WRITERS.includes(identity.role) ||
        subPaths.some((grant) => grant.write.includes(identity.role as Role))),
    datasetAcl(identity) {
      const role = identity.role
      if (role === 'anonymous') return [{filter: '_id in path("*")', permissions: ['read']}]
      const basePermissions = (writes: boolean): string[] => [
        'read',
        ...(writes ? ['create', 'update'] : []),
        'history',
        ...(role === 'administrator' ? ['editHistory'] : []),
      ]
      const baseWrites = BASE_WRITERS.includes(role)
      // Sub-paths whose rules differ from the base for this role get a grant of their own; the
      // base grant leaves out those the role may not read at all.
      const readable = subPaths.filter((grant) => grant.read.includes(role))
      const differing = readable.filter((grant) => grant.write.includes(role) !== baseWrites)
      // Grants are a union: a sub-path where the role may do less than the base is left out of
      // the base grant, and one it may not read at all is only ever left out.
      const excluded = subPaths.filter(
        (grant) => !grant.read.includes(role) || (baseWrites && !grant.write.includes(role)),
      )
      const base = excluded.length
        ? excluded.map((grant) => `!${pathFilter(grant.prefix)}`).join(' && ')
        : '_id in path("**")'
      return [
        {filter: base, permissions: basePermissions(baseWrites)},
        ...differing.map((grant) => ({
          filter: pathFilter(grant.prefix),
          permissions: basePermissions(grant.write.includes(role)),
        })),
      ]
    },
  }
}
