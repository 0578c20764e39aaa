import {defineMigration} from 'sanity/migrate'

import {type LegacyDocument, planContentHierarchy} from './plan'

/**
 * Moves a dataset shaped like the first seed onto the hierarchy: career areas and themes from
 * specialisms' free-text areas, each programme's specialism detail onto a training route of that
 * specialism, pages and roles filed under where they sit. It reads the whole dataset first
 * (routes need the pages that list a programme), then yields every change.
 */
export default defineMigration({
  title: 'Career area → theme → specialism; national programmes apart from training routes',
  async *migrate(documents) {
    const all: LegacyDocument[] = []
    for await (const document of documents()) all.push(document as LegacyDocument)
    yield planContentHierarchy(all)
  },
})
