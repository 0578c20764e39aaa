import {defineConfig} from 'vitest/config'

/** Browser tests: Debian's Chromium against real lakes and Studios, one file at a time. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/globalSetup.ts'],
    pool: 'forks',
    // Each file starts a lake and a browser; on two cores they are steadier one after another.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
})
