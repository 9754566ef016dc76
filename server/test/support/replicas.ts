import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../src/cli/run-cli.js'
import type { FakeAccount, FakeUpstream } from './fake-upstream.js'
import { spawnServer, type ServerProcess } from './server-process.js'

/** Several real server processes on one PostgreSQL schema, one data dir (the shared key file). */
export interface Replicas {
  dir: string
  env: Record<string, string>
  servers: ServerProcess[]
  urls: string[]
  /** Starts one more replica with the same settings (plus `extra`). */
  add(extra?: Record<string, string>): Promise<string>
  /** Imports accounts through the CLI (as an operator would), into the shared database. */
  importAccounts(...accounts: FakeAccount[]): Promise<void>
  close(): Promise<void>
}

export async function startReplicas(
  count: number,
  databaseUrl: string,
  fake: FakeUpstream,
  extra: Record<string, string> = {},
): Promise<Replicas> {
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-replicas-'))
  const env: Record<string, string> = {
    CODEX_LB_DATA_DIR: join(dir, 'data'),
    CODEX_LB_DATABASE_URL: databaseUrl,
    CODEX_LB_UPSTREAM_BASE_URL: fake.backendBaseUrl,
    CODEX_LB_AUTH_BASE_URL: fake.authBaseUrl,
    CODEX_LB_LOG_FORMAT: 'json',
    CODEX_LB_MODEL_REGISTRY_ENABLED: 'false',
    CODEX_LB_SHUTDOWN_DRAIN_SECONDS: '2',
    ...extra,
  }
  const servers: ServerProcess[] = []
  const urls: string[] = []
  const replicas: Replicas = {
    dir,
    env,
    servers,
    urls,
    async add(more = {}) {
      const server = spawnServer({ ...env, ...more }, dir)
      servers.push(server)
      const url = await server.url()
      urls.push(url)
      return url
    },
    async importAccounts(...accounts) {
      for (const [i, account] of accounts.entries()) {
        const file = join(dir, `auth-${i}.json`)
        writeFileSync(file, JSON.stringify(account.authJson))
        let err = ''
        const io = {
          stdout: () => undefined,
          stderr: (s: string) => void (err += s),
          env,
          cwd: dir,
        }
        const code = await runCli(['accounts', 'import', file], io)
        if (code !== 0) throw new Error(`account import failed: ${err}`)
      }
    },
    async close() {
      for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM')
      await Promise.all(servers.map((s) => s.exit.catch(() => null)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
  // The first one alone: it creates the schema before the others race to migrate it.
  for (let i = 0; i < count; i++) await replicas.add()
  return replicas
}

/** Polls `check` every 25 ms until it is true; resolves with the milliseconds it took. */
export async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = Date.now()
  while (Date.now() - start < limitMs) {
    if (await check()) return Date.now() - start
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`not within ${limitMs} ms`)
}
