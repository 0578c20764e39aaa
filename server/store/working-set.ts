import {Mutation as MutatorMutation} from '@sanity/mutator'

import {isValidDocumentId, MAX_ID_LENGTH} from './ids'
import {
  depthExceeds,
  documentDepthProblem,
  documentSizeProblem,
  type LimitProblem,
  MAX_DOCUMENT_DEPTH,
} from './limits'
import type {DocumentSource} from './pending'
import {findIntegrityViolation} from './references'
import {LakeError, type PatchOperations, type StoredDocument} from './types'

/** Fields a client cannot set: the lake owns them. */
const SYSTEM_FIELDS = ['_id', '_rev', '_updatedAt'] as const

/**
 * The documents of one request while it is being computed: reads fall through to the store's
 * documents (committed, and those of its commit group still waiting for their fsync), writes stay
 * here until the store stages them. Nothing here touches the store, so throwing at any point
 * leaves the lake as it was.
 */
export class WorkingSet {
  private readonly changed = new Map<string, StoredDocument | null>()
  /** Documents in the order the request first touched them, with their state before it. */
  private readonly before = new Map<string, StoredDocument | null>()
  /** The request item that last wrote each document, for errors found after the last item. */
  private readonly writtenBy = new Map<string, number>()

  readonly transactionId: string
  readonly timestamp: string
  readonly errorType: 'mutationError' | 'actionError'
  /** Which item of the request is running, for error `items[].index`. */
  index = 0
  private readonly source: DocumentSource
  private readonly canWrite: (id: string) => boolean

  constructor(options: {
    source: DocumentSource
    transactionId: string
    timestamp: string
    canWrite: (id: string) => boolean
    errorType: 'mutationError' | 'actionError'
  }) {
    this.source = options.source
    this.transactionId = options.transactionId
    this.timestamp = options.timestamp
    this.canWrite = options.canWrite
    this.errorType = options.errorType
  }

  get(id: string): StoredDocument | null {
    if (this.changed.has(id)) return this.changed.get(id) ?? null
    return this.source.get(id) ?? null
  }

  /** Every document as the request currently sees it, in `_id` order (query-based patches). */
  snapshot(canRead: (id: string) => boolean): StoredDocument[] {
    const ids = new Set(this.source.ids())
    for (const id of this.changed.keys()) ids.add(id)
    const out: StoredDocument[] = []
    for (const id of [...ids].sort()) {
      const doc = this.get(id)
      if (doc && canRead(id)) out.push(doc)
    }
    return out
  }

  /** Store a new state for a document, stamping the lake's system fields. */
  put(id: string, next: Record<string, unknown> | null): StoredDocument | null {
    if (!isValidDocumentId(id)) {
      throw this.error(
        400,
        'invalidDocumentIdError',
        `Document ID "${id}" is not valid: use 1-${MAX_ID_LENGTH} characters from a-zA-Z0-9._- with no path segment starting with "-"`,
        id,
      )
    }
    if (!this.canWrite(id)) {
      throw this.error(
        403,
        'insufficientPermissionsError',
        `Insufficient permissions to write "${id}"`,
        id,
      )
    }
    const current = this.get(id)
    if (!this.before.has(id)) this.before.set(id, current)
    this.writtenBy.set(id, this.index)
    if (next === null) {
      this.changed.set(id, null)
      return null
    }
    if (typeof next['_type'] !== 'string' || next['_type'] === '') {
      throw this.error(400, 'validationError', `Document "${id}" must have a string _type`, id)
    }
    // Every stored document passes here, whatever wrote it: the write boundary's limits.
    this.refuse(documentDepthProblem(id, next), id)
    const doc = {...next} as Record<string, unknown>
    for (const field of SYSTEM_FIELDS) delete doc[field]
    const createdAt =
      typeof next['_createdAt'] === 'string'
        ? next['_createdAt']
        : (current?._createdAt ?? this.timestamp)
    const json = JSON.stringify({
      _id: id,
      _type: next['_type'],
      ...doc,
      _createdAt: createdAt,
      _updatedAt: this.timestamp,
      _rev: this.transactionId,
    })
    this.refuse(documentSizeProblem(id, json), id)
    // A JSON round trip: the mirror holds exactly what the database holds (and what a reopen
    // would load), and nothing the caller keeps a reference to can change it afterwards.
    const stored = JSON.parse(json) as StoredDocument
    this.changed.set(id, stored)
    return stored
  }

  /** Apply a patch with Sanity's own implementation (@sanity/mutator, as the Studio does). */
  patch(id: string, operations: PatchOperations): StoredDocument {
    const current = this.get(id)
    if (!current) {
      throw this.error(
        404,
        'documentNotFoundError',
        `Cannot modify nonexistent document "${id}"`,
        id,
      )
    }
    if (operations.ifRevisionID !== undefined && operations.ifRevisionID !== current._rev) {
      throw this.error(
        409,
        'conflict',
        `Document "${id}" has revision "${current._rev}", expected "${operations.ifRevisionID}"`,
        id,
      )
    }
    const {id: _ignoredId, query: _q, params: _p, ifRevisionID: _r, ...ops} = operations
    // Each operation's argument holds values at least as deep in the document as in the argument
    // (`set: {path: value}`, `insert: {items: [value]}`): one deeper than a document may be can
    // only fail, and is refused before @sanity/mutator walks it.
    for (const [name, argument] of Object.entries(ops)) {
      if (depthExceeds(argument, MAX_DOCUMENT_DEPTH)) {
        throw this.error(
          400,
          'documentTooDeepError',
          `Patch on "${id}": its "${name}" nests arrays and objects deeper than ${MAX_DOCUMENT_DEPTH} levels, the limit for a document`,
          id,
        )
      }
    }
    let result: Record<string, unknown> | null
    try {
      // PatchOperations is the wire shape; @sanity/mutator validates the operations itself.
      const params = {mutations: [{patch: {...ops, id}}]} as unknown as ConstructorParameters<
        typeof MutatorMutation
      >[0]
      result = new MutatorMutation(params).apply(current)
    } catch (error) {
      const description = error instanceof Error ? error.message : String(error)
      throw this.error(400, 'invalidPatchError', `Patch on "${id}" failed: ${description}`, id)
    }
    if (!result)
      throw this.error(400, 'invalidPatchError', `Patch on "${id}" removed the document`, id)
    // A patch may not move or retime a document: the id and creation time come from before.
    return this.put(id, {
      ...result,
      _createdAt: result['_createdAt'] ?? current._createdAt,
    }) as StoredDocument
  }

  /** What the request changed: previous (before the request) and result, in first-touch order. */
  changes(): {
    documentId: string
    previous: StoredDocument | null
    result: StoredDocument | null
  }[] {
    const out = []
    for (const [documentId, previous] of this.before) {
      const result = this.changed.get(documentId) ?? null
      if (previous === null && result === null) continue
      out.push({documentId, previous, result})
    }
    return out
  }

  private refuse(problem: LimitProblem | undefined, id: string): void {
    if (problem) throw this.error(400, problem.type, problem.description, id)
  }

  /**
   * Referential integrity on the request's final state (`references.ts`): 409 naming the
   * document and the reference. A referrer the caller may not read is not named.
   */
  checkReferences(canRead: (id: string) => boolean): void {
    const violation = findIntegrityViolation(this.changes(), {
      get: (id) => this.get(id),
      storedReferrers: (id) => this.source.referencing(id),
    })
    if (!violation) return
    this.index = this.writtenBy.get(violation.documentId) ?? this.index
    if (violation.kind === 'missingTarget') {
      throw this.error(
        409,
        'documentReferenceError',
        `Document "${violation.documentId}" references non-existent document "${violation.targetId}"`,
        violation.documentId,
      )
    }
    const referrer = canRead(violation.referrerId)
      ? `"${violation.referrerId}"`
      : 'a document you may not read'
    throw this.error(
      409,
      'documentReferencedError',
      `Document "${violation.documentId}" cannot be deleted as there are references to it from ${referrer}`,
      violation.documentId,
    )
  }

  error(statusCode: number, type: string, description: string, id?: string): LakeError {
    const verb = this.errorType === 'mutationError' ? 'mutation' : 'action'
    return new LakeError(statusCode, this.errorType, `The ${verb}(s) failed: ${description}`, {
      items: [{error: {type, description, ...(id === undefined ? {} : {id})}, index: this.index}],
    })
  }
}
