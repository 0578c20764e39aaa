/**
 * Durability end to end: the real `npm run lake` entry (`node --import tsx app/lake.ts`, so
 * the killed process is the server itself, not a wrapper) is killed with SIGKILL in the middle
 * of a stream of writes, then restarted on the same data directory. Every write the client saw
 * acknowledged must be there, and no transaction may be half-applied: each write sets the same
 * sequence number on two documents, which must agree after every crash.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {SanityClient} from '@sanity/client'
import {afterAll, describe, expect, it} from 'vitest'

import {createContentClient, LAKE_DEV_TOKEN_FILE} from '../../lib/client'

const ROUNDS = 3
const STREAMS = 3
const dataDir = mkdtempSync(join(tmpdir(), 'lake-crash-'))
const children = new Set<ChildProcess>()

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(dataDir, {recursive: true, force: true})
})

/** Starts the lake as `npm run lake` does and resolves with its URL once it accepts requests. */
async function startLakeProcess(): Promise<{child: ChildProcess; url: string}> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/lake.ts'], {
    env: {...process.env, LAKE_PORT: '0', LAKE_HOST: '127.0.0.1', LAKE_DATA_DIR: dataDir},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lake did not start:\n${output}`)), 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const match = /listening on (https:\/\/\S+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`lake exited with ${code}:\n${output}`))
    })
  })
  return {child, url}
}

function clientFor(url: string): SanityClient {
  const token = readFileSync(join(dataDir, LAKE_DEV_TOKEN_FILE), 'utf8').trim()
  return createContentClient({lakeUrl: url, lakeDataDir: dataDir, token, perspective: 'raw'})
}

/** One stream of awaited writes; returns the sequence numbers the server acknowledged. */
async function writeStream(
  client: SanityClient,
  round: number,
  stream: number,
  start: number,
  stopped: () => boolean,
): Promise<number[]> {
  const acknowledged: number[] = []
  for (let seq = start; !stopped(); seq++) {
    try {
      await client
        .transaction()
        .createOrReplace({_id: `left-${stream}`, _type: 'crashPair', seq})
        .createOrReplace({_id: `right-${stream}`, _type: 'crashPair', seq})
        .create({_id: `ack-${round}-${stream}-${seq}`, _type: 'crashAck', seq, stream})
        .commit({visibility: 'sync'})
      acknowledged.push(seq)
    } catch {
      // The server died under this request: it may or may not have committed, both are fine.
      break
    }
  }
  return acknowledged
}

describe('kill -9 during a stream of writes', () => {
  it(
    'keeps every acknowledged write and never half a transaction',
    async () => {
      const acknowledged = new Map<string, number>()
      const highest = new Map<number, number>()
      for (let round = 1; round <= ROUNDS; round++) {
        const {child, url} = await startLakeProcess()
        const client = clientFor(url)

        // What the previous crash left must be intact before we write more.
        await verify(client, acknowledged, highest)

        let killed = false
        const streams = Array.from({length: STREAMS}, (_, stream) =>
          writeStream(client, round, stream, (highest.get(stream) ?? 0) + 1, () => killed),
        )
        // Let the writes run for a while, then kill mid-stream.
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700))
        child.kill('SIGKILL')
        killed = true
        const exited = new Promise((resolve) => child.once('exit', resolve))
        const results = await Promise.all(streams)
        await exited

        results.forEach((seqs, stream) => {
          for (const seq of seqs) acknowledged.set(`ack-${round}-${stream}-${seq}`, seq)
          if (seqs.length > 0) highest.set(stream, Math.max(...seqs))
        })
        expect(results.flat().length, `round ${round} acknowledged writes`).toBeGreaterThan(0)
        console.log(
          `crash round ${round}: ${results.flat().length} writes acknowledged before kill -9`,
        )
      }

      const {child, url} = await startLakeProcess()
      await verify(clientFor(url), acknowledged, highest)
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    },
    ROUNDS * 90_000,
  )

  it('shuts down cleanly on SIGTERM', async () => {
    const {child, url} = await startLakeProcess()
    await clientFor(url).fetch('count(*)')
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.kill('SIGTERM')
    })
    expect(exitCode).toBe(0)
  })
})

async function verify(
  client: SanityClient,
  acknowledged: Map<string, number>,
  highest: Map<number, number>,
): Promise<void> {
  const acks = await client.fetch<{_id: string; seq: number; stream: number}[]>(
    '*[_type == "crashAck"]{_id, seq, stream}',
  )
  const present = new Set(acks.map((ack) => ack._id))
  const missing = [...acknowledged.keys()].filter((id) => !present.has(id))
  expect(missing, 'acknowledged writes missing after a crash').toEqual([])

  const pairs = await client.fetch<{_id: string; seq: number}[]>(
    '*[_type == "crashPair"]{_id, seq}',
  )
  for (let stream = 0; stream < STREAMS; stream++) {
    const left = pairs.find((p) => p._id === `left-${stream}`)
    const right = pairs.find((p) => p._id === `right-${stream}`)
    // Both halves of every transaction, or neither.
    expect(left?.seq, `stream ${stream}`).toBe(right?.seq)
    // At least the last acknowledged write; one more if an unacknowledged one committed.
    const last = highest.get(stream)
    if (last !== undefined) expect(left?.seq).toBeGreaterThanOrEqual(last)
    // The third document of the pair's last transaction is there too.
    if (left) {
      expect(acks.some((ack) => ack.stream === stream && ack.seq === left.seq)).toBe(true)
    }
  }
}
