/** `npm run seed` as a developer runs it, against a real local lake. */
import {execFile} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadSeedDocuments} from '../../scripts/seed'
import {startTestLake, type TestLake} from '../helpers/lake'

const root = fileURLToPath(new URL('../..', import.meta.url))
let lake: TestLake

function seed(env: Record<string, string>): Promise<{code: number; stderr: string}> {
  const childEnv: NodeJS.ProcessEnv = {...process.env, ...env}
  delete childEnv.SANITY_STUDIO_PROJECT_ID
  delete childEnv.LAKE_TOKEN
  delete childEnv.LAKE_ADMIN_TOKEN
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/seed.ts'],
      {cwd: root, env: childEnv, timeout: 120_000},
      (error, _stdout, stderr) =>
        resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr}),
    )
  })
}

beforeAll(async () => {
  lake = await startTestLake()
})
afterAll(() => lake?.close())

describe('npm run seed', () => {
  const count = loadSeedDocuments().length

  it("loads the seed with the developer's token from the lake's data directory, then changes nothing", async () => {
    const env = {LAKE_URL: lake.url, LAKE_DATA_DIR: lake.dataDir}
    const first = await seed(env)
    expect(first.stderr).toContain(
      `Seeded ${count} documents in 1 transactions; 0 already up to date.`,
    )
    expect(first.code).toBe(0)
    const second = await seed(env)
    expect(second.stderr).toContain(
      `Seeded 0 documents in 0 transactions; ${count} already up to date.`,
    )
    expect(await lake.client().fetch('count(*)')).toBe(count)
  })

  it('refuses without a token, saying how to get one', async () => {
    const run = await seed({LAKE_URL: lake.url, LAKE_DATA_DIR: `${lake.dataDir}-missing`})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('No write token')
  })
})
