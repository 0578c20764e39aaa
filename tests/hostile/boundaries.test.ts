/**
 * Issue #10, finding 1: "an uncaught error in one request never ends the process". Code that runs
 * outside an HTTP request's own promise (a presence socket's message handler, the callback after
 * a commit's fsync) catches its own faults: one bad message or one failing publish costs only
 * itself. These run in the test's own process, so a fault that escaped would fail the run.
 */
import {fdatasync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {databasePath, openDatabase} from '../../server/store/db'
import {GroupCommit} from '../../server/store/groupCommit'
import {MAX_JSON_DEPTH} from '../../server/store/limits'
import {DocumentMirror} from '../../server/store/mirror'
import {PendingOverlay} from '../../server/store/pending'
import type {CommittedTransaction} from '../../server/store/types'
import {startTestLake, type TestLake} from '../helpers/lake'
import {openPresence} from '../helpers/presence'

let lake: TestLake

beforeAll(async () => {
  lake = await startTestLake()
})
afterAll(() => lake?.close())

const peer = (token: string) => openPresence(lake, token)

describe('presence', () => {
  it('answers an over-deep announcement with an error and keeps relaying to everyone', async () => {
    const alice = peer(lake.adminToken)
    const bob = peer(lake.createToken('editor', 'Bob'))
    await Promise.all([alice.opened, bob.opened])
    await bob.call('presence_subscribe')

    // 100,000 nested arrays fit in the socket's 256 KiB frame; relaying them to Bob meant
    // serialising them again, which overflowed the stack in the socket's message handler.
    const levels = 100_000
    alice.ws.send(
      `{"jsonrpc":"2.0","id":"deep","method":"presence_announce","params":{"data":{"sessionId":"s","locations":${'['.repeat(levels)}${']'.repeat(levels)}}}}`,
    )
    const refused = await alice.next((m) => m.error !== undefined)
    expect(refused.error?.message).toContain(`${MAX_JSON_DEPTH} levels`)

    // The same socket and the lake go on as before.
    expect(
      (await alice.call('presence_announce', {data: {sessionId: 's', locations: []}})).result,
    ).toBe(true)
    const state = await bob.next((m) => m.params?.result['type'] === 'state')
    expect(state.params?.result).toMatchObject({m: {sessionId: 's', locations: []}})
    expect(bob.messages.filter((m) => m.params?.result['type'] === 'state')).toHaveLength(1)
    expect(await lake.client().fetch('1 + 1')).toBe(2)
    alice.ws.close()
    bob.ws.close()
  })
})

describe('the commit pipeline', () => {
  function transaction(id: string): CommittedTransaction {
    const result = {
      _id: id,
      _type: 'note',
      _rev: `tx-${id}`,
      _createdAt: '2026-01-01T00:00:00Z',
      _updatedAt: '2026-01-01T00:00:00Z',
    }
    return {
      transactionId: `tx-${id}`,
      timestamp: '2026-01-01T00:00:00Z',
      author: 'p',
      changes: [{documentId: id, previous: null, result, mutations: [{createOrReplace: result}]}],
      results: [{id, operation: 'create'}],
    }
  }

  it('answers every author and publishes the rest when publishing one transaction throws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'publish-fault-'))
    const db = openDatabase(dir)
    try {
      const published: string[] = []
      const failed: string[] = []
      const pipeline = new GroupCommit({
        db,
        walPath: `${databasePath(dir)}-wal`,
        overlay: new PendingOverlay(new DocumentMirror()),
        publish: (tx) => {
          if (tx.transactionId === 'tx-bad')
            throw new RangeError('Maximum call stack size exceeded')
          published.push(tx.transactionId)
        },
        onPublishError: (tx) => failed.push(tx.transactionId),
        sync: fdatasync,
      })
      const insert = db.prepare('INSERT INTO documents (id, type, rev, json) VALUES (?, ?, ?, ?)')
      const stage = (id: string) =>
        pipeline.stage(transaction(id), () => insert.run(id, 'note', `tx-${id}`, '{}'))
      // Staged in one turn: one group, one fsync, one callback that publishes all three.
      const answers = await Promise.allSettled([stage('before'), stage('bad'), stage('after')])
      expect(answers.map((answer) => answer.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ])
      expect(published).toEqual(['tx-before', 'tx-after'])
      expect(failed).toEqual(['tx-bad'])
      // The pipeline takes the next write as usual.
      await stage('later')
      expect(published).toEqual(['tx-before', 'tx-after', 'tx-later'])
      pipeline.drain()
    } finally {
      db.close()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
