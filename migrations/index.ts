/**
 * Every migration, in the order they run. The id is the folder name (as `sanity migration`
 * names them): a date, so the order reads from the list, then what it does.
 */
import type {Migration} from 'sanity/migrate'

import contentHierarchy from './2026-11-29-content-hierarchy'

export interface MigrationEntry {
  id: string
  migration: Migration
}

export const migrations: readonly MigrationEntry[] = [
  {id: '2026-11-29-content-hierarchy', migration: contentHierarchy},
]
