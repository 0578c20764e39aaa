/**
 * The lake's one extension point. The lake itself knows no application's schema or rules: an
 * application (e.g. the careers site, `app/lake.ts`) describes what it adds, and `startLake`
 * applies it to every request, whoever sends it.
 *
 *   startLake({dataDir, application: {
 *     access: {subPaths: [{prefix: 'feedback.', read: [...], write: [...], deletePublished: [...]}]},
 *     writePolicies: [(changes, identity) => refusalOrUndefined],
 *     routes: (host) => [{matches: (method, path) => ..., handle: (req, res) => ...}],
 *   }})
 *
 * Write policies run inside the commit, after the access rules, on the computed changes of every
 * write path (`/data/mutate`, `/data/actions`, and routes writing through `host.session()`): a
 * refusal fails the whole request and stores nothing.
 */
import type {IncomingHttpHeaders} from 'node:http'

import type {AccessRules} from './auth/access'
import type {
  CommittedTransaction,
  DocumentChange,
  Identity,
  Mutation,
  Perspective,
  StoredDocument,
} from './store/types'

/** Why a policy refuses a write: the lake answers with this status and description. */
export interface WriteRefusal {
  status: 400 | 403 | 409
  description: string
}

/** Returns a refusal, or nothing to let the write through. */
export type WritePolicy = (
  changes: readonly DocumentChange[],
  identity: Identity,
) => WriteRefusal | undefined

/** The parts of a Node request a route reads (HTTP/1.1 and HTTP/2 compat requests alike). */
export interface RouteRequest extends AsyncIterable<unknown> {
  method?: string | undefined
  url?: string | undefined
  headers: IncomingHttpHeaders
  httpVersionMajor: number
  socket: {remoteAddress?: string | undefined; encrypted?: boolean} | null
}

export interface RouteResponse {
  writeHead(statusCode: number, headers: Record<string, string | number>): unknown
  end(body: string): unknown
}

/**
 * A route the application mounts beside the lake's API. It is tried before the lake's own routes
 * and needs no credential (a public form's endpoint, say): it decides for itself whom to serve.
 */
export interface LakeRoute {
  matches(method: string, pathname: string): boolean
  handle(req: RouteRequest, res: RouteResponse): Promise<void>
}

/** The lake, as one identity sees it: reads filtered and writes checked as over HTTP. */
export interface LakeSession {
  query<R>(query: string, params?: Record<string, unknown>, perspective?: Perspective): R
  getDocuments(ids: string[]): (StoredDocument | null)[]
  /** Resolves once the write is durable; rejects with the same errors `/data/mutate` answers. */
  mutate(mutations: Mutation[]): Promise<CommittedTransaction>
}

export interface LakeHost {
  /**
   * Reads and writes as `identity`. Token holders' ids are always `p-<token id>` (and anonymous
   * callers' `anonymous`), so an application that gives its own identity another id (e.g.
   * `feedback-intake`) can tell its writes apart from everyone's in a write policy.
   */
  session(identity: Identity): LakeSession
  log(message: string): void
}

export interface LakeApplication {
  access?: AccessRules
  writePolicies?: readonly WritePolicy[]
  /**
   * Names committed changes that erase personal data: in the same SQLite transaction as such a
   * write, the document's earlier revisions and logged mutations are redacted (history endpoints
   * then show `{_id, _type, _rev, _createdAt, _updatedAt, _redacted: true}` for them; see
   * `server/store/redact.ts`). Without it, history keeps everything.
   */
  redactsHistory?: (change: DocumentChange) => boolean
  routes?: (host: LakeHost) => readonly LakeRoute[]
}
