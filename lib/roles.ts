/**
 * The roles a token can hold, defined once: the lake's access rules, the feedback workflow and
 * the token CLI all read them from here. A request without a token is `anonymous`, which is not a
 * role anyone can be given.
 */
export const ROLE_TITLES = {
  administrator: 'Administrator',
  editor: 'Editor',
  reviewer: 'Reviewer',
  viewer: 'Viewer',
} as const

export type Role = keyof typeof ROLE_TITLES

export const ROLES = Object.keys(ROLE_TITLES) as Role[]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(ROLE_TITLES, value)
}
