/**
 * The generated types are committed, so they must match what `npm run typegen` would write now:
 * the schema extract is compared with a fresh one, and every query's exact text must be one that
 * `sanity.types.ts` has a result type for.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {join, relative} from 'node:path'

import {describe, expect, it} from 'vitest'

import * as pages from '../../queries/pages'
import * as programmes from '../../queries/programmes'
import * as settings from '../../queries/settings'

const generated = readFileSync('sanity.types.ts', 'utf8')

/** The query texts TypeGen typed, from the `SanityQueries` map it writes. */
function typedQueries(source: string): Map<string, string> {
  const typed = new Map<string, string>()
  for (const match of source.matchAll(/^\s+'((?:[^'\\]|\\.)*)': (\w+QueryResult)$/gm)) {
    const literal = (match[1] ?? '').replace(/\\'/g, "'").replace(/"/g, '\\"')
    typed.set(JSON.parse(`"${literal}"`) as string, match[2] ?? '')
  }
  return typed
}

describe('TypeGen output is up to date (run `npm run typegen` when this fails)', () => {
  it('types every query exactly as it is written now', () => {
    const typed = typedQueries(generated)
    const queries = Object.entries({...pages, ...programmes, ...settings})
    expect(queries.length).toBeGreaterThanOrEqual(7)
    for (const [name, query] of queries) {
      const resultType = `${name[0]?.toUpperCase()}${name.slice(1)}Result`
      expect(typed.get(query), `${name} has changed since the types were generated`).toBe(
        resultType,
      )
    }
  })

  it('was generated from the current schema', () => {
    // The CLI resolves --path against the project even when it is absolute: stay inside it.
    mkdirSync('test-output', {recursive: true})
    const dir = relative('.', mkdtempSync(join('test-output', 'schema-extract-')))
    try {
      execFileSync('sanity', ['schema', 'extract', '--path', join(dir, 'schema.json')], {
        env: {...process.env, SANITY_TELEMETRY_DISABLED: '1'},
        stdio: 'pipe',
      })
      expect(JSON.parse(readFileSync(join(dir, 'schema.json'), 'utf8'))).toEqual(
        JSON.parse(readFileSync('schema.json', 'utf8')),
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
