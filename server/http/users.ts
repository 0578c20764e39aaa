/**
 * `GET /users/{id}` and `GET /users/{id1},{id2},…`: the people the lake knows (token holders and
 * their browser sessions), in the shape the Studio's user store reads (`{id, displayName,
 * imageUrl, …}`), so avatars, presence and "assigned to" show a name rather than a raw id.
 *
 * The Studio batches ids and maps the answer by `id`; a single id is answered with the user
 * object, several with an array holding `null` where an id is unknown, and a single unknown id is
 * a 404, as Content Lake's API answers them. Only signed-in callers learn who is who.
 */
import type {AuthStore} from '../auth/tokens'
import type {Identity} from '../store/types'
import {httpError, type LakeResponse, notFound, sendJson, unauthorized} from './common'

/** The Studio sends at most 400 ids per request (its DataLoader's `maxBatchSize`). */
export const MAX_USER_IDS = 400

/** The e-mail the lake gives a user: local, never a real address. */
export function userEmail(userId: string): string {
  return `${userId}@lake.localhost`
}

function publicUser(user: Identity, caller: Identity): Record<string, unknown> {
  return {
    id: user.id,
    displayName: user.name,
    givenName: null,
    middleName: null,
    familyName: null,
    imageUrl: null,
    email: userEmail(user.id),
    isCurrentUser: user.id === caller.id,
  }
}

export function handleUsers(
  auth: AuthStore,
  res: LakeResponse,
  caller: Identity,
  idList: string,
): void {
  if (caller.role === 'anonymous') throw unauthorized('Unauthorized - sign in to look up users')
  const ids = idList.split(',').map((id) => id.trim())
  if (ids.some((id) => id === '')) throw httpError(400, 'validationError', 'Empty user id')
  if (ids.length > MAX_USER_IDS) {
    throw httpError(400, 'validationError', `At most ${MAX_USER_IDS} user ids per request`)
  }
  const users = ids.map((id) => {
    const user = auth.userById(id)
    return user ? publicUser(user, caller) : null
  })
  if (ids.length === 1) {
    const [user] = users
    if (!user) throw notFound(`User "${ids[0] ?? ''}" not found`)
    return sendJson(res, 200, user)
  }
  sendJson(res, 200, users)
}
