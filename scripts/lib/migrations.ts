/**
 * Runs migrations written with `defineMigration` (`sanity/migrate`) over `@sanity/client`.
 *
 * Sanity's own runner (`run`/`dryRun` from `sanity/migrate`) addresses the API as
 * `https://<projectId>.<apiHost>/…`, a host name the local lake cannot answer to (`local.localhost`
 * does not resolve), so this runner feeds the same migration the same inputs instead: the
 * dataset's documents (read as `sanity dataset export` reads them), a read-only client and the
 * `filtered` lookup; it collects the mutations with Sanity's `collectMigrationMutations`, encodes
 * them with Sanity's encoder, and commits them in one transaction with the migration's record.
 *
 * The record is a document per applied migration: `_id: "migrations.<id>"` (a sub-path, so the
 * public never reads it), `_type: "system.migration"` (system types are not content: validation
 * skips them). A migration whose record exists is skipped, so running again changes nothing.
 */
import type {Mutation as SanityMutation, SanityClient} from '@sanity/client'
import {SanityEncoder} from '@sanity/mutate'
import {evaluate, parse} from 'groq-js'
import {
  collectMigrationMutations,
  type Migration,
  type MigrationContext,
  type Mutation,
  type RestrictedClient,
  type Transaction,
} from 'sanity/migrate'

import type {MigrationEntry} from '../../migrations'
import {exportDocuments} from './exportDataset'
import type {DatasetDocument} from './ndjson'

export const MIGRATION_RECORD_TYPE = 'system.migration'

export function migrationRecordId(id: string): string {
  return `migrations.${id}`
}

export interface MigrationRecord {
  _id: string
  _type: typeof MIGRATION_RECORD_TYPE
  migrationId: string
  title: string
  appliedAt: string
  mutations: number
}

export interface MigrationOutcome {
  id: string
  title: string
  /** `skipped`: the dataset's record says it ran already. */
  status: 'dry-run' | 'applied' | 'skipped'
  mutations: SanityMutation[]
}

/** Which of `entries` the dataset has had, by id, with when. */
export async function appliedMigrations(client: SanityClient): Promise<Map<string, string>> {
  const records = await client.fetch<{migrationId: string; appliedAt: string}[]>(
    '*[_type == $type]{migrationId, appliedAt}',
    {type: MIGRATION_RECORD_TYPE},
    {perspective: 'raw'},
  )
  return new Map(records.map((r) => [r.migrationId, r.appliedAt]))
}

async function matchingDocuments(
  migration: Migration,
  documents: readonly DatasetDocument[],
): Promise<DatasetDocument[]> {
  const types = migration.documentTypes
  let selected = types ? documents.filter((d) => types.includes(d._type)) : [...documents]
  if (migration.filter) {
    const result = await evaluate(parse(`*[${migration.filter}]`), {dataset: selected})
    selected = (await result.get()) as DatasetDocument[]
  }
  // Content only: migration records and other system documents are the runner's, not content.
  return selected.filter((d) => !d._type.startsWith('system.'))
}

async function* iterate<T>(items: readonly T[]): AsyncIterableIterator<T> {
  for (const item of items) yield item
}

function isTransaction(value: unknown): value is Transaction {
  return (value as {type?: unknown} | null)?.type === 'transaction'
}

/** Flattens what a migration yields (mutations, arrays, transactions) into Sanity mutations. */
function encode(yielded: unknown): SanityMutation[] {
  const list = Array.isArray(yielded) ? (yielded as unknown[]) : [yielded]
  return list.flatMap((item) =>
    isTransaction(item)
      ? encode(item.mutations)
      : // The encoder's input type is @sanity/mutate's own Mutation, structurally the one
        // sanity/migrate's creators return; its output is the HTTP API's mutation format.
        (SanityEncoder.encodeAll([item as Mutation] as never) as SanityMutation[]),
  )
}

/** The mutations one migration yields for the dataset `client` reads, without writing them. */
export async function collectMutations(
  client: SanityClient,
  migration: Migration,
  dryRun: boolean,
): Promise<SanityMutation[]> {
  const all: DatasetDocument[] = []
  for await (const document of exportDocuments(client)) all.push(document)
  const documents = await matchingDocuments(migration, all)
  const byId = new Map(documents.map((d) => [d._id, d]))
  const context: MigrationContext = {
    // A migration may only read through it; `RestrictedClient` is the subset Sanity allows.
    client: client.withConfig({perspective: 'raw'}) as unknown as RestrictedClient,
    dryRun,
    filtered: {
      getDocument: async (id) => byId.get(id) as never,
      getDocuments: async (ids) => ids.map((id) => byId.get(id)).filter(Boolean) as never,
    },
  }
  const mutations: SanityMutation[] = []
  // `never`: exported documents carry the system fields Sanity's SanityDocument type promises.
  const yielded = collectMigrationMutations(migration, () => iterate(documents) as never, context)
  for await (const item of yielded) mutations.push(...encode(item))
  return mutations
}

/** Runs one migration: a dry run reports, otherwise it commits with its record, atomically. */
export async function runMigration(
  client: SanityClient,
  {id, migration}: MigrationEntry,
  {dryRun = true, now = () => new Date()}: {dryRun?: boolean; now?: () => Date} = {},
): Promise<MigrationOutcome> {
  if ((await appliedMigrations(client)).has(id)) {
    return {id, title: migration.title, status: 'skipped', mutations: []}
  }
  const mutations = await collectMutations(client, migration, dryRun)
  if (dryRun) return {id, title: migration.title, status: 'dry-run', mutations}
  const record: MigrationRecord = {
    _id: migrationRecordId(id),
    _type: MIGRATION_RECORD_TYPE,
    migrationId: id,
    title: migration.title,
    appliedAt: now().toISOString(),
    mutations: mutations.length,
  }
  // One transaction: the changes and the record that says they were made land together or not
  // at all, so a failed run can simply be run again.
  await client.mutate([...mutations, {create: record}], {
    visibility: 'sync',
    returnDocuments: false,
    autoGenerateArrayKeys: true,
  })
  return {id, title: migration.title, status: 'applied', mutations}
}

/** One line per document changed (a migration's patches to one document are read together). */
export function describeMutations(mutations: readonly SanityMutation[]): string[] {
  const lines: string[] = []
  let lastPatched: string | undefined
  for (const mutation of mutations) {
    const line = describeMutation(mutation)
    const patched =
      'patch' in mutation && 'id' in mutation.patch ? String(mutation.patch.id) : undefined
    if (patched !== undefined && patched === lastPatched) {
      lines[lines.length - 1] += `; ${line.slice(line.indexOf(': ') + 2)}`
    } else lines.push(line)
    lastPatched = patched
  }
  return lines
}

/** One line per mutation, as a reviewer reads a dry run. */
export function describeMutation(mutation: SanityMutation): string {
  const [kind, body] = Object.entries(mutation)[0] as [string, Record<string, unknown>]
  if (kind === 'patch') {
    const fields = Object.entries(body)
      .filter(([key]) => key !== 'id' && key !== 'query' && key !== 'ifRevisionID')
      .map(([op, value]) =>
        Array.isArray(value)
          ? `${op} ${value.join(', ')}`
          : `${op} ${Object.keys(value as object).join(', ')}`,
      )
    return `patch ${String(body['id'])}: ${fields.join('; ')}`
  }
  if (kind === 'delete') return `delete ${String(body['id'])}`
  return `${kind} ${String(body['_id'])} (${String(body['_type'])})`
}
