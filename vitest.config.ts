import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const shared = fileURLToPath(new URL('./shared/src/index.ts', import.meta.url))

export default defineConfig({
  resolve: { alias: { '@codex-lb/shared': shared } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One worker per core. Vitest's default leaves a core free, which on CI's two cores is a single
    // worker: a serial run, with the CPU idle while tests wait on PostgreSQL, child processes and
    // sockets (a full run used ~0.6 of 2 cores).
    maxWorkers: availableParallelism(),
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
          // A worker runs its files one after another in one process, keeping the module cache:
          // importing the server afresh for each of ~200 files cost about half the CPU of a run
          // (server project alone: 262 s isolated, 135 s not). So a test file must leave no state
          // behind in modules: no vi.mock, spies restored, servers and databases closed.
          isolate: false,
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
