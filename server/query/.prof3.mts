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
const tree = parseQuery(counts)
const fb = mirror.get('fb-1')!
for (let round = 0; round < 40; round++) {
  const t0 = performance.now()
  mirror.apply([['fb-1', {...fb, status: round % 2 ? 'new' : 'closed'}]])
  const t1 = performance.now()
  const view = reg.view('published', canRead)
  const prepared = prepareQuery(tree, {}, view)
  const t2 = performance.now()
  toJS(evaluateSync(prepared.tree, {dataset: [], params: {}}))
  const t3 = performance.now()
  if (round > 30)
    console.log(
      `apply ${(t1 - t0).toFixed(2)} prepare ${(t2 - t1).toFixed(2)} eval ${(t3 - t2).toFixed(2)}`,
    )
}
