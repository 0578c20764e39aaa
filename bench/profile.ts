/**
 * Where a request's time goes, from a CPU profile of the lake's thread (V8's sampling profiler
 * through `node:inspector`) taken while load runs: self time per sample, grouped by the file and
 * function it was spent in. Timers inside the request path would cost time on every request and
 * need changes in `server/http/`; a profile needs neither, and sees TLS, HTTP/2 and GC too.
 */
import {Session} from 'node:inspector/promises'

interface ProfileNode {
  id: number
  callFrame: {functionName: string; url: string}
  hitCount?: number
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** The request stage a sample belongs to, by where it was spent. */
function stageOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'gc'
  if (fn === '(idle)' || fn === '(program)') return fn.slice(1, -1)
  // The profiler's own work (taking and handing over the profile) is not the lake's.
  if (/inspector/.test(url)) return 'idle'
  if (/server\/auth\//.test(url)) return 'auth'
  if (/server\/query\/budget\.ts/.test(url)) {
    if (/serial|writ|jsonValue|tooLarge/i.test(fn)) return 'serialise'
    if (/check|treeDepth|parseLimit/i.test(fn)) return 'parse'
    return 'evaluate'
  }
  if (/groq-js\/dist\/1-/.test(url)) return 'parse'
  if (/groq-js\//.test(url)) return 'evaluate'
  if (/server\/query\/(engine|hoist|ast|views|text)\.ts|server\/store\//.test(url)) {
    return fn === 'parseQuery' || fn === 'cached' || fn === 'remember' ? 'parse' : 'plan'
  }
  if (/server\/http\//.test(url) || /server\/(lake|application|permissions)\.ts/.test(url)) {
    return 'routing'
  }
  if (/^node:/.test(url) && /http2|tls|net|stream|_http|internal\/(http2|tls|stream)/.test(url)) {
    return 'http2+tls'
  }
  if (url === '' && fn !== '') return 'native (JSON, crypto, regex, ...)'
  if (/^node:/.test(url)) return 'node other'
  return 'other'
}

export interface Breakdown {
  method: string
  /** Percent of the sampled time (idle excluded) per stage. */
  stages: Record<string, number>
  /** The ten functions with the most self time: `file:function` → percent. */
  top: Record<string, number>
}

export async function profileWhile(run: () => Promise<unknown>): Promise<Breakdown> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', {interval: 100})
  await session.post('Profiler.start')
  let profile: Profile
  try {
    await run()
  } finally {
    // Stopped in every case: a profiler left running slows whatever the run does next.
    profile = ((await session.post('Profiler.stop')) as {profile: Profile}).profile
    session.disconnect()
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const stageTime = new Map<string, number>()
  const fnTime = new Map<string, number>()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] as number)
    if (!node) continue
    const dt = profile.timeDeltas[i] ?? 0
    const stage = stageOf(node.callFrame.url, node.callFrame.functionName)
    if (stage === 'idle') continue
    total += dt
    stageTime.set(stage, (stageTime.get(stage) ?? 0) + dt)
    const file = node.callFrame.url.replace(/^.*\/(node_modules\/)?/, '')
    const key = `${file}:${node.callFrame.functionName || '(anonymous)'}`
    fnTime.set(key, (fnTime.get(key) ?? 0) + dt)
  }
  const percent = (t: number) => Math.round((1000 * t) / Math.max(1, total)) / 10
  const sorted = (m: Map<string, number>, n: number) =>
    Object.fromEntries(
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => [k, percent(v)]),
    )
  return {
    method:
      "V8 sampling profile (100 µs) of the lake's thread during the by-slug load; self time per sample, idle excluded, grouped by file and function",
    stages: sorted(stageTime, 20),
    top: sorted(fnTime, 10),
  }
}
