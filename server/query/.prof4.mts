import {evaluateSync, toJS} from 'groq-js'
import {parseQuery, prepareQuery} from './engine'
import {ViewRegistry} from './views'
import {DocumentMirror} from '../store/mirror'
import {buildDataset} from '../../tests/fixtures/groq/dataset'
const docs = buildDataset(800).map((d) => ({...d, _rev: 'r', _createdAt: '', _updatedAt: ''}))
const mirror = new DocumentMirror(docs as never)
const reg = new ViewRegistry(mirror)
const canRead = () => true
const paged = '*[_type == "programme"] | order(publishedAt desc)[20...40]{_id, title}'
const tree = parseQuery(paged)
const p = mirror.get('programme-5')!
for (let round = 0; round < 12; round++) {
  const t0 = performance.now()
  mirror.apply([['programme-5', {...p, n: round}]])
  const t1 = performance.now()
  const view = reg.view('published', canRead)
  const prepared = prepareQuery(tree, {}, view)
  const t2 = performance.now()
  toJS(evaluateSync(prepared.tree, {dataset: [], params: {}}))
  const t3 = performance.now()
  const plain = performance.now()
  evaluateSync(tree, {dataset: view.whereEquals(['_type'], 'programme'), params: {}})
  const t4 = performance.now()
  console.log(
    `apply ${(t1 - t0).toFixed(2)} prepare ${(t2 - t1).toFixed(2)} eval ${(t3 - t2).toFixed(2)} plain-order-over-16k ${(t4 - plain).toFixed(2)}`,
  )
}
