/**
 * `npm run feedback:export -- [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--state new,triaged]
 *   [--path /prefix] [--include-spam] [--include-pii] [--include-contact] [--out file.csv]`
 *
 * Writes feedback as CSV (RFC 4180: CRLF rows, quoted fields with doubled quotes): date, page,
 * path, category, text, state, assignee, resolution. Spam and reports in which personal
 * information was found (and masked) are left out unless asked for, as GOV.UK's exports do with
 * suspected PII. Reporters' email addresses (`feedbackContact.*`) are left out unless
 * `--include-contact` is given, with a token that may read them (a reviewer's or an administrator's).
 * Reads through `createContentClient` with a token: feedback is never public.
 */
import {writeFileSync} from 'node:fs'
import {parseArgs} from 'node:util'

import type {SanityClient} from '@sanity/client'

import {createContentClient, writeToken} from '../lib/client'
import {feedbackCategories, isFeedbackStatus, workflowState} from '../feedback/workflow'
import {isMain, runMain} from '../lib/cli'

export interface ExportOptions {
  /** Inclusive start date (`YYYY-MM-DD`, UTC). */
  from?: string
  /** Inclusive end date (`YYYY-MM-DD`, UTC). */
  to?: string
  states?: string[]
  /** Path prefix, e.g. `/working-health`. */
  path?: string
  includeSpam?: boolean
  includePii?: boolean
  /** Adds a "contact email" column: the address a reporter left with their consent. */
  includeContact?: boolean
}

export interface ExportRow {
  submittedAt?: string | null
  page?: string | null
  path?: string | null
  category?: string | null
  whatDoing?: string | null
  whatWentWrong?: string | null
  status?: string | null
  assignee?: string | null
  resolutionNote?: string | null
  contactEmail?: string | null
}

export const CSV_COLUMNS = [
  'date',
  'page',
  'path',
  'category',
  'text',
  'state',
  'assignee',
  'resolution',
] as const

const DATE = /^\d{4}-\d{2}-\d{2}$/

export class UsageError extends Error {}

export function parseExportArgs(argv: readonly string[]): ExportOptions & {out?: string} {
  const {values} = parseArgs({
    args: [...argv],
    options: {
      from: {type: 'string'},
      to: {type: 'string'},
      state: {type: 'string'},
      path: {type: 'string'},
      out: {type: 'string'},
      'include-spam': {type: 'boolean'},
      'include-pii': {type: 'boolean'},
      'include-contact': {type: 'boolean'},
    },
    strict: true,
  })
  for (const key of ['from', 'to'] as const) {
    const value = values[key]
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new UsageError(`--${key} must be a date like 2026-11-01, not "${value}".`)
    }
  }
  const states = values.state
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const unknown = states?.find((s) => !isFeedbackStatus(s))
  if (unknown) throw new UsageError(`--state: "${unknown}" is not a workflow state.`)
  if (values.path !== undefined && !values.path.startsWith('/')) {
    throw new UsageError('--path must start with "/", e.g. /working-health.')
  }
  return {
    ...(values.from ? {from: values.from} : {}),
    ...(values.to ? {to: values.to} : {}),
    ...(states?.length ? {states} : {}),
    ...(values.path ? {path: values.path} : {}),
    ...(values.out ? {out: values.out} : {}),
    includeSpam: values['include-spam'] ?? false,
    includePii: values['include-pii'] ?? false,
    includeContact: values['include-contact'] ?? false,
  }
}

/** The query and its parameters: every value is a parameter, filters only when asked for. */
export function buildExportQuery(options: ExportOptions): {
  query: string
  params: Record<string, unknown>
} {
  const filters = ['_type == "feedbackSubmission"', '!(_id in path("drafts.**"))']
  const params: Record<string, unknown> = {}
  if (options.from) {
    filters.push('submittedAt >= $from')
    params['from'] = `${options.from}T00:00:00.000Z`
  }
  if (options.to) {
    // Inclusive end date: everything before the next midnight.
    filters.push('submittedAt < $to')
    params['to'] = new Date(Date.parse(`${options.to}T00:00:00.000Z`) + 86_400_000).toISOString()
  }
  if (options.states?.length) {
    filters.push('status in $states')
    params['states'] = options.states
  } else if (!options.includeSpam) {
    filters.push('status != "spam"')
  }
  if (options.path) {
    filters.push('string::startsWith(path, $path)')
    params['path'] = options.path
  }
  if (!options.includePii) filters.push('piiMasked != true')
  // Only asked for: the address lives in its own document, readable by reviewers only.
  const contact = options.includeContact
    ? `, "contactEmail": *[_type == "feedbackContact" && report._ref == ^._id][0].email`
    : ''
  return {
    query: `*[${filters.join(' && ')}] | order(submittedAt asc){submittedAt, "page": page->title, path, category, whatDoing, whatWentWrong, status, assignee, resolutionNote${contact}}`,
    params,
  }
}

/**
 * One CSV field. Quoted when it holds a comma, quote or line break (RFC 4180). Text from the
 * public that starts like a formula (= + - @, tab, CR) is prefixed with `'` so spreadsheets show
 * it instead of running it (OWASP "CSV injection").
 */
export function csvField(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

function reportText(row: ExportRow): string {
  return [
    row.whatDoing?.trim() ? `What I was doing: ${row.whatDoing.trim()}` : '',
    row.whatWentWrong?.trim() ? `What went wrong: ${row.whatWentWrong.trim()}` : '',
  ]
    .filter(Boolean)
    .join('\n')
}

export function toCsv(
  rows: readonly ExportRow[],
  {includeContact = false}: {includeContact?: boolean} = {},
): string {
  const lines = [[...CSV_COLUMNS, ...(includeContact ? ['contact email'] : [])].join(',')]
  for (const row of rows) {
    lines.push(
      [
        row.submittedAt ?? '',
        row.page ?? '',
        row.path ?? '',
        feedbackCategories.find((c) => c.id === row.category)?.title ?? row.category ?? '',
        reportText(row),
        workflowState(row.status)?.title ?? row.status ?? '',
        row.assignee ?? '',
        row.resolutionNote ?? '',
        ...(includeContact ? [row.contactEmail ?? ''] : []),
      ]
        .map(csvField)
        .join(','),
    )
  }
  return `${lines.join('\r\n')}\r\n`
}

export async function exportFeedback(
  client: SanityClient,
  options: ExportOptions,
): Promise<string> {
  const {query, params} = buildExportQuery(options)
  return toCsv(await client.fetch<ExportRow[]>(query, params), {
    includeContact: options.includeContact ?? false,
  })
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseExportArgs>
  try {
    options = parseExportArgs(process.argv.slice(2))
  } catch (error) {
    console.error((error as Error).message)
    return 2
  }
  const token = process.env.SANITY_API_READ_TOKEN || writeToken()
  if (!token) {
    console.error('No token: feedback is never public. Set SANITY_API_READ_TOKEN (or LAKE_TOKEN).')
    return 2
  }
  const csv = await exportFeedback(createContentClient({token, perspective: 'published'}), options)
  if (options.out) writeFileSync(options.out, csv)
  else process.stdout.write(csv)
  return 0
}

if (isMain(import.meta.url)) runMain(main)
