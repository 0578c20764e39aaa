/**
 * What the intake reads from the lake (published documents only): in one query per report, the
 * page it is about and the earliest recent report on the same path with the same text; and the
 * contact page address. Values are always `$params`.
 */
import {defineQuery} from 'groq'

import type {EarlierReport} from '../feedback/fingerprint'
import type {IntakeLake} from './lake'

export const intakeContextQuery = defineQuery(`{
  "page": *[_type == "page" && slug.current == $slug && !(_id in path("drafts.**"))][0]{_id, _rev, _updatedAt},
  "earlier": *[_type == "feedbackSubmission" && path == $path && fingerprint == $fingerprint && submittedAt >= $since && status != "spam" && _id != $id] | order(submittedAt asc)[0]{_id, status, duplicateOf}
}`)

/** What `intakeContextQuery` filters on besides `_type` and `slug.current`, for the lake to index. */
export const INTAKE_INDEXED_FIELDS = [
  ['fingerprint'],
  ['path'],
] as const satisfies readonly (readonly string[])[]

export const intakeContactPageQuery = defineQuery(`*[_id == "settings"][0].contactPageUrl`)

export interface PageMatch {
  _id: string
  _rev: string
  _updatedAt: string
}

export interface IntakeContext {
  page: PageMatch | null
  earlier: EarlierReport | null
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

export async function intakeContext(
  lake: IntakeLake,
  report: {id: string; path: string; fingerprint: string; since: string},
): Promise<IntakeContext> {
  const context = await lake.fetch<IntakeContext | null>(intakeContextQuery, {
    slug: slugFromPath(report.path) ?? null,
    path: report.path,
    fingerprint: report.fingerprint,
    since: report.since,
    id: report.id,
  })
  return {page: context?.page ?? null, earlier: context?.earlier ?? null}
}

export async function contactPageUrl(lake: IntakeLake): Promise<string | undefined> {
  return (await lake.fetch<string | null>(intakeContactPageQuery)) ?? undefined
}

export const usefulPageQuery = defineQuery(
  `*[_type == "page" && slug.current == $slug && !(_id in path("drafts.**"))][0]{_id}`,
)

/** The page an answer to "Is this page useful?" is about, by the path's slug. */
export async function usefulPage(lake: IntakeLake, path: string): Promise<{_id: string} | null> {
  return lake.fetch<{_id: string} | null>(usefulPageQuery, {slug: slugFromPath(path) ?? null})
}
