/**
 * Who may read an asset. Asset documents (`image-<sha1>-<w>x<h>-<ext>`, `file-<sha1>-<ext>`) sit on
 * the root path, which anonymous readers may otherwise read; but an image uploaded for a draft, or
 * a file attached to a private document (e.g. `feedback.*`), must not be public. So for anonymous
 * readers an asset is readable exactly when a document anonymous readers may read in the
 * `published` perspective references it: the store's reference index (`*[references($id)]`)
 * answers that. Every other role keeps the application's rules.
 *
 * The answer depends on other documents, which the query views' caches cannot see (they drop
 * cached answers by the buckets a commit touches, and publishing a page does not touch the asset's
 * buckets). So the anonymous predicate is memoised per "epoch" and replaced by a new function
 * instance whenever a commit changes which assets public documents reference; views are cached
 * per function instance (`Access.readerKey` answers undefined for it), so that fresh instance
 * starts fresh caches and the old ones are garbage-collected with the old function.
 *
 * An asset's bytes reach a little further than its document: anyone may fetch the file at its exact
 * URL when a draft or release version of a document that would be public once published uses it.
 * A Studio or a preview on another origin loads pictures with a plain `<img>`, which carries no
 * token, so without this a picture chosen for a draft shows broken until it is published. The URL
 * holds the file's SHA-1, so it is a capability nobody can guess or list; the asset document stays
 * hidden from queries, and files used only by private documents (a feedback screenshot) stay
 * private. Content Lake goes further and serves every asset of a public dataset to anyone.
 */
import type {Access, IdPredicate} from '../auth/access'
import {ANONYMOUS} from '../auth/access'
import {getPublishedId, isDraftId, isVersionId} from '../store/ids'
import type {
  CommittedTransaction,
  Identity,
  LakeStore,
  Perspective,
  StoredDocument,
} from '../store/types'

const ASSET_ID = /^(image|file)-[0-9a-f]{40}-/

export function isAssetId(id: string): boolean {
  return ASSET_ID.test(id)
}

/** Asset ids referenced anywhere in a document (walked with a stack: no input can overflow it). */
function assetRefs(document: StoredDocument | null): Set<string> {
  const out = new Set<string>()
  const stack: unknown[] = document ? [document] : []
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) stack.push(...(value as unknown[]))
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '_ref' && typeof child === 'string') {
          if (isAssetId(child)) out.add(child)
        } else if (typeof child === 'object') stack.push(child)
      }
    }
  }
  return out
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((value) => b.has(value))
}

/** Did this change add or remove a reference to an asset? */
export function changesAssetReferences(change: {
  previous: StoredDocument | null
  result: StoredDocument | null
}): boolean {
  return !sameSet(assetRefs(change.previous), assetRefs(change.result))
}

/** The access table, plus who may fetch an asset's bytes by their URL. */
export interface AssetAccess extends Access {
  /** May `identity` fetch the bytes of the asset with this id (its document may stay hidden)? */
  canFetchFile(identity: Identity): IdPredicate
}

export function withAssetAccess(access: Access, store: LakeStore): AssetAccess {
  const baseAnonymous = access.canRead(ANONYMOUS)
  // The base rule's own cache key: it never changes, so its views stay warm.
  const baseKey = 'anonymous (asset access base)'

  /** Does a document `canRead` accepts, in `perspective`, use the asset? Memoised until `clear`. */
  const usedBy = (perspective: Perspective, canRead: IdPredicate, accessKey: string) => {
    const memo = new Map<string, boolean>()
    const used = (id: string): boolean => {
      let answer = memo.get(id)
      if (answer === undefined) {
        const {result} = store.query(
          'count(*[references($id)][0...1])',
          {id},
          {perspective, canRead, accessKey},
        )
        answer = result !== 0
        memo.set(id, answer)
      }
      return answer
    }
    return {used, clear: () => memo.clear()}
  }

  // One memo for every instance, cleared with each epoch: a listener holding an older instance
  // still gets today's answer.
  const usedByPublic = usedBy('published', baseAnonymous, baseKey)
  const makePredicate = (): IdPredicate => {
    usedByPublic.clear()
    return (id) => (isAssetId(id) ? usedByPublic.used(id) : baseAnonymous(id))
  }
  let anonymous = makePredicate()

  // Unpublished versions of documents that would be public once published.
  const unpublishedOfPublic: IdPredicate = (id) =>
    (isDraftId(id) || isVersionId(id)) && baseAnonymous(getPublishedId(id))
  const usedByUnpublished = usedBy(
    'raw',
    unpublishedOfPublic,
    'anonymous (unpublished versions of public documents)',
  )

  // Subscribed before the listen hubs are created, so they never see the previous epoch's answer.
  store.subscribe((transaction: CommittedTransaction) => {
    const changesPublicAssets = transaction.changes.some((change) => {
      if (isAssetId(change.documentId)) return true
      if (isDraftId(change.documentId) || isVersionId(change.documentId)) return false
      if (!baseAnonymous(change.documentId)) return false
      return changesAssetReferences(change)
    })
    if (changesPublicAssets) anonymous = makePredicate()
    const changesUnpublishedAssets = transaction.changes.some(
      (change) =>
        isAssetId(change.documentId) ||
        (unpublishedOfPublic(change.documentId) && changesAssetReferences(change)),
    )
    if (changesUnpublishedAssets) usedByUnpublished.clear()
  })

  return {
    ...access,
    canRead: (identity) => (identity.role === 'anonymous' ? anonymous : access.canRead(identity)),
    readerKey: (identity) =>
      identity.role === 'anonymous' ? undefined : access.readerKey(identity),
    canFetchFile: (identity) => {
      if (identity.role !== 'anonymous') return access.canRead(identity)
      return (id) => anonymous(id) || (isAssetId(id) && usedByUnpublished.used(id))
    },
  }
}
