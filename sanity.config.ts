import {createClient} from '@sanity/client'
import {visionTool} from '@sanity/vision'
import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'

import {dataset, isLocalLake, localLakeUrl, projectId} from './lib/env'
import {schemaTypes} from './schemas'

/**
 * In local mode the Studio is served by the lake itself (same origin, HTTP/2 over TLS), so the API
 * host is wherever the page came from. The CLI evaluates this file in Node, where there is no
 * window: it falls back to the lake's configured address.
 */
function localApiHost(): string {
  return typeof window === 'undefined' ? localLakeUrl() : window.location.origin
}

/** Cloud-only features that have no local equivalent; they stay on against the hosted lake. */
const cloudOnly = {enabled: !isLocalLake}

export default defineConfig({
  name: 'default',
  title: 'Careers Studio',
  projectId,
  dataset,
  plugins: [structureTool(), visionTool()],
  schema: {types: schemaTypes},
  releases: cloudOnly,
  scheduledDrafts: cloudOnly,
  tasks: cloudOnly,
  announcements: cloudOnly,
  ...(isLocalLake
    ? {
        apiHost: localApiHost(),
        // @sanity/client would otherwise turn apiHost into `<projectId>.<host>`.
        unstable_clientFactory: (options) => createClient({...options, useProjectHostname: false}),
      }
    : {}),
})
