/**
 * Public pages: listens to the frontend's live relay (`/api/live`, `web/live.ts`) and refreshes
 * the page in place when a published change carries one of the page's sync tags.
 */
import {pageTags, refreshPage} from './refresh'

const source = new EventSource('/api/live')
source.addEventListener('message', (event: MessageEvent<string>) => {
  const {tags} = JSON.parse(event.data) as {tags?: string[]}
  const mine = pageTags()
  if (tags?.some((tag) => mine.has(tag))) void refreshPage()
})
// The lake could not say what changed while the stream was away: refetch.
source.addEventListener('restart', () => void refreshPage())
// Says on the page that it is listening (the browser tests wait for it before publishing).
source.addEventListener('welcome', () => {
  document.documentElement.dataset['live'] = 'listening'
})
