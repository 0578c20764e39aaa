/**
 * Draft mode only: Sanity's visual-editing overlays, which outline every element carrying a
 * `data-sanity` attribute (`web/editable.tsx`) and open its field in the Studio when clicked, and
 * which tell the Presentation tool where the frame is. When the Studio reports an edit, the page
 * is fetched again from the server (drafts, through the draft-mode cookie) and swapped in place.
 */
import {enableVisualEditing, type HistoryAdapter} from '@sanity/visual-editing'

import {refreshPage} from './refresh'

const here = () => `${window.location.pathname}${window.location.search}${window.location.hash}`

/** Presentation's address bar follows the frame, and navigates it. */
const history: HistoryAdapter = {
  subscribe(navigate) {
    navigate({type: 'push', url: here()})
    return () => undefined
  },
  update(update) {
    if (update.url === here()) return
    if (update.type === 'pop') window.history.back()
    else if (update.type === 'replace') window.location.replace(update.url)
    else window.location.assign(update.url)
  },
}

enableVisualEditing({history, refresh: () => refreshPage()})
