import {getDraftId, getPublishedId, isDraftId, isVersionId} from './ids'
import {strengthenReferences} from './references'
import type {Action, PatchOperations} from './types'
import type {WorkingSet} from './working-set'

/**
 * `POST /data/actions` (https://www.sanity.io/docs/http-actions), expressed as changes to the
 * working set. Each action checks its preconditions against the request's state so far, so a
 * later action sees what earlier ones did, and any failure rejects the whole request.
 */

function str(action: Action, field: string): string | undefined {
  const value = action[field]
  return typeof value === 'string' ? value : undefined
}

function requireStr(set: WorkingSet, action: Action, field: string): string {
  const value = str(action, field)
  if (value === undefined) {
    throw set.error(400, 'invalidActionError', `${action.actionType} requires "${field}"`)
  }
  return value
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** The draft or version id an action names, checked against its published id. */
function versionIdOf(set: WorkingSet, action: Action, publishedId: string | undefined): string {
  const id = str(action, 'draftId') ?? str(action, 'versionId')
  if (id === undefined) {
    if (publishedId !== undefined) return getDraftId(publishedId)
    throw set.error(
      400,
      'invalidActionError',
      `${action.actionType} requires "draftId" or "versionId"`,
    )
  }
  if (!isDraftId(id) && !isVersionId(id)) {
    throw set.error(400, 'invalidActionError', `"${id}" is not a draft or version id`, id)
  }
  if (publishedId !== undefined && getPublishedId(id) !== publishedId) {
    throw set.error(400, 'invalidActionError', `"${id}" is not a version of "${publishedId}"`, id)
  }
  return id
}

export function applyActions(set: WorkingSet, actions: readonly Action[]): void {
  actions.forEach((action, index) => {
    set.index = index
    if (!record(action) || typeof action.actionType !== 'string') {
      throw set.error(400, 'invalidActionError', 'An action must be an object with an actionType')
    }
    switch (action.actionType) {
      case 'sanity.action.document.create':
      case 'sanity.action.document.version.create': {
        const attributes = record(action['attributes']) ?? record(action['document'])
        if (!attributes)
          throw set.error(400, 'invalidActionError', `${action.actionType} requires "attributes"`)
        const publishedId = str(action, 'publishedId')
        const id =
          typeof attributes['_id'] === 'string'
            ? attributes['_id']
            : publishedId !== undefined
              ? getDraftId(publishedId)
              : undefined
        if (id === undefined)
          throw set.error(
            400,
            'invalidActionError',
            'create requires attributes._id or publishedId',
          )
        if (!isDraftId(id) && !isVersionId(id)) {
          throw set.error(
            400,
            'invalidActionError',
            `create makes drafts or versions, not "${id}"`,
            id,
          )
        }
        if (publishedId !== undefined && getPublishedId(id) !== publishedId) {
          throw set.error(
            400,
            'invalidActionError',
            `"${id}" is not a version of "${publishedId}"`,
            id,
          )
        }
        if (set.get(id)) {
          if (str(action, 'ifExists') === 'ignore') return
          throw set.error(409, 'documentAlreadyExistsError', `Document "${id}" already exists`, id)
        }
        set.put(id, attributes)
        return
      }
      case 'sanity.action.document.edit': {
        const publishedId = requireStr(set, action, 'publishedId')
        const draftId = versionIdOf(set, action, publishedId)
        const patch = record(action['patch'])
        if (!patch) throw set.error(400, 'invalidActionError', 'edit requires "patch"')
        if (!set.get(draftId)) {
          // Editing a published document starts its draft from the published version.
          const published = set.get(publishedId)
          if (!published) {
            throw set.error(
              404,
              'documentNotFoundError',
              `Cannot edit "${publishedId}": it has no draft or published version`,
              draftId,
            )
          }
          set.put(draftId, published)
        }
        set.patch(draftId, patch as PatchOperations)
        return
      }
      case 'sanity.action.document.publish': {
        const publishedId = requireStr(set, action, 'publishedId')
        const draftId = versionIdOf(set, action, publishedId)
        const draft = set.get(draftId)
        if (!draft) {
          throw set.error(
            409,
            'documentNotFoundError',
            `Cannot publish: no draft "${draftId}"`,
            draftId,
          )
        }
        const published = set.get(publishedId)
        const ifDraft = str(action, 'ifDraftRevisionId')
        if (ifDraft !== undefined && ifDraft !== draft._rev) {
          throw set.error(
            409,
            'conflict',
            `Draft "${draftId}" has revision "${draft._rev}", expected "${ifDraft}"`,
            draftId,
          )
        }
        const ifPublished = str(action, 'ifPublishedRevisionId')
        if (ifPublished !== undefined && ifPublished !== published?._rev) {
          throw set.error(
            409,
            'conflict',
            `Published "${publishedId}" has revision "${published?._rev ?? 'none'}", expected "${ifPublished}"`,
            publishedId,
          )
        }
        // References the Studio wrote weak because their target was unpublished become strong
        // now where the target exists (Content Lake's `_strengthenOnPublish`).
        const strengthened = strengthenReferences(draft, (id) => set.get(id) !== null) ?? draft
        set.put(publishedId, {
          ...strengthened,
          _createdAt: published?._createdAt ?? draft._createdAt,
        })
        set.put(draftId, null)
        return
      }
      case 'sanity.action.document.unpublish': {
        const publishedId = requireStr(set, action, 'publishedId')
        const draftId = versionIdOf(set, action, publishedId)
        const published = set.get(publishedId)
        if (!published) {
          throw set.error(
            409,
            'documentNotFoundError',
            `Cannot unpublish: "${publishedId}" is not published`,
            publishedId,
          )
        }
        if (!set.get(draftId)) set.put(draftId, published)
        set.put(publishedId, null)
        return
      }
      case 'sanity.action.document.discard':
      case 'sanity.action.document.version.discard': {
        const id = versionIdOf(set, action, undefined)
        if (!set.get(id)) {
          throw set.error(
            409,
            'documentNotFoundError',
            `Cannot discard: "${id}" does not exist`,
            id,
          )
        }
        set.put(id, null)
        return
      }
      case 'sanity.action.document.delete': {
        const publishedId = requireStr(set, action, 'publishedId')
        const listed = Array.isArray(action['includeDrafts'])
          ? action['includeDrafts'].filter((id): id is string => typeof id === 'string')
          : []
        for (const id of listed) {
          if (getPublishedId(id) !== publishedId) {
            throw set.error(
              400,
              'invalidActionError',
              `"${id}" is not a draft of "${publishedId}"`,
              id,
            )
          }
        }
        const ids = [publishedId, getDraftId(publishedId), ...listed].filter((id) => set.get(id))
        if (ids.length === 0) {
          throw set.error(
            409,
            'documentNotFoundError',
            `Cannot delete "${publishedId}": it does not exist`,
            publishedId,
          )
        }
        for (const id of new Set(ids)) set.put(id, null)
        return
      }
      case 'sanity.action.document.replaceDraft':
      case 'sanity.action.document.version.replace': {
        const attributes = record(action['attributes']) ?? record(action['document'])
        if (!attributes)
          throw set.error(400, 'invalidActionError', `${action.actionType} requires "attributes"`)
        const publishedId = str(action, 'publishedId')
        const id =
          str(action, 'draftId') ??
          (typeof attributes['_id'] === 'string' ? attributes['_id'] : undefined) ??
          (publishedId === undefined ? undefined : getDraftId(publishedId))
        if (id === undefined)
          throw set.error(400, 'invalidActionError', 'replaceDraft requires draftId')
        if (!isDraftId(id) && !isVersionId(id)) {
          throw set.error(400, 'invalidActionError', `"${id}" is not a draft or version id`, id)
        }
        set.put(id, attributes)
        return
      }
      default:
        throw set.error(400, 'invalidActionError', `Unknown action type "${action.actionType}"`)
    }
  })
}
