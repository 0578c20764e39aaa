import type {ConfigContext, Tool} from 'sanity'

import {triageRoles} from '../feedback/workflow'
import {feedbackOverviewTool} from './feedback'

type CurrentUser = ConfigContext['currentUser']

function hasRole(currentUser: CurrentUser, names: readonly string[]): boolean {
  return Boolean(currentUser?.roles.some((role) => names.includes(role.name)))
}

/** Vision runs any GROQ with the user's rights: it is a developer's tool, for administrators. */
export function canUseVision(currentUser: CurrentUser): boolean {
  return hasRole(currentUser, ['administrator'])
}

/** The feedback overview is a triage desk: viewers (who only read feedback) do not get it. */
export function canTriageFeedback(currentUser: CurrentUser): boolean {
  return hasRole(currentUser, triageRoles)
}

/** The workspace's tools: the plugins' own (Vision only for administrators), then feedback. */
export function resolveTools(prev: Tool[], {currentUser}: Pick<ConfigContext, 'currentUser'>) {
  return [
    ...prev.filter((tool) => tool.name !== 'vision' || canUseVision(currentUser)),
    ...(canTriageFeedback(currentUser) ? [feedbackOverviewTool] : []),
  ]
}
