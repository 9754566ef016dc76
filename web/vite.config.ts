import { fileURLToPath } from 'node:url'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const API_TARGET = process.env.CODEX_LB_DEV_API ?? 'http://127.0.0.1:2455'

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      // Source, not shared/dist: the dev server and tests need no prior `tsc -b shared`.
      '@codex-lb/shared': fileURLToPath(new URL('../shared/src/index.ts', import.meta.url)),
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/v1', '/backend-api', '/health'].map((p) => [p, { target: API_TARGET }]),
    ),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // .vite/manifest.json: what the JS budget test (server/test/build) walks from index.html.
    manifest: true,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      output: {
        // zod, the shared schemas and src/lib/zod-jitless.ts in one chunk, so the jitless setting
        // (no eval under the CSP) runs before the first schema is built: from the entry chunk it
        // would run only after the chunks the entry imports.
        manualChunks: (id) =>
          /\/node_modules\/zod\/|\/shared\/src\/|\/src\/lib\/zod-jitless\.ts$/.test(id)
            ? 'schemas'
            : undefined,
      },
    },
  },
})
