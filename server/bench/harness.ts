/** What every bench section needs: codex-lb as a child process, an account in it, percentiles, rows. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FakeAccount } from '../test/support/fake-upstream.js'

export interface ProxyProcess {
  child: ChildProcess
  url: string
  dataDir: string
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

export function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return kb / 1024
}

/** Starts the built server against the fake; `env` adds or overrides settings (e.g. transport). */
export async function startProxy(
  fakeBase: string,
  fakeAuth: string,
  env: Record<string, string> = {},
): Promise<ProxyProcess> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-bench-'))
  const extra = (process.env['BENCH_PROXY_NODE_ARGS'] ?? '').split(' ').filter(Boolean)
  // BENCH_PROXY_ENTRY: another build of the server (e.g. one compiled elsewhere to compare).
  const entry = process.env['BENCH_PROXY_ENTRY'] ?? 'server/dist/main.js'
  const child = spawn(process.execPath, [...extra, entry], {
    env: {
      ...process.env,
      CODEX_LB_PORT: String(port),
      CODEX_LB_DATA_DIR: dataDir,
      CODEX_LB_LOG_LEVEL: 'warn',
      CODEX_LB_UPSTREAM_BASE_URL: fakeBase,
      CODEX_LB_AUTH_BASE_URL: fakeAuth,
      CODEX_LB_USAGE_REFRESH_ENABLED: 'false',
      CODEX_LB_MODEL_REGISTRY_ENABLED: 'false',
      // One account takes every stream the bench opens (1,000 at once in the memory row): the
      // default cap of 8 would queue the rest and time the queue instead of the relay.
      CODEX_LB_ACCOUNT_MAX_STREAMS: '1000',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  return { child, url, dataDir }
}

export async function stopProxy(proxy: ProxyProcess): Promise<void> {
  if (proxy.child.exitCode === null) {
    proxy.child.kill('SIGTERM')
    await new Promise((r) => proxy.child.once('exit', r))
  }
  rmSync(proxy.dataDir, { recursive: true, force: true })
}

/** Stops what a bench started: the proxy, then the fake upstream, agents and the like. */
export async function stopAll(
  proxy: ProxyProcess,
  ...others: Array<{ close(): Promise<unknown> }>
): Promise<void> {
  await stopProxy(proxy)
  for (const other of others) await other.close().catch(() => undefined)
}

export async function importAccount(url: string, account: FakeAccount): Promise<void> {
  const form = new FormData()
  form.append('auth_json', new Blob([JSON.stringify(account.authJson)]), 'auth.json')
  const res = await fetch(`${url}/api/accounts/import`, { method: 'POST', body: form })
  if (!res.ok) throw new Error(`import failed: ${res.status} ${await res.text()}`)
}

/** One line: the baseline, the measured value and their difference, in the table's columns. */
export function row(name: string, base: number, measured: number, unit = 'ms'): void {
  const fmt = (n: number) => n.toFixed(unit === 'ms' ? 2 : 0).padStart(9)
  console.log(`${name.padEnd(34)}${fmt(base)}${fmt(measured)}${fmt(measured - base)} ${unit}`)
}
