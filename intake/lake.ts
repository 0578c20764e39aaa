/**
 * Where the intake reads pages and recent reports and writes reports: a content lake, reached in
 * one of two ways. In front of Sanity's hosted lake or a remote local lake (the frontend's
 * intake), through `@sanity/client` with a write token. Mounted inside the local lake
 * (`app/lake.ts`), through the lake's session for the intake's identity, with the same rules as
 * `POST /data/mutate` and no loopback HTTPS hop. Either way reads see published documents only.
 */
import type {SanityClient} from '@sanity/client'

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
