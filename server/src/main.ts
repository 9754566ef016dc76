import { isExpectedStartupError, loadRuntimeConfig, serve } from './bootstrap.js'

// The server entry point; `codex-lb serve` (server/src/cli) does the same.
Promise.resolve()
  .then(() => serve(loadRuntimeConfig(process.env, process.cwd())))
  .catch((err: unknown) => {
    if (isExpectedStartupError(err)) console.error(`codex-lb: ${err.message}`)
    else console.error('codex-lb: failed to start', err)
    process.exit(1)
  })
