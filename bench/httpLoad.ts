/**
 * Load from outside the lake's event loop: a worker thread (its own event loop and heap, so the
 * client's work no longer counts as the lake's) drives HTTP/2 over TLS with keep-alive sessions.
 *
 * - `closedLoop`: `concurrency` sessions, each with one request in flight at a time, for a fixed
 *   time after a warm-up: requests per second and latency percentiles; then one session alone
 *   (the latency a single client sees).
 * - `listen`: `subscribers` `data/listen` streams; per publish the main thread announces, the
 *   worker answers with the time (on the shared wall clock) the last subscriber got its event.
 */
import http2 from 'node:http2'
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads'

export interface LoadTarget {
  name: string
  path: string
}

export interface ClosedLoopResult {
  name: string
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  singleClientP50Ms: number
  singleClientP99Ms: number
  errors: number
  /** Every request of the run, warm-up and single client included (for CPU per request). */
  requests: number
}

interface ClosedLoopJob {
  kind: 'closedLoop'
  origin: string
  ca: string
  headers: Record<string, string>
  targets: LoadTarget[]
  concurrency: number
  seconds: number
  warmupSeconds: number
  singleRequests: number
}

interface ListenJob {
  kind: 'listen'
  origin: string
  ca: string
  headers: Record<string, string>
  path: string
  subscribers: number
  sessions: number
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across threads. */
export function wallMs(): number {
  return performance.timeOrigin + performance.now()
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}

function connect(origin: string, ca: string): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(origin, {ca})
    session.once('connect', () => resolve(session))
    session.once('error', reject)
  })
}

function request(
  session: http2.ClientHttp2Session,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = session.request({':path': path, ...headers})
    let status = 0
    stream.on('response', (h) => (status = Number(h[':status'])))
    stream.on('data', () => undefined)
    stream.on('end', () => resolve(status))
    stream.on('error', reject)
    stream.end()
  })
}

async function closedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult[]> {
  const sessions = await Promise.all(
    Array.from({length: job.concurrency}, () => connect(job.origin, job.ca)),
  )
  const out: ClosedLoopResult[] = []
  for (const target of job.targets) {
    let errors = 0
    let requests = 0
    const run = async (seconds: number, pool: http2.ClientHttp2Session[], samples?: number[]) => {
      const until = performance.now() + seconds * 1000
      let done = 0
      await Promise.all(
        pool.map(async (session) => {
          while (performance.now() < until) {
            const started = performance.now()
            const status = await request(session, target.path, job.headers)
            if (status !== 200) errors++
            samples?.push(performance.now() - started)
            done++
            requests++
          }
        }),
      )
      return done
    }
    await run(job.warmupSeconds, sessions)
    const samples: number[] = []
    const started = performance.now()
    const done = await run(job.seconds, sessions, samples)
    const elapsed = (performance.now() - started) / 1000
    const single: number[] = []
    const first = sessions[0] as http2.ClientHttp2Session
    for (let i = 0; i < job.singleRequests; i++) {
      const t = performance.now()
      if ((await request(first, target.path, job.headers)) !== 200) errors++
      single.push(performance.now() - t)
      requests++
    }
    out.push({
      name: target.name,
      requestsPerSecond: Math.round(done / elapsed),
      p50Ms: percentile(samples, 0.5),
      p99Ms: percentile(samples, 0.99),
      singleClientP50Ms: percentile(single, 0.5),
      singleClientP99Ms: percentile(single, 0.99),
      errors,
      requests,
    })
  }
  for (const session of sessions) session.close()
  return out
}

async function listen(job: ListenJob): Promise<void> {
  const port = parentPort
  if (!port) return
  const sessions = await Promise.all(
    Array.from({length: job.sessions}, () => connect(job.origin, job.ca)),
  )
  // Publishes are measured one at a time (the main thread waits for each), so every
  // `subscribers` events close one publish; `last` is when the slowest subscriber had its event.
  let events = 0
  let last = 0
  let welcomed = 0
  const streams: http2.ClientHttp2Stream[] = []
  for (let i = 0; i < job.subscribers; i++) {
    const session = sessions[i % sessions.length] as http2.ClientHttp2Session
    const stream = session.request({':path': job.path, accept: 'text/event-stream', ...job.headers})
    streams.push(stream)
    let buffer = ''
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => {
      buffer += chunk
      let end: number
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const event = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (event.includes('event: welcome')) {
          if (++welcomed === job.subscribers) port.postMessage({ready: true})
        } else if (event.includes('event: mutation')) {
          last = Math.max(last, wallMs())
          if (++events % job.subscribers === 0) {
            port.postMessage({publish: events / job.subscribers - 1, last})
            last = 0
          }
        }
      }
    })
  }
  port.on('message', (message: {stop?: boolean}) => {
    if (!message.stop) return
    for (const stream of streams) stream.close()
    for (const session of sessions) session.close()
    port.close()
  })
}

if (!isMainThread && parentPort) {
  const job = workerData as ClosedLoopJob | ListenJob
  if (job.kind === 'closedLoop') {
    closedLoop(job).then(
      (results) => parentPort?.postMessage({results}),
      (error: unknown) => parentPort?.postMessage({error: String(error)}),
    )
  } else {
    void listen(job)
  }
}

function worker(data: ClosedLoopJob | ListenJob): Worker {
  return new Worker(new URL(import.meta.url), {
    workerData: data,
    execArgv: ['--import', 'tsx'],
  })
}

export function runClosedLoop(job: Omit<ClosedLoopJob, 'kind'>): Promise<ClosedLoopResult[]> {
  return new Promise((resolve, reject) => {
    const w = worker({kind: 'closedLoop', ...job})
    w.once('message', (message: {results?: ClosedLoopResult[]; error?: string}) => {
      void w.terminate()
      if (message.results) resolve(message.results)
      else reject(new Error(message.error))
    })
    w.once('error', reject)
  })
}

/**
 * Opens the subscribers, then per publish calls `publish(n)` (which must commit one change every
 * listener's filter sees) and measures until the last subscriber has
 * its event. Returns one latency per publish.
 */
export async function runFanOut(
  job: Omit<ListenJob, 'kind'>,
  publishes: number,
  publish: (n: number) => Promise<void>,
): Promise<number[]> {
  const w = worker({kind: 'listen', ...job})
  const messages: {ready?: boolean; publish?: number; last?: number}[] = []
  let wake: (() => void) | undefined
  w.on('message', (message: {ready?: boolean; publish?: number; last?: number}) => {
    messages.push(message)
    wake?.()
  })
  const next = async (timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs
    while (messages.length === 0) {
      if (performance.now() > deadline) throw new Error('fan-out: no answer from the subscribers')
      await new Promise<void>((resolve) => {
        wake = resolve
        setTimeout(resolve, 100)
      })
    }
    return messages.shift() as {ready?: boolean; publish?: number; last?: number}
  }
  try {
    await next(60_000)
    const latencies: number[] = []
    for (let n = 0; n < publishes; n++) {
      const started = wallMs()
      await publish(n)
      const message = await next(30_000)
      if (message.publish === n && message.last !== undefined) {
        latencies.push(message.last - started)
      }
      // A pause between publishes, so each is measured on its own.
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return latencies
  } finally {
    w.postMessage({stop: true})
    await w.terminate()
  }
}
