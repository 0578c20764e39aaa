import {evaluateSync, toJS} from 'groq-js'
import {parseQuery, prepareQuery} from './engine'
import {ViewRegistry} from './views'
import {DocumentMirror} from '../store/mirror'
import {buildDataset} from '../../tests/fixtures/groq/dataset'
const docs = buildDataset(800).map((d) => ({...d, _rev: 'r', _createdAt: '', _updatedAt: ''}))
const mirror = new DocumentMirror(docs as never)
const reg = new ViewRegistry(mirror)
const canRead = () => true
const counts =
  '{"new": count(*[_type == "feedbackSubmission" && status == "new"]), "triaged": count(*[_type == "feedbackSubmission" && status == "triaged"]), "actioned": count(*[_type == "feedbackSubmission" && status == "actioned"]), "closed": count(*[_type == "feedbackSubmission" && status == "closed"])}'
for (let round = 0; round < 30; round++) {
  let t = performance.now()
  const view = reg.view('published', canRead)
  const tree = parseQuery(counts)
  const t1 = performance.now()
  const prepared = prepareQuery(tree, {}, view)
  const t2 = performance.now()
  const v = evaluateSync(prepared.tree, {dataset: [], params: {}})
  const t3 = performance.now()
  const r = toJS(v)
  const t4 = performance.now()
  console.log(
    `parse ${(t1 - t).toFixed(3)} prepare ${(t2 - t1).toFixed(3)} eval ${(t3 - t2).toFixed(3)} toJS ${(t4 - t3).toFixed(3)}`,
    JSON.stringify(r),
  )
}
{
  const view = reg.view('published', canRead)
  const tree = parseQuery(counts)
  let t = performance.now()
  for (let i = 0; i < 2000; i++) prepareQuery(tree, {}, view)
  console.log('prepare avg', (((performance.now() - t) / 2000) * 1000).toFixed(1), 'us')
  const bySlug =
    '*[_type == "page" && slug.current == $slug][0]{title, "slug": slug.current, related[]->{_id, _type, title, "provider": provider->name}}'
  const t2 = parseQuery(bySlug)
  t = performance.now()
  for (let i = 0; i < 2000; i++) prepareQuery(t2, {slug: 'page-88'}, view)
  console.log('prepare bySlug avg', (((performance.now() - t) / 2000) * 1000).toFixed(1), 'us')
}
