/**
 * Brings the open page up to date without a reload: fetches it again from the server (same
 * cookies, so a draft-mode page comes back with drafts) and swaps in the new `<main>`,
 * breadcrumbs, title and sync tags. Scroll position stays where the reader was. A form the reader may be filling in is
 * kept as it is, not replaced by a blank one. Calls while one is running coalesce into one more.
 */

/** The meta element the server writes the page's Live Content API tags into. */
export const SYNC_TAGS_META = 'meta[name="sanity-sync-tags"]'

export function pageTags(doc: Document = document): Set<string> {
  const content = doc.querySelector<HTMLMetaElement>(SYNC_TAGS_META)?.content ?? ''
  return new Set(content.split(' ').filter(Boolean))
}

let running: Promise<void> | null = null
let again = false

async function swap(): Promise<void> {
  const response = await fetch(window.location.href, {
    cache: 'no-store',
    credentials: 'same-origin',
    headers: {accept: 'text/html'},
  })
  if (!response.ok) return
  const next = new DOMParser().parseFromString(await response.text(), 'text/html')
  const main = document.querySelector('main')
  const fresh = next.querySelector('main')
  if (!main || !fresh) return
  for (const form of main.querySelectorAll('form')) {
    const section = form.closest('section[id]')
    const replacement = section ? fresh.querySelector(`section[id="${section.id}"]`) : null
    if (section && replacement) replacement.replaceWith(section)
  }
  main.replaceChildren(...fresh.childNodes)
  // The trail ends with the document's title, which is what an editor is most likely typing.
  const trail = document.querySelector('nav.breadcrumbs')
  const freshTrail = next.querySelector('nav.breadcrumbs')
  if (trail && freshTrail) trail.replaceWith(freshTrail)
  document.title = next.title
  const tags = next.querySelector<HTMLMetaElement>(SYNC_TAGS_META)
  const current = document.querySelector<HTMLMetaElement>(SYNC_TAGS_META)
  if (tags && current) current.content = tags.content
  document.documentElement.dataset['refreshed'] = String(
    Number(document.documentElement.dataset['refreshed'] ?? 0) + 1,
  )
}

export function refreshPage(): Promise<void> {
  if (running) {
    again = true
    return running
  }
  running = (async () => {
    try {
      do {
        again = false
        await swap()
      } while (again)
    } finally {
      running = null
    }
  })()
  return running
}
