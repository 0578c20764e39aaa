/**
 * Issue #11, finding 4: "Continue as local developer" (dev mode, loopback only) needs the one-time
 * code the lake printed on its console and wrote to a 0600 file in its data directory, so only
 * someone who can read that directory signs in; it grants the role they choose (editor unless
 * they ask), administrator only when asked.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

let lake: TestLake

beforeAll(async () => {
  lake = await startTestLake({dev: true})
})
afterAll(() => lake.close())

const currentCode = () => readFileSync(lake.developerCodeFile ?? '', 'utf8').trim()

const form = (fields: Record<string, string>) =>
  lakeFetch(lake, '/auth/login', {
    method: 'POST',
    redirect: 'manual',
    headers: {'content-type': 'application/x-www-form-urlencoded', origin: lake.url},
    body: new URLSearchParams(fields).toString(),
  })

async function whoAmI(res: {headers: Headers}): Promise<unknown> {
  const cookie = /^(__Host-lake_session=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]
  if (!cookie) return null
  return (await lakeFetch(lake, '/v1/users/me', {headers: {cookie}})).json()
}

describe('continue as local developer', () => {
  it('writes the code to a 0600 file in the data directory and prints it', () => {
    expect(lake.developerCodeFile).toMatch(/developer-sign-in-code$/)
    expect(statSync(lake.developerCodeFile ?? '').mode & 0o777).toBe(0o600)
    expect(currentCode()).toMatch(/^[0-9A-F]{5}(-[0-9A-F]{5}){4}$/)
    expect(lake.logs.join('\n')).toContain(currentCode())
  })

  it('asks for the code and a role on the login page', async () => {
    const page = await lakeFetch(lake, '/auth/login')
    expect(page.text).toContain('Continue as local developer')
    expect(page.text).toContain('name="code"')
    expect(page.text).toContain('<option value="editor" selected>Editor</option>')
    expect(page.text).toContain('<option value="administrator">Administrator</option>')
  })

  it('refuses without the code, or with a wrong one, and signs nobody in', async () => {
    const attempts: Record<string, string>[] = [
      {developer: '1'},
      {developer: '1', code: 'AAAAA-BBBBB', role: 'viewer'},
    ]
    for (const fields of attempts) {
      const res = await form(fields)
      expect(res.status).toBe(401)
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(res.text).toContain('That sign-in code is not the current one')
    }
  })

  it('grants the role chosen, editor by default, and each code works once', async () => {
    const code = currentCode()
    const asEditor = await form({developer: '1', code})
    expect(asEditor.status).toBe(303)
    expect(await whoAmI(asEditor)).toMatchObject({
      id: 'p-localdev-editor',
      name: 'Local developer (Editor)',
      role: 'editor',
    })

    // Spent: the same code again is refused, and a new one was written and printed.
    expect((await form({developer: '1', code})).status).toBe(401)
    expect(currentCode()).not.toBe(code)
    expect(lake.logs.join('\n')).toContain(currentCode())

    const asViewer = await form({developer: '1', code: currentCode(), role: 'viewer'})
    expect(await whoAmI(asViewer)).toMatchObject({role: 'viewer'})

    const asAdmin = await form({developer: '1', code: currentCode(), role: 'administrator'})
    expect(await whoAmI(asAdmin)).toMatchObject({id: 'p-localdev', role: 'administrator'})
  })

  it('refuses an unknown role (400) without spending the code', async () => {
    const code = currentCode()
    const res = await form({developer: '1', code, role: 'owner'})
    expect(res.status).toBe(400)
    expect(res.json()).toMatchObject({error: {description: expect.stringContaining('"owner"')}})
    expect(currentCode()).toBe(code)
  })

  it('has no code and no developer sign-in without --dev', async () => {
    const plain = await startTestLake()
    try {
      expect(plain.developerCodeFile).toBeNull()
      const page = await lakeFetch(plain, '/auth/login')
      expect(page.text).not.toContain('Continue as local developer')
      const res = await lakeFetch(plain, '/auth/login', {
        method: 'POST',
        redirect: 'manual',
        headers: {'content-type': 'application/x-www-form-urlencoded', origin: plain.url},
        body: 'developer=1',
      })
      expect(res.status).toBe(403)
    } finally {
      await plain.close()
    }
  })
})

describe('npm run lake -- --dev', () => {
  it('prints the sign-in code and where to find it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lake-dev-'))
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LAKE_DATA_DIR: dataDir,
      LAKE_PORT: '0',
      LAKE_HOST: '127.0.0.1',
    }
    delete env.SANITY_STUDIO_PROJECT_ID
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/lake.ts', '--dev'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString()
          if (output.includes('Dev mode:') && output.includes('sign-in code:')) resolve()
        }
        child.stdout.on('data', onData)
        child.stderr.on('data', onData)
        child.once('exit', (code) => reject(new Error(`the lake exited ${code}:\n${output}`)))
      })
      const file = join(dataDir, 'developer-sign-in-code')
      const code = readFileSync(file, 'utf8').trim()
      expect(output).toContain(`Local developer sign-in code: ${code}`)
      expect(output).toContain(`the current one is in ${file}`)
    } finally {
      // Stopped before its data directory goes, so nothing writes into it while it is removed.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill()
        await exited
      }
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
