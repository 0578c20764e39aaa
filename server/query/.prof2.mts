import {parseQuery, prepareQuery} from './engine'
import {ViewRegistry} from './views'
import {DocumentMirror} from '../store/mirror'
import {buildDataset} from '../../tests/fixtures/groq/dataset'
const docs = buildDataset(80).map((d) => ({...d, _rev: 'r', _createdAt: '', _updatedAt: ''}))
const reg = new ViewRegistry(new DocumentMirror(docs as never))
const view = reg.view('published', () => true)
const bySlug =
  '*[_type == "page" && slug.current == $slug][0]{title, "slug": slug.current, related[]->{_id, _type, title, "provider": provider->name}}'
const t2 = parseQuery(bySlug)
for (let r = 0; r < 5; r++) {
  const t = performance.now()
  for (let i = 0; i < 20000; i++) prepareQuery(t2, {slug: 'page-88'}, view)
  console.log('prepare bySlug avg', (((performance.now() - t) / 20000) * 1000).toFixed(2), 'us')
}
