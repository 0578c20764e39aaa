import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    // Lake tests start real servers on loopback and write real databases: forks keep them apart.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
