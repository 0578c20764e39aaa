/**
 * The intake benchmark's load: readers posting reports to `POST /feedback`, `concurrency` at a
 * time. It runs in its own worker thread, as browsers would be on their own machines: the lake's
 * event loop then spends its time on the intake, not on generating the requests it measures.
 *
 *   const result = await runIntakeLoad({url, dataDir, requests: 1000, concurrency: 32})
 */
import https, {Agent} from 'node:https'
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads'

import {trustLocalLake} from '../lib/client'

export interface IntakeLoadOptions {
  /** The lake's address (`https://127.0.0.1:<port>`). */
  url: string
  /** Where its certificate is (`tls/cert.pem`), to trust it. */
  dataDir: string
  requests: number
  /** Sent first and not counted: JIT warm-up and first-use indexes are not what is measured. */
  warmup: number
  concurrency: number
  /** Stop sending after this long even when not every request was sent. */
  maxMs: number
}

export interface IntakeLoadResult {
  latenciesMs: number[]
  /** Ids the intake answered 201 for. */
  acknowledged: string[]
  /** Answers other than 201, by status. */
  refused: Record<string, number>
  seconds: number
}

/**
 * A POST over one of `concurrency` kept-alive HTTP/1.1 connections. `node:https` rather than
 * `fetch`: the load generator should cost as little as it can, and undici's fetch costs more.
 */
function poster(concurrency: number) {
  const agent = new Agent({keepAlive: true, maxSockets: concurrency})
  return (url: string, init: {headers: Record<string, string>; body: string}) =>
    new Promise<{status: number; body: string}>((resolve, reject) => {
      const request = https.request(url, {method: 'POST', agent, headers: init.headers}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}),
        )
        res.on('error', reject)
      })
      request.on('error', reject)
      request.end(init.body)
    })
}

async function load(options: IntakeLoadOptions): Promise<IntakeLoadResult> {
  trustLocalLake(options.dataDir)
  const post = poster(options.concurrency)
  const latenciesMs: number[] = []
  const acknowledged: string[] = []
  const refused: Record<string, number> = {}
  let next = -options.warmup
  let started = performance.now()
  let deadline = started + options.maxMs
  async function reader(): Promise<void> {
    while (next < options.requests && performance.now() < deadline) {
      const i = next++
      if (i === 0) {
        started = performance.now()
        deadline = started + options.maxMs
      }
      const sent = performance.now()
      const response = await post(`${options.url}/feedback`, {
        headers: {'content-type': 'application/json', 'sec-fetch-site': 'same-origin'},
        body: JSON.stringify({
          url: `/page-${(i + 50_000) % 50}`,
          whatDoing: `Reading page ${i} about cardiac physiology`,
          whatWentWrong: `Report number ${i}: a sentence about training is out of date`,
          category: 'wrong-or-out-of-date',
          idempotencyKey: `bench-intake-${i}`,
          renderedAt: String(Date.now() - 60_000),
        }),
      })
      const body = JSON.parse(response.body) as {id?: string}
      if (i < 0) continue
      latenciesMs.push(performance.now() - sent)
      if (response.status === 201 && body.id) acknowledged.push(body.id)
      else refused[response.status] = (refused[response.status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({length: options.concurrency}, reader))
  return {latenciesMs, acknowledged, refused, seconds: (performance.now() - started) / 1000}
}

export function runIntakeLoad(options: IntakeLoadOptions): Promise<IntakeLoadResult> {
  return new Promise((resolve, reject) => {
    // The worker inherits this process's `--import tsx`, so it can run this very file.
    const worker = new Worker(new URL(import.meta.url), {workerData: options})
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`intake load worker exited with ${code}`))
    })
  })
}

if (!isMainThread && parentPort) {
  parentPort.postMessage(await load(workerData as IntakeLoadOptions))
}
