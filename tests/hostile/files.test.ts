/**
 * Issue #10, finding 4: the data directory holds feedback text, token hashes and the TLS key. It
 * must be 0700 and every file in it 0600 (SQLite's `-wal` and `-shm` included), whatever the
 * umask, both when the lake creates it and when it opens one an older version left readable.
 */
import {chmodSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AuthStore} from '../../server/auth/tokens'
import {ensureCertificate} from '../../server/http/tls'
import {openDatabase} from '../../server/store/db'
import {DATA_DIR_MODE, DATA_FILE_MODE} from '../../server/permissions'
import {startTestLake, type TestLake} from '../helpers/lake'

const parent = mkdtempSync(join(tmpdir(), 'lake-files-'))
let umask: number
let lake: TestLake | undefined

// A permissive umask, as some desktops and containers have: the lake must not depend on it.
beforeEach(() => {
  umask = process.umask(0o000)
})
afterEach(async () => {
  await lake?.close()
  lake = undefined
  process.umask(umask)
})
afterAll(() => rmSync(parent, {recursive: true, force: true}))

/** Every path under `root` with its permission bits, directories marked with a trailing `/`. */
function modes(root: string): Record<string, string> {
  const out: Record<string, string> = {'/': (statSync(root).mode & 0o777).toString(8)}
  const stack = ['']
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    for (const entry of readdirSync(join(root, dir), {withFileTypes: true})) {
      const path = join(dir, entry.name)
      out[entry.isDirectory() ? `${path}/` : path] = (
        statSync(join(root, path)).mode & 0o777
      ).toString(8)
      if (entry.isDirectory()) stack.push(path)
    }
  }
  return out
}

function expectPrivate(root: string): void {
  const found = modes(root)
  const expected = Object.fromEntries(
    Object.keys(found).map((path) => [
      path,
      (path.endsWith('/') ? DATA_DIR_MODE : DATA_FILE_MODE).toString(8),
    ]),
  )
  expect(found).toEqual(expected)
  // The files that matter most are there to be checked.
  for (const file of ['lake.sqlite', 'lake.sqlite-wal', 'lake.sqlite-shm', 'auth.sqlite']) {
    expect(found[file], file).toBe('600')
  }
  expect(found['tls/key.pem']).toBe('600')
}

async function writeSomething(running: TestLake): Promise<void> {
  await running.client().create({_type: 'note', title: 'feedback-like text'})
}

describe('the data directory', () => {
  it('is created 0700 with every file 0600', async () => {
    const dataDir = join(parent, 'fresh', 'data')
    lake = await startTestLake({dataDir})
    await writeSomething(lake)
    expectPrivate(dataDir)
  })

  it('is closed up when an existing, world-readable one is opened', async () => {
    const dataDir = join(parent, 'old')
    lake = await startTestLake({dataDir})
    await writeSomething(lake)
    await lake.close()
    // What earlier versions left: 0755 directories and 0644 files (WAL and shared memory too).
    const stack = [dataDir]
    for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
      chmodSync(dir, 0o755)
      for (const entry of readdirSync(dir, {withFileTypes: true})) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) stack.push(path)
        else chmodSync(path, 0o644)
      }
    }
    expect(modes(dataDir)['/']).toBe('755')

    lake = await startTestLake({dataDir})
    await writeSomething(lake)
    expectPrivate(dataDir)
  })
})

describe('each file as it is created', () => {
  // No start-up sweep runs here: the modes are the ones the files were created with.
  it('the store and auth databases, their WAL and shared memory are 0600 from the start', () => {
    const dataDir = join(parent, 'databases')
    const db = openDatabase(dataDir)
    db.exec(`INSERT INTO documents (id, type, rev, json) VALUES ('a', 'note', 'r', '{}')`)
    const auth = new AuthStore(dataDir)
    auth.createToken('a token', 'viewer')
    try {
      expect(modes(dataDir)).toEqual({
        '/': '700',
        'lake.sqlite': '600',
        'lake.sqlite-wal': '600',
        'lake.sqlite-shm': '600',
        'auth.sqlite': '600',
        'auth.sqlite-wal': '600',
        'auth.sqlite-shm': '600',
      })
    } finally {
      db.close()
      auth.close()
    }
  })

  it('the TLS key and certificate are 0600 in a 0700 directory', async () => {
    const dataDir = join(parent, 'tls-only')
    await ensureCertificate(dataDir)
    expect(modes(dataDir)).toEqual({
      '/': '700',
      'tls/': '700',
      'tls/cert.pem': '600',
      'tls/key.pem': '600',
    })
  })
})
