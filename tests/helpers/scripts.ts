/**
 * The dataset scripts as people run them (`node --import tsx scripts/<name>.ts`), for tests:
 * exit code and what they printed. Always the local lake, whatever the developer's shell has
 * configured (`SANITY_STUDIO_PROJECT_ID` is dropped).
 */
import {execFile} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface ScriptRun {
  code: number
  stdout: string
  stderr: string
}

export function runScript(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ScriptRun> {
  const childEnv: NodeJS.ProcessEnv = {...process.env, ...env}
  delete childEnv.SANITY_STUDIO_PROJECT_ID
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', `scripts/${name}.ts`, ...args],
      {cwd: root, env: childEnv, timeout: 120_000},
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({code, stdout, stderr})
      },
    )
  })
}

/** What points a script at a test lake, with its administrator token. */
export function lakeScriptEnv(lake: {
  url: string
  adminToken: string
  dataDir: string
}): Record<string, string> {
  return {LAKE_URL: lake.url, LAKE_TOKEN: lake.adminToken, LAKE_DATA_DIR: lake.dataDir}
}
