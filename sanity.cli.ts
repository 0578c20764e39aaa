import {defineCliConfig} from 'sanity/cli'

import {dataset, projectId} from './lib/env'

export default defineCliConfig({
  api: {projectId, dataset},
  // Auto-updates fetch the Studio runtime from Sanity's CDN, which fails offline and in CI.
  deployment: {autoUpdates: false},
  typegen: {
    path: ['./queries/**/*.ts', './web/**/*.{ts,tsx}'],
    schema: './schema.json',
    generates: './sanity.types.ts',
    overloadClientMethods: true,
  },
})
