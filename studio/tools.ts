import type {ConfigContext, Tool} from 'sanity'

import {feedbackOverviewTool} from './feedback'

/** Vision runs any GROQ with the user's rights: it is a developer's tool, for administrators. */
export function canUseVision(currentUser: ConfigContext['currentUser']): boolean {
  return Boolean(currentUser?.roles.some((role) => role.name === 'administrator'))
}

/** The workspace's tools: the plugins' own (Vision only for administrators), then feedback. */
export function resolveTools(prev: Tool[], {currentUser}: Pick<ConfigContext, 'currentUser'>) {
  return [
    ...prev.filter((tool) => tool.name !== 'vision' || canUseVision(currentUser)),
    feedbackOverviewTool,
  ]
}
