/**
 * The Presentation tool, opening the reference frontend beside the form, with the pages each
 * document appears on (`locations.ts`).
 *
 * The frontend's address: `SANITY_STUDIO_PREVIEW_URL` (inlined by the build, which replaces only
 * `process.env.NAME` written with a dot), else where
 * `npm run dev` starts it. Not yet done (the frontend is another change's): the frontend's draft
 * mode (`previewMode.enable`, a preview secret checked with `@sanity/preview-url-secret`, drafts
 * read with a viewer token on the server) and `@sanity/visual-editing` overlays. Until then the
 * preview shows published content and clicking in it does not open fields.
 *
 * Opt-in (`SANITY_STUDIO_PREVIEW_URL` set) for now: the locations resolver listens with two
 * queries per open document, and the lake refuses a listener whose filter takes more than 5 ms on
 * one document; on a loaded machine that has been seen to happen, which breaks the form pane with
 * a ChannelError. Turn it on by default once the lake's listen budget tolerates it.
 */
import {presentationTool} from 'sanity/presentation'

import {resolveLocations} from './locations'

const DEFAULT_PREVIEW_ORIGIN = 'http://localhost:3000'

export function previewOrigin(): string {
  return (process.env.SANITY_STUDIO_PREVIEW_URL || DEFAULT_PREVIEW_ORIGIN).replace(/\/+$/, '')
}

export function presentationEnabled(): boolean {
  return Boolean(process.env.SANITY_STUDIO_PREVIEW_URL)
}

export function careersPresentationTool() {
  return presentationTool({
    title: 'Preview',
    previewUrl: {initial: previewOrigin()},
    resolve: {locations: resolveLocations},
  })
}
