import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { TEST_PASSWORD_HASH_COST } from './hash-cost.js'

// The server as `npm start` runs it: its own process (server/src/main.ts through tsx, so no build
// is needed), its own stdout/stderr, signals and exit code.

const require = createRequire(import.meta.url)
const TSX = pathToFileURL(require.resolve('tsx')).href
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))
const LISTENING = /listening on (http:\/\/[\d.]+:\d+)/

export interface ServerProcess {
  child: ChildProcess
  out(): string
  err(): string
  /** Exit code (null when killed by a signal), once the process is gone. */
  exit: Promise<number | null>
  /** The base URL from the start-up line; rejects if the process exits first. */
  url(): Promise<string>
  /** Resolves with the first match in stdout or stderr. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
}

/**
 * Spawns the server with exactly `env` (plus PATH, HOME=cwd and the test bcrypt cost) on a port of its own choosing. It
 * is killed after `killAfterMs` (default 90 s) so a stuck test cannot leave it behind.
 */
export function spawnServer(
  env: Record<string, string>,
  cwd: string,
  { killAfterMs = 90_000 }: { killAfterMs?: number } = {},
): ServerProcess {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    // The cheapest bcrypt cost, as in startTestApp, unless `env` sets one.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      CODEX_LB_PORT: '0',
      CODEX_LB_PASSWORD_HASH_COST: String(TEST_PASSWORD_HASH_COST),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve(code)
    })
  })
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const match = pattern.exec(out) ?? pattern.exec(err)
      if (match) return match
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`no ${pattern} in:\n${out}\n${err}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  return {
    child,
    out: () => out,
    err: () => err,
    exit,
    waitFor,
    url: async () => (await waitFor(LISTENING))[1]!,
  }
}
