/**
 * Load from outside the lake: a separate process (`fork` of this file: its own event loop, heap
 * and scheduler slot, so none of the client's work counts as the lake's) drives HTTP/2 over TLS
 * with keep-alive sessions.
 *
 * - `closedLoop`: `concurrency` sessions, each with one request in flight at a time, for a fixed
 *   time after a warm-up: requests per second and latency percentiles; then one session alone
 *   (the latency a single client sees).
 * - `listen`: `subscribers` `data/listen` streams; per publish the main thread announces, the
 *   load process answers with the time (on the shared wall clock) the last subscriber got its event.
 */
import http2 from 'node:http2'
import {type ChildProcess, fork} from 'node:child_process'
import {fileURLToPath} from 'node:url'

export interface LoadTarget {
  name: string
  path: string
  /** Sent with every request of this target (e.g. `cache-control: no-cache`). */
  headers?: Record<string, string>
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
  /** The single client's time cap (default `seconds`). */
  singleSeconds?: number
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
  const out: ClosedLoopResult[] = []
  for (const target of job.targets) {
    // Fresh sessions per target: the lake closes a session left without a request for its
    // headers deadline (10 s), as the others are while one session alone takes the single-client
    // samples of a slow query.
    const sessions = await Promise.all(
      Array.from({length: job.concurrency}, () => connect(job.origin, job.ca)),
    )
    let errors = 0
    let requests = 0
    const run = async (seconds: number, pool: http2.ClientHttp2Session[], samples?: number[]) => {
      const until = performance.now() + seconds * 1000
      let done = 0
      await Promise.all(
        pool.map(async (session) => {
          while (performance.now() < until) {
            const started = performance.now()
            const status = await request(session, target.path, {...job.headers, ...target.headers})
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
    // At most `seconds` of them (at least 3): a query taking a second at a million documents
    // would otherwise hold the run for minutes.
    const singleUntil = performance.now() + (job.singleSeconds ?? job.seconds) * 1000
    for (let i = 0; i < job.singleRequests && (i < 3 || performance.now() < singleUntil); i++) {
      const t = performance.now()
      if ((await request(first, target.path, {...job.headers, ...target.headers})) !== 200) errors++
      single.push(performance.now() - t)
      requests++
    }
    out.push({
      name: target.name,
      requestsPerSecond: elapsed > 0 ? Math.round(done / elapsed) : 0,
      p50Ms: percentile(samples, 0.5),
      p99Ms: percentile(samples, 0.99),
      singleClientP50Ms: percentile(single, 0.5),
      singleClientP99Ms: percentile(single, 0.99),
      errors,
      requests,
    })
    for (const session of sessions) session.close()
  }
  return out
}

async function listen(job: ListenJob): Promise<void> {
  const send = (message: unknown) => process.send?.(message)
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
          if (++welcomed === job.subscribers) send({ready: true})
        } else if (event.includes('event: mutation')) {
          last = Math.max(last, wallMs())
          if (++events % job.subscribers === 0) {
            send({publish: events / job.subscribers - 1, last})
            last = 0
          }
        }
      }
    })
  }
  process.on('message', (message: {stop?: boolean}) => {
    if (!message.stop) return
    for (const stream of streams) stream.close()
    for (const session of sessions) session.close()
    process.disconnect()
  })
}

/** Set in the environment of the load process, so this file knows it is the client side. */
const LOAD_PROCESS = 'BENCH_LOAD_PROCESS'

if (process.env[LOAD_PROCESS] === '1') {
  process.once('message', (job: ClosedLoopJob | ListenJob) => {
    if (job.kind === 'closedLoop') {
      closedLoop(job).then(
        (results) => process.send?.({results}),
        (error: unknown) => process.send?.({error: String(error)}),
      )
    } else {
      void listen(job)
    }
  })
}

function loadProcess(data: ClosedLoopJob | ListenJob): ChildProcess {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: {...process.env, [LOAD_PROCESS]: '1'},
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  child.send(data)
  return child
}

export function runClosedLoop(job: Omit<ClosedLoopJob, 'kind'>): Promise<ClosedLoopResult[]> {
  return new Promise((resolve, reject) => {
    const child = loadProcess({kind: 'closedLoop', ...job})
    child.once('message', (message: {results?: ClosedLoopResult[]; error?: string}) => {
      child.kill()
      if (message.results) resolve(message.results)
      else reject(new Error(message.error))
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the load process exited (${code})`)))
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
  const child = loadProcess({kind: 'listen', ...job})
  const messages: {ready?: boolean; publish?: number; last?: number}[] = []
  let wake: (() => void) | undefined
  child.on('message', (message: {ready?: boolean; publish?: number; last?: number}) => {
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
    if (child.connected) child.send({stop: true})
    child.kill()
  }
}
