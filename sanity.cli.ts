import {defineCliConfig} from 'sanity/cli'

import {dataset, projectId} from './lib/env'

export default defineCliConfig({
  api: {projectId, dataset},
  // The lake serves the built Studio under /studio; assets must be addressed from there too.
  project: {basePath: '/studio'},
  // Auto-updates fetch the Studio runtime from Sanity's CDN, which fails offline and in CI.
  deployment: {autoUpdates: false},
  typegen: {
    path: ['./queries/**/*.ts', './web/**/*.{ts,tsx}'],
    schema: './schema.json',
    generates: './sanity.types.ts',
    overloadClientMethods: true,
  },
})
