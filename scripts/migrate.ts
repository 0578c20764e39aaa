/**
 * `npm run migrate -- --list | <id> | --all [--no-dry-run] [--json]`
 *
 * Runs the content migrations in `migrations/` (written with `defineMigration` from
 * `sanity/migrate`) against the configured lake: the local one, or Sanity's hosted Content Lake
 * when `SANITY_STUDIO_PROJECT_ID` is set. A dry run (the default) prints what would change;
 * `--no-dry-run` applies it. The dataset records each applied migration, so a second run of the
 * same migration changes nothing. See `scripts/lib/migrations.ts`.
 */
import {parseArgs} from 'node:util'

import {createContentClient, writeToken} from '../lib/client'
import {type MigrationEntry, migrations} from '../migrations'
import {isMain, runMain} from '../lib/cli'
import {appliedMigrations, describeMutations, runMigration} from './lib/migrations'

const usage =
  'Usage: npm run migrate -- --list | <migration id> [--no-dry-run] | --all [--no-dry-run]'

export async function main(
  argv: string[] = process.argv.slice(2),
  entries: readonly MigrationEntry[] = migrations,
): Promise<number> {
  const {values, positionals} = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      list: {type: 'boolean', default: false},
      all: {type: 'boolean', default: false},
      'dry-run': {type: 'boolean', default: true},
      help: {type: 'boolean', default: false},
    },
  })
  if (values.help) {
    console.log(usage)
    return 0
  }
  const token = writeToken()
  if (!token) {
    console.error(
      'No write token: start the lake (npm run lake) first, or set LAKE_TOKEN ' +
        '(SANITY_API_WRITE_TOKEN for a hosted project).',
    )
    return 1
  }
  const client = createContentClient({token, perspective: 'raw'})

  if (values.list) {
    const applied = await appliedMigrations(client)
    for (const {id, migration} of entries) {
      const when = applied.get(id)
      console.log(`${when ? `applied ${when}` : 'pending'}  ${id}  ${migration.title}`)
    }
    return 0
  }

  let selected: MigrationEntry[]
  if (values.all) selected = [...entries]
  else {
    const id = positionals[0]
    const entry = entries.find((e) => e.id === id)
    if (!id || !entry || positionals.length > 1) {
      const known = entries.map((e) => e.id).join(', ')
      console.error(
        id && !entry
          ? `No migration "${id}". Known: ${known}.\n${usage}`
          : `${usage}\nKnown: ${known}.`,
      )
      return 2
    }
    selected = [entry]
  }

  const dryRun = values['dry-run']
  for (const entry of selected) {
    const outcome = await runMigration(client, entry, {dryRun})
    if (outcome.status === 'skipped') {
      console.log(`${entry.id}: already applied; nothing to do.`)
      continue
    }
    console.log(
      `${entry.id}: ${outcome.status === 'dry-run' ? 'would make' : 'made'} ${outcome.mutations.length} changes`,
    )
    for (const line of describeMutations(outcome.mutations)) console.log(`  ${line}`)
  }
  // A later migration expects the earlier ones' changes, which a dry run does not make.
  if (dryRun && selected.length > 1) {
    console.log('Each migration was shown against the dataset as it is now, not after the others.')
  }
  if (dryRun) console.log('Dry run: nothing was written. Add --no-dry-run to apply.')
  return 0
}

if (isMain(import.meta.url)) runMain(main)
