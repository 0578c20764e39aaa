import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {describe, expect, it} from 'vitest'

import {schemaTypes, singletonTypes} from '../../schemas'
import {compiledSchema} from '../../scripts/lib/schema'

const run = promisify(execFile)

interface SchemaProblemGroup {
  path: unknown[]
  problems: {severity: 'error' | 'warning'; message: string}[]
}

describe('the content model', () => {
  it('passes `sanity schema validate` (the real CLI) with no errors or warnings', async () => {
    const {stdout} = await run(
      process.execPath,
      ['node_modules/sanity/bin/sanity', 'schema', 'validate', '--format', 'json'],
      {env: {...process.env, SANITY_TELEMETRY_DISABLED: '1', NO_COLOR: '1'}, timeout: 120_000},
    )
    const groups = JSON.parse(stdout) as SchemaProblemGroup[]
    const problems = groups.flatMap((g) => g.problems.map((p) => `${p.severity}: ${p.message}`))
    expect(problems).toEqual([])
  })

  it('compiles in Node as the Studio compiles it', () => {
    const schema = compiledSchema()
    for (const type of schemaTypes) expect(schema.get(type.name)?.name).toBe(type.name)
  })

  it('lists singletons, then documents, then objects, each name once', () => {
    const names = schemaTypes.map((t) => t.name)
    expect(new Set(names).size).toBe(names.length)
    const rank = (t: (typeof schemaTypes)[number]) =>
      singletonTypes.has(t.name) ? 0 : t.type === 'document' ? 1 : 2
    const ranks = schemaTypes.map(rank)
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(ranks).toContain(0)
    expect(ranks).toContain(2)
  })

  it('gives every type an icon and every document a preview with a subtitle', () => {
    for (const type of schemaTypes) {
      expect(type.icon, `${type.name} has no icon`).toBeTypeOf('object')
      if (type.type !== 'document') continue
      const preview = (type as {preview?: {prepare?: (v: Record<string, unknown>) => unknown}})
        .preview
      expect(preview?.prepare, `${type.name} has no preview`).toBeTypeOf('function')
    }
  })

  it('groups long forms, with exactly one default group', () => {
    for (const type of schemaTypes) {
      const fields = (type as {fields?: unknown[]}).fields ?? []
      if (type.type !== 'document' || fields.length < 10) continue
      const groups = (type as {groups?: {default?: boolean}[]}).groups ?? []
      expect(
        groups.length,
        `${type.name} has ${fields.length} fields and no groups`,
      ).toBeGreaterThan(1)
      expect(groups.filter((g) => g.default).length, `${type.name} default groups`).toBe(1)
    }
  })
})
