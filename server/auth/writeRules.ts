/**
 * The rules every write to the lake obeys, whoever sends it: `POST /data/mutate` and
 * `/data/actions` over HTTP, and application routes writing through a `LakeSession`. The access
 * table decides which ids an identity may write and delete; the application's write policies then
 * see the computed changes (inside the commit, before anything is stored).
 */
import type {WritePolicy} from '../application'
import {type CommitOptions, type DocumentChange, type Identity, LakeError} from '../store/types'
import type {Access} from './access'

export type WriteErrorType = 'mutationError' | 'actionError'

export type WriteRules = (
  identity: Identity,
  errorType: WriteErrorType,
) => Pick<CommitOptions, 'identity' | 'canWrite' | 'canRead' | 'checkChanges'>

export function createWriteRules(
  access: Access,
  policies: readonly WritePolicy[] = [],
): WriteRules {
  return (identity, errorType) => {
    const mayDelete = access.canDelete(identity)
    return {
      identity,
      canWrite: access.canWrite(identity),
      canRead: access.canRead(identity),
      checkChanges: (changes) => {
        checkDeletes(identity, mayDelete, changes)
        for (const policy of policies) {
          const refusal = policy(changes, identity)
          if (refusal) {
            const type = refusal.status === 403 ? 'permissionDeniedError' : errorType
            throw new LakeError(refusal.status, type, refusal.description)
          }
        }
      },
    }
  }
}

/** Deleting is the one thing `canWrite(id)` cannot tell apart (an editor may edit, not delete). */
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
