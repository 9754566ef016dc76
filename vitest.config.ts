import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const shared = fileURLToPath(new URL('./shared/src/index.ts', import.meta.url))

export default defineConfig({
  resolve: { alias: { '@codex-lb/shared': shared } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: [
            'server/src/**/*.test.ts',
            'server/test/**/*.test.ts',
            'shared/src/**/*.test.ts',
          ],
          environment: 'node',
          globalSetup: ['server/test/support/global-setup.ts'],
        },
      },
      {
        // The dashboard's component tests: a DOM, msw for HTTP, and the web/ path alias.
        extends: true,
        resolve: {
          alias: { '@': fileURLToPath(new URL('./web/src', import.meta.url)) },
        },
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['web/src/test/setup.ts'],
        },
      },
    ],
  },
})
