import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {evaluate, evaluateSync, parse} from 'groq-js'
import {openLakeStore} from '../store/index'
import {buildDataset} from '../../tests/fixtures/groq/dataset'

const scale = Number(process.argv[2] ?? 80)
const dir = mkdtempSync(join(tmpdir(), 'lake-measure-'))
const admin = {
  identity: {id: 'p', name: 'p', role: 'administrator' as const},
  canWrite: () => true,
  canRead: () => true,
}
const canRead = () => true
let t = performance.now()
let store = openLakeStore({dataDir: dir})
const docs = buildDataset(scale)
store.mutate(
  docs.map((doc) => ({createOrReplace: doc})),
  admin,
)
console.log(`docs=${docs.length} import ${(performance.now() - t).toFixed(0)}ms`)
t = performance.now()
store.close()
store = openLakeStore({dataDir: dir})
console.log(`reopen ${(performance.now() - t).toFixed(0)}ms`)
const all = [...store.allDocuments()].filter(
  (d) => !d._id.startsWith('drafts.') && !d._id.startsWith('versions.'),
)

const bySlug =
  '*[_type == "page" && slug.current == $slug][0]{title, "slug": slug.current, related[]->{_id, _type, title, "provider": provider->name}}'
const counts =
  '{"new": count(*[_type == "feedbackSubmission" && status == "new"]), "triaged": count(*[_type == "feedbackSubmission" && status == "triaged"]), "actioned": count(*[_type == "feedbackSubmission" && status == "actioned"]), "closed": count(*[_type == "feedbackSubmission" && status == "closed"])}'
const paged = '*[_type == "programme"] | order(publishedAt desc)[20...40]{_id, title}'

function p50(fn: () => unknown, n: number): number {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const s = performance.now()
    fn()
    times.push(performance.now() - s)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(n / 2)] as number
}
async function p50async(fn: () => Promise<unknown>, n: number): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const s = performance.now()
    await fn()
    times.push(performance.now() - s)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(n / 2)] as number
}
const fmt = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)}us` : `${ms.toFixed(2)}ms`)
for (const [name, query, params] of [
  ['bySlug', bySlug, {slug: 'page-88'}],
  ['counts', counts, {}],
  ['paged', paged, {}],
] as const) {
  const tree = parse(query)
  const lake = p50(() => store.query(query, params, {perspective: 'published', canRead}), 200)
  const sync = p50(() => evaluateSync(tree, {dataset: all, params}), 5)
  const asyncMs = await p50async(
    async () => (await evaluate(tree, {dataset: all, params})).get(),
    3,
  )
  const a = JSON.stringify(store.query(query, params, {perspective: 'published', canRead}).result)
  const b = JSON.stringify(
    (await evaluate(tree, {dataset: all, params})).get
      ? await (await evaluate(tree, {dataset: all, params})).get()
      : null,
  )
  console.log(
    `${name}: lake ${fmt(lake)}  groq-js sync ${fmt(sync)} (x${(sync / lake).toFixed(0)})  async ${fmt(asyncMs)} (x${(asyncMs / lake).toFixed(0)})  equal=${a === b}`,
  )
}
// Cost after a commit (caches invalidated): one write then the query.
const afterCommit = p50(() => {
  store.mutate(
    [{patch: {id: 'fb-1', set: {status: Math.random() > 0.5 ? 'new' : 'closed'}}}],
    admin,
  )
  return store.query(counts, {}, {perspective: 'published', canRead})
}, 30)
const unrelated = p50(() => {
  store.mutate([{patch: {id: 'page-5', set: {n: Math.random()}}}], admin)
  return store.query(counts, {}, {perspective: 'published', canRead})
}, 30)
const pagedAfterCommit = p50(() => {
  store.mutate([{patch: {id: 'programme-5', set: {n: Math.random()}}}], admin)
  return store.query(paged, {}, {perspective: 'published', canRead})
}, 10)
console.log(
  `commit(page)+counts ${fmt(unrelated)}; commit(programme)+paged ${fmt(pagedAfterCommit)}`,
)
const commitOnly = p50(
  () => store.mutate([{patch: {id: 'fb-2', set: {n: Math.random()}}}], admin),
  30,
)
console.log(`commit ${fmt(commitOnly)}; commit+counts ${fmt(afterCommit)}`)
const draftsSlug = p50(
  () => store.query(bySlug, {slug: 'page-88'}, {perspective: 'drafts', canRead}),
  200,
)
console.log(`bySlug drafts perspective ${fmt(draftsSlug)}`)
const unindexed = p50(
  () => store.query('count(*[rating >= 4])', {}, {perspective: 'published', canRead}),
  5,
)
console.log(`unindexed count ${fmt(unindexed)}`)
console.log(`heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)}MB`)
store.close()
rmSync(dir, {recursive: true, force: true})
