/**
 * A real Structure Builder for a real workspace of this project's schema, as the Studio makes
 * one, so structure code can be built and serialised without a browser.
 */
import {createClient} from '@sanity/client'
import {createWorkspaceFromConfig, type SchemaPluginOptions} from 'sanity'
import {createStructureBuilder, type StructureResolverContext} from 'sanity/structure'

import {schemaTypes} from '../../schemas'
import type {Role} from '../../server/store/types'

export async function structureBuilder(role: Role, templates?: SchemaPluginOptions['templates']) {
  const workspace = await createWorkspaceFromConfig({
    projectId: 'local',
    dataset: 'production',
    schema: {types: schemaTypes, ...(templates ? {templates} : {})},
    // Building structure makes no requests; a client to nowhere proves it.
    getClient: () =>
      createClient({
        projectId: 'local',
        dataset: 'production',
        apiVersion: '2025-02-19',
        useCdn: false,
        apiHost: 'https://127.0.0.1:9',
        useProjectHostname: false,
      }),
    currentUser: {
      id: 'p-me',
      name: 'Me',
      email: 'me@example.org',
      role,
      roles: [{name: role, title: role}],
    },
  })
  const source = workspace.unstable_sources[0]
  if (!source) throw new Error('no source')
  const S = createStructureBuilder({source, perspectiveStack: []})
  // The resolver context is the source plus the builder's own fields; tests use S and the user.
  const context = {...source} as unknown as StructureResolverContext
  return {S, context, source}
}
