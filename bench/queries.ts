/**
 * The benchmark's queries and the plain groq-js answers each is checked against, shared by
 * `bench/run.ts` and `tests/bench/` (which runs the checks at a tiny size, without timings).
 */
import {isDeepStrictEqual} from 'node:util'

import {evaluate, parse} from 'groq-js'

export const queries = [
  {
    name: 'page by slug with ->',
    query: `*[_type == "page" && slug.current == $slug][0]{title, summary,
      "programmes": relatedProgrammes[]->{name, acronym, "qualification": qualificationAwarded->{name, "body": awardingBody->name}}}`,
    params: (size: number) => ({slug: `page-${Math.floor(size * 0.1)}`}),
  },
  {
    name: 'paged ordered list',
    query: `*[_type == "page"] | order(publishedAt desc)[20...40]{_id, title, publishedAt}`,
    params: () => ({}),
  },
  {
    name: 'feedback count by state',
    query: `{"new": count(*[_type == "feedbackSubmission" && status == "new"]),
      "triaged": count(*[_type == "feedbackSubmission" && status == "triaged"]),
      "in-progress": count(*[_type == "feedbackSubmission" && status == "in-progress"]),
      "resolved": count(*[_type == "feedbackSubmission" && status == "resolved"])}`,
    params: () => ({}),
  },
]

/**
 * What Studio v6 (sanity 6.16.0, `createSearchQuery` in `node_modules/sanity/lib/PerspectiveProvider-*.js`)
 * sends for a document list pane with a search term and its default ordering (`_updatedAt desc`,
 * a first page of 100 + 1): the text match sits in the filter, the ordering value travels in the
 * `orderings` projection and the order clause reads it back from there.
 */
export const studioListQuery = `// findability-mvi:5
*[_type in $__types && ([@, _id] match text::query($__query) || references($__rawQuery))] {_type, _id, _originalId, "orderings": [_updatedAt]} | order(orderings[0] desc) [0...$__limit]`
const studioSearch = 'cardiac physiology'
export const studioListParams = {
  __types: ['page'],
  __limit: 101,
  // Studio's prefixLast: the last term becomes a prefix so results follow the typing.
  __query: `${studioSearch}*`,
  __rawQuery: studioSearch,
}
/**
 * The Studio's global search (the search box over every type, sanity 6's `createSearchQuery` with
 * no ordering, so by `_id`), the same text match across all searchable types.
 */
export const studioGlobalQuery = `// findability-mvi:5
*[_type in $__types && !(_id in path("versions.**")) && ([@, _id] match text::query($__query) || references($__rawQuery))] | order(_id asc) [0...$__limit] {_type, _id, _originalId}`
export const studioGlobalParams = {
  ...studioListParams,
  __types: ['page', 'programme', 'role', 'qualification', 'organisation', 'feedbackSubmission'],
  __limit: 51,
}
export const studioGlobalReference = `*[_type in $__types && !(_id in path("versions.**")) && ([...__text, _id] match $__terms || references($__rawQuery))] | order(_id asc) [0...$__limit] {_type, _id, _originalId}`

/**
 * The same list in plain groq-js, which has no text::query: every document carries its strings
 * (all but `_`-prefixed keys, as Content Lake indexes them) in a synthetic `__text` array, and
 * the terms are matched against those plus `_id` with groq-js's own `match`.
 */
export const studioListReference = `*[_type in $__types && ([...__text, _id] match $__terms || references($__rawQuery))] {_type, _id, _originalId, "orderings": [_updatedAt]} | order(orderings[0] desc) [0...$__limit]`

export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, out)
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value))
      if (!key.startsWith('_')) stringsOf(child, out)
  }
  return out
}

/** Plain groq-js `evaluate` over the whole dataset: the answer every planner result must equal. */
export async function plainGroq(
  dataset: object[],
  query: string,
  params: Record<string, unknown>,
): Promise<unknown> {
  return (await evaluate(parse(query, {params}), {dataset, params})).get()
}

/** The Studio list in plain groq-js: `dataset` must come from `withText`. */
export function plainStudioList(textDataset: object[]): Promise<unknown> {
  const params = {...studioListParams, __terms: studioListParams.__query.split(' ')}
  return plainGroq(textDataset, studioListReference, params)
}

/** The Studio's global search in plain groq-js: `dataset` must come from `withText`. */
export function plainStudioGlobal(textDataset: object[]): Promise<unknown> {
  const params = {...studioGlobalParams, __terms: studioGlobalParams.__query.split(' ')}
  return plainGroq(textDataset, studioGlobalReference, params)
}

export function withText(dataset: object[]): object[] {
  return dataset.map((d) => ({...d, __text: stringsOf(d)}))
}

/**
 * Whether a planner answer equals plain groq-js. Answers go through JSON first, as they would
 * over HTTP (the planner may hand back objects with prototypes or undefined members). An empty
 * list never passes: it would make the comparison vacuous.
 */
export function sameAnswer(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected) && expected.length === 0) return false
  return isDeepStrictEqual(JSON.parse(JSON.stringify(actual ?? null)) as unknown, expected)
}
