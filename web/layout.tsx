/**
 * The site's frame around every answer, pages and errors alike: the head search engines and
 * sharing read (title, description, canonical, robots, Open Graph, JSON-LD), the header, the
 * breadcrumbs and a way home. Styles come from `web/styles.ts` alone.
 */
import type {ReactNode} from 'react'
import type {Thing, WithContext} from 'schema-dts'

import {DRAFT_MODE_DISABLE_PATH} from './draftMode'
import {LIVE_SCRIPT_PATH, VISUAL_EDITING_SCRIPT_PATH} from './scripts'
import {STYLES} from './styles'

/** One step of a breadcrumb trail; the last is the page itself and has no link. */
export interface Crumb {
  title: string
  href?: string
}

/** What the head says about an answer. Error pages have no canonical and are never indexed. */
export interface PageMeta {
  title: string
  description?: string | null
  /** The absolute canonical URL (see `siteUrl` in `web/server.tsx`). */
  canonical?: string
  noIndex?: boolean
  /** Open Graph's `og:type`: `article` for pages, `website` otherwise. */
  ogType?: 'article' | 'website'
  structuredData?: WithContext<Thing>[]
}

/**
 * What the page does after it has loaded. Published pages name the Live Content API tags they
 * were rendered from and load the live script (`/api/live.js`), which refreshes them when a
 * published change carries one. Draft-mode pages load Sanity's overlays instead and say so.
 */
export type LivePage = {draftMode: false; syncTags: string[]} | {draftMode: true; path: string}

/** JSON in a script element: `<` escaped so no text in it can close the element. */
function jsonLd(data: WithContext<Thing>): string {
  return JSON.stringify(data).replace(/</g, '\\u003c')
}

export function Layout({
  meta,
  siteTitle,
  breadcrumbs,
  live,
  children,
}: {
  meta: PageMeta
  siteTitle: string
  breadcrumbs?: Crumb[]
  live?: LivePage
  children: ReactNode
}) {
  const fullTitle = `${meta.title} | ${siteTitle}`
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {meta.description ? <meta name="description" content={meta.description} /> : null}
        {meta.canonical ? <link rel="canonical" href={meta.canonical} /> : null}
        {meta.noIndex || !meta.canonical ? <meta name="robots" content="noindex" /> : null}
        <meta property="og:title" content={meta.title} />
        <meta property="og:site_name" content={siteTitle} />
        <meta property="og:type" content={meta.ogType ?? 'website'} />
        <meta property="og:locale" content="en_GB" />
        {meta.canonical ? <meta property="og:url" content={meta.canonical} /> : null}
        {meta.description ? <meta property="og:description" content={meta.description} /> : null}
        {(meta.structuredData ?? []).map((data) => (
          <script
            // One item per schema.org type on a page (the breadcrumbs, the document).
            key={String((data as {'@type'?: unknown})['@type'])}
            type="application/ld+json"
            dangerouslySetInnerHTML={{__html: jsonLd(data)}}
          />
        ))}
        {live && !live.draftMode ? (
          <>
            <meta name="sanity-sync-tags" content={live.syncTags.join(' ')} />
            <script type="module" src={LIVE_SCRIPT_PATH} />
          </>
        ) : null}
        {live?.draftMode ? <script type="module" src={VISUAL_EDITING_SCRIPT_PATH} /> : null}
        <style>{STYLES}</style>
      </head>
      <body>
        <a className="skip" href="#main">
          Skip to main content
        </a>
        {live?.draftMode ? (
          <p className="draft-mode" role="status">
            Draft preview: unpublished changes are shown.{' '}
            <a href={`${DRAFT_MODE_DISABLE_PATH}?redirect=${encodeURIComponent(live.path)}`}>
              Leave draft preview
            </a>
          </p>
        ) : null}
        <header>
          <a href="/">{siteTitle}</a>
        </header>
        {breadcrumbs && breadcrumbs.length > 1 ? <Breadcrumbs crumbs={breadcrumbs} /> : null}
        <main id="main">{children}</main>
        <footer className="site-footer">
          <a href="/">{siteTitle}: all careers</a>
        </footer>
      </body>
    </html>
  )
}

function Breadcrumbs({crumbs}: {crumbs: Crumb[]}) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        {crumbs.map((crumb) => (
          <li key={crumb.href ?? crumb.title}>
            {crumb.href ? (
              <a href={crumb.href}>{crumb.title}</a>
            ) : (
              <span aria-current="page">{crumb.title}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  )
}
