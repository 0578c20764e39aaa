import {createClient} from '@sanity/client'
import {visionTool} from '@sanity/vision'
import {defineConfig, SANITY_VERSION} from 'sanity'
import {structureTool} from 'sanity/structure'

import {dataset, isLocalLake, localLakeUrl, projectId} from './lib/env'
import {schemaTypes} from './schemas'
import {
  resolveDocumentActions,
  resolveDocumentBadges,
  resolveNewDocumentOptions,
} from './studio/documentActions'
import {defaultDocumentNode, structure} from './studio/structure'
import {keepStudioOnMachine} from './studio/offline/keepOnMachine'
import {careersPresentationTool} from './studio/presentation'
import {resolveTemplates} from './studio/templates'
import {resolveTools} from './studio/tools'

/**
 * In local mode the Studio is served by the lake itself (same origin, HTTP/2 over TLS), so the API
 * host is wherever the page came from. `npm run studio:dev` serves it from `sanity dev` on another
 * origin instead and names the lake in `SANITY_STUDIO_API_HOST` (inlined by the build). The CLI
 * evaluates this file in Node, where there is no window: it falls back to the lake's address.
 */
function localApiHost(): string {
  if (process.env.SANITY_STUDIO_API_HOST) return process.env.SANITY_STUDIO_API_HOST
  return typeof window === 'undefined' ? localLakeUrl() : window.location.origin
}

// Before anything renders: the Studio's own calls to Sanity's CDN and services stay unsent.
if (isLocalLake) keepStudioOnMachine(SANITY_VERSION)

/** Cloud-only features that have no local equivalent; they stay on against the hosted lake. */
const cloudOnly = {enabled: !isLocalLake}

export default defineConfig({
  name: 'default',
  title: 'Careers Studio',
  projectId,
  dataset,
  plugins: [
    structureTool({structure, defaultDocumentNode}),
    careersPresentationTool(),
    visionTool(),
  ],
  schema: {
    types: schemaTypes,
    templates: resolveTemplates,
  },
  document: {
    actions: resolveDocumentActions,
    badges: resolveDocumentBadges,
    newDocumentOptions: resolveNewDocumentOptions,
    comments: cloudOnly,
    // "Ask to edit" requests access through Sanity's project-access service.
    askToEdit: cloudOnly,
  },
  tools: resolveTools,
  releases: cloudOnly,
  scheduledDrafts: cloudOnly,
  tasks: cloudOnly,
  announcements: cloudOnly,
  // Each of these asks Sanity-hosted services (schedules API, Media Library, Canvas) on load.
  scheduledPublishing: cloudOnly,
  mediaLibrary: cloudOnly,
  apps: {canvas: cloudOnly},
  ...(isLocalLake
    ? {
        apiHost: localApiHost(),
        // @sanity/client would otherwise turn apiHost into `<projectId>.<host>`.
        unstable_clientFactory: (options) => createClient({...options, useProjectHostname: false}),
      }
    : {}),
})
