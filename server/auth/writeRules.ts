/**
 * The rules every write to the lake obeys, whoever sends it: `POST /data/mutate` and
 * `/data/actions` over HTTP, and the feedback intake writing from inside the lake's process.
 */
import {isFeedbackDocumentId} from '../../schemas/feedbackWorkflow'
import {checkFeedbackTransaction} from '../intake/transitions'
import {type CommitOptions, type DocumentChange, type Identity, LakeError} from '../store/types'
import {canDelete, canRead, canWrite} from './access'

export type WriteErrorType = 'mutationError' | 'actionError'

export function writeRules(
  identity: Identity,
  errorType: WriteErrorType,
): Pick<CommitOptions, 'identity' | 'canWrite' | 'canRead' | 'checkChanges'> {
  const mayDelete = canDelete(identity)
  return {
    identity,
    canWrite: canWrite(identity),
    canRead: canRead(identity),
    checkChanges: (changes) => {
      checkDeletes(identity, mayDelete, changes)
      checkWorkflow(identity, changes, errorType)
    },
  }
}

/** Deleting is the one thing `canWrite(id)` cannot tell apart: an editor may edit feedback but not delete it. */
function checkDeletes(
  identity: Identity,
  mayDelete: (documentId: string) => boolean,
  changes: readonly DocumentChange[],
): void {
  for (const change of changes) {
    if (change.previous && !change.result && !mayDelete(change.documentId)) {
      throw new LakeError(
        403,
        'permissionDeniedError',
        `Insufficient permissions: the ${identity.role} role may not delete "${change.documentId}"`,
      )
    }
  }
}

/**
 * Feedback moves through its workflow (`schemas/feedbackWorkflow.ts`) wherever it is written,
 * not only through the Studio's actions: a raw patch with a token gets the same answer.
 */
function checkWorkflow(
  identity: Identity,
  changes: readonly DocumentChange[],
  errorType: WriteErrorType,
): void {
  const verdict = checkFeedbackTransaction(changes, identity.role, isFeedbackDocumentId)
  if (verdict !== true) throw new LakeError(409, errorType, `Feedback workflow: ${verdict}`)
}
