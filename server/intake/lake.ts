/**
 * Where the intake reads pages and recent reports and writes reports: a content lake, reached in
 * one of two ways. In front of Sanity's hosted lake or a remote local lake (the frontend's
 * intake), through `@sanity/client` with a write token. Mounted inside the local lake, straight
 * on its store, with the same write rules as `POST /data/mutate` and no loopback HTTPS hop per
 * read and write. Either way reads see published documents only.
 */
import type {SanityClient} from '@sanity/client'

import {canRead} from '../auth/access'
import {writeRules} from '../auth/writeRules'
import type {Identity, LakeStore, StoredDocument} from '../store/types'

export interface IntakeDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

export interface IntakeLake {
  /** A GROQ query over published documents. */
  fetch<R>(query: string, params?: Record<string, unknown>): Promise<R>
  /** A published document by id. */
  getDocument<R extends object>(id: string): Promise<R | undefined>
  /**
   * Resolves once the report is durably stored, or already was under that id: `true` when this
   * call created it, `false` when something was there before (and is left as it was).
   */
  createIfNotExists(document: IntakeDocument): Promise<boolean>
}

export function intakeLakeFromClient(client: SanityClient): IntakeLake {
  // Reads ignore drafts and release versions whatever perspective the caller's client has.
  const reader = client.withConfig({perspective: 'published'})
  return {
    fetch: (query, params = {}) => reader.fetch(query, params),
    getDocument: async (id) => (await reader.getDocument(id)) as never,
    createIfNotExists: async (document) => {
      const {results} = await client.mutate([{createIfNotExists: document}], {
        returnDocuments: false,
      })
      // Content Lake lists no result (or `none`) for a document that already existed.
      return results.some((result) => result.operation === 'create')
    },
  }
}

/** The intake's identity inside the lake: a reviewer, which may write feedback and nothing else. */
export const INTAKE_IDENTITY: Identity = {
  id: 'feedback-intake',
  name: 'Feedback intake',
  role: 'reviewer',
}

export function intakeLakeFromStore(store: LakeStore, identity = INTAKE_IDENTITY): IntakeLake {
  const readable = canRead(identity)
  const rules = writeRules(identity, 'mutationError')
  return {
    fetch: async <R>(query: string, params: Record<string, unknown> = {}) =>
      store.query(query, params, {
        perspective: 'published',
        canRead: readable,
        accessKey: identity.role,
      }).result as R,
    getDocument: async <R extends object>(id: string) => {
      const [found] = store.getDocuments([id], readable)
      return (found ?? undefined) as (StoredDocument & R) | undefined
    },
    createIfNotExists: async (document) => {
      const {results} = await store.mutate([{createIfNotExists: document}], rules)
      return results.some((result) => result.operation === 'create')
    },
  }
}
