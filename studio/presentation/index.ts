/**
 * The Presentation tool ("Preview"), on by default: the reference frontend beside the form, in
 * draft mode, with the pages each document appears on (`locations.ts`) and the document each page
 * shows (`mainDocuments` below).
 *
 * How it fits together: Presentation stores a one-time secret in the lake
 * (`sanity.previewUrlSecret`, a draft id, so never public) and opens
 * `<frontend>/api/draft-mode/enable` with it in its frame; the frontend checks it server-side with
 * `@sanity/preview-url-secret` and its viewer token, sets its draft-mode cookie and shows drafts
 * (`web/draftMode.ts`). In draft mode the frontend loads `@sanity/visual-editing`'s overlays: the
 * elements it marks with `data-sanity` (`web/editable.tsx`) open their field here when clicked,
 * and each edit made here makes the frame fetch the page again, so it changes as the editor types.
 *
 * The frontend's address: `SANITY_STUDIO_PREVIEW_URL` (inlined by the build, which replaces only
 * `process.env.NAME` written with a dot), else where `npm run dev` starts it. Against hosted
 * Sanity nothing else changes.
 *
 * The locations resolver listens with two queries per open document: the lake allows a listen
 * filter 25 ms per document (`server/query/limits.ts`), which these cheap filters stay well within.
 */
import {defineDocuments, presentationTool} from 'sanity/presentation'

import {isLocalLake} from '../../lib/env'
import {TYPE_SEGMENTS} from '../../queries/paths'
import {resolveLocations} from './locations'

const DEFAULT_PREVIEW_ORIGIN = 'http://localhost:3000'

export function previewOrigin(): string {
  return (process.env.SANITY_STUDIO_PREVIEW_URL || DEFAULT_PREVIEW_ORIGIN).replace(/\/+$/, '')
}

/**
 * The document a frontend path shows (`queries/paths.ts`): a page by its slug; any other type by
 * its slug or by the key its id gives (`programme-stp` is `/programmes/stp`).
 */
export const mainDocuments = defineDocuments([
  {
    route: '/:slug',
    filter: `_type == "page" && slug.current == $slug`,
  },
  ...Object.entries(TYPE_SEGMENTS).map(([type, segment]) => ({
    route: `/${segment}/:key`,
    filter: `_type == "${type}" && (slug.current == $key || _id in [$key, "${type}-" + $key])`,
  })),
])

/**
 * Origins the preview frame may show (a `?preview=` address in the Studio's URL included): the
 * frontend's, and in local mode any loopback port too, for a frontend started on another
 * `WEB_PORT` than the build assumed (the browser tests start theirs on a free port).
 */
export function allowedPreviewOrigins(): string[] {
  const origins = [previewOrigin()]
  return isLocalLake ? [...origins, 'http://localhost:*', 'http://127.0.0.1:*'] : origins
}

export function careersPresentationTool() {
  return presentationTool({
    title: 'Preview',
    allowOrigins: allowedPreviewOrigins(),
    previewUrl: {
      initial: previewOrigin(),
      previewMode: {enable: '/api/draft-mode/enable', disable: '/api/draft-mode/disable'},
    },
    resolve: {locations: resolveLocations, mainDocuments},
  })
}
