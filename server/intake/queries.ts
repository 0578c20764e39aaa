/**
 * What the intake reads from the lake: the page a report is about, recent reports on the same
 * path (for duplicates) and the contact page address. Values are always `$params`.
 */
import type {SanityClient} from '@sanity/client'
import {defineQuery} from 'groq'

import type {RecentReport} from './duplicate'

export const intakePageBySlugQuery = defineQuery(
  `*[_type == "page" && slug.current == $slug && !(_id in path("drafts.**"))][0]{_id, _rev, _updatedAt}`,
)

export const intakeRecentReportsQuery = defineQuery(
  `*[_type == "feedbackSubmission" && path == $path && submittedAt >= $since && status != "spam"] | order(submittedAt asc){_id, whatDoing, whatWentWrong, status, duplicateOf}`,
)

export const intakeContactPageQuery = defineQuery(`*[_id == "settings"][0].contactPageUrl`)

export interface PageMatch {
  _id: string
  _rev: string
  _updatedAt: string
}

/**
 * Pages are addressed by their slug, the last segment of the path (the frontend nests pages
 * under their section, which may change without the slug changing).
 */
export function slugFromPath(path: string): string | undefined {
  const segments = path.split('/').filter((s) => s !== '')
  const last = segments.at(-1)
  if (last === undefined) return undefined
  try {
    return decodeURIComponent(last)
  } catch {
    return last
  }
}

export async function findPage(client: SanityClient, path: string): Promise<PageMatch | undefined> {
  const slug = slugFromPath(path)
  if (!slug) return undefined
  return (await client.fetch<PageMatch | null>(intakePageBySlugQuery, {slug})) ?? undefined
}

export async function recentReports(
  client: SanityClient,
  path: string,
  since: string,
): Promise<RecentReport[]> {
  return client.fetch<RecentReport[]>(intakeRecentReportsQuery, {path, since})
}

export async function contactPageUrl(client: SanityClient): Promise<string | undefined> {
  return (await client.fetch<string | null>(intakeContactPageQuery)) ?? undefined
}
