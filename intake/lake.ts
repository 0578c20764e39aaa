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
  createIfNotExists(document: IntakeDocument, companions?: IntakeDocument[]): Promise<boolean>
  /**
   * Adds one to `field` of `counter`, creating it (as given) if missing, in one transaction: two
   * answers arriving together both count.
   */
  increment(counter: IntakeDocument, field: string): Promise<void>
}

/**
 * The mutations of a report and the documents filed with it (the reporter's address): one
 * transaction, so neither is stored without the other.
 */
export function createMutations(document: IntakeDocument, companions: IntakeDocument[] = []) {
  return [document, ...companions].map((doc) => ({createIfNotExists: doc}))
}

export function incrementMutations(counter: IntakeDocument, field: string) {
  return [{createIfNotExists: counter}, {patch: {id: counter._id, inc: {[field]: 1}}}]
}

export function intakeLakeFromClient(client: SanityClient): IntakeLake {
  // Reads ignore drafts and release versions whatever perspective the caller's client has.
  const reader = client.withConfig({perspective: 'published'})
  return {
    fetch: (query, params = {}) => reader.fetch(query, params),
    getDocument: async (id) => (await reader.getDocument(id)) as never,
    createIfNotExists: async (document, companions) => {
      const {results} = await client.mutate(createMutations(document, companions), {
        returnDocuments: false,
      })
      // Content Lake lists no result (or `none`) for a document that already existed.
      return results.some((result) => result.id === document._id && result.operation === 'create')
    },
    increment: async (counter, field) => {
      await client.mutate(incrementMutations(counter, field), {returnDocuments: false})
    },
  }
}
