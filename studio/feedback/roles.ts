/**
 * What the signed-in person may do with feedback, from their roles as the Studio knows them
 * (`currentUser.roles`): the Studio offers only what the lake would accept from them.
 */
import type {CurrentUser} from 'sanity'

import {
  mayEraseReports,
  mayReadContacts,
  mayReadFeedback,
  mayWriteFeedback,
} from '../../feedback/access'

export function roleNames(user: Pick<CurrentUser, 'roles'> | null | undefined): string[] {
  return user?.roles.map((role) => role.name) ?? []
}

/** Viewers see no feedback lists, panels or tools: the lake would show them none. */
export function canReadFeedback(user: Pick<CurrentUser, 'roles'> | null | undefined): boolean {
  return mayReadFeedback(roleNames(user))
}

export function canWriteFeedback(user: Pick<CurrentUser, 'roles'> | null | undefined): boolean {
  return mayWriteFeedback(roleNames(user))
}

export function canEraseReports(user: Pick<CurrentUser, 'roles'> | null | undefined): boolean {
  return mayEraseReports(roleNames(user))
}

/** Reviewers and administrators reply to reporters; editors and viewers never see addresses. */
export function canReadContacts(user: Pick<CurrentUser, 'roles'> | null | undefined): boolean {
  return mayReadContacts(roleNames(user))
}
