/**
 * `npm run dev` as a child process on free ports, in a fresh data directory, for browser tests:
 * the lake (serving the Studio), the seed, and the frontend, as an editor runs them.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Browser, chromium} from 'playwright-core'

import {LAKE_DEV_TOKEN_FILE} from '../../lib/client'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/**
 * Debian's Chromium, headless, with its own background traffic (component updates, sync) off, so
 * that what a test records is what the page asked for. `trustLake`: the context of an editor who
 * has accepted the lake's self-signed certificate, as the README's set-up asks; a reader's is not.
 */
export function launchChromium({trustLake}: {trustLake: boolean}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(trustLake ? ['--ignore-certificate-errors'] : []),
    ],
  })
}

export interface DevStack {
  lakeUrl: string
  /** The Studio's URL, without a trailing slash. */
  studioUrl: string
  webUrl: string
  dataDir: string
  /** The local developer's administrator token. */
  token: string
  /** Everything `npm run dev` printed. */
  output(): string
  stop(): Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number}
      server.close(() => done(port))
    })
  })
}

export async function startDevStack(): Promise<DevStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dev-stack-e2e-'))
  const [lakePort, webPort] = [await freePort(), await freePort()]
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAKE_DATA_DIR: dataDir,
    LAKE_PORT: String(lakePort),
    WEB_PORT: String(webPort),
    SANITY_TELEMETRY_DISABLED: '1',
  }
  // Local mode is the point: a hosted project in the caller's environment must not leak in.
  for (const name of [
    'SANITY_STUDIO_PROJECT_ID',
    'SANITY_STUDIO_DATASET',
    'LAKE_URL',
    'SANITY_API_READ_TOKEN',
    'WEB_ASSET_BASE_URL',
  ]) {
    delete env[name]
  }
  const output: string[] = []
  let stopping = false
  const dev: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log = () => output.join('')
  const urls = await new Promise<{lakeUrl: string; studioUrl: string; webUrl: string}>(
    (done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`npm run dev did not start:\n${log()}`)),
        240_000,
      )
      dev.stdout?.on('data', (chunk: Buffer) => {
        output.push(chunk.toString())
        const studio = /^Studio: (\S+)$/m.exec(log())
        const lake = /^Local content lake listening on (\S+)$/m.exec(log())
        const web = /^Frontend: (\S+)$/m.exec(log())
        if (studio?.[1] && lake?.[1] && web?.[1]) {
          clearTimeout(timer)
          done({
            studioUrl: studio[1].replace(/\/$/, ''),
            lakeUrl: lake[1],
            webUrl: web[1].replace(/\/$/, ''),
          })
        }
      })
      dev.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
      dev.once('exit', (code, signal) => {
        clearTimeout(timer)
        if (!stopping) output.push(`\n[npm run dev exited: code ${code}, signal ${signal}]\n`)
        fail(new Error(`npm run dev exited ${code ?? signal}:\n${log()}`))
      })
    },
  )
  return {
    ...urls,
    dataDir,
    token: readFileSync(join(dataDir, LAKE_DEV_TOKEN_FILE), 'utf8').trim(),
    output: log,
    async stop() {
      if (dev.exitCode === null) {
        stopping = true
        const exited = new Promise((done) => dev.once('exit', done))
        dev.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, {recursive: true, force: true})
    },
  }
}
