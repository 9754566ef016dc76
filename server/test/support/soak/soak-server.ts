import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Config } from '../../../src/config/index.js'
import { DashboardClient } from '../dashboard-client.js'
import { freshPostgresUrl } from '../dialects.js'
import { startFakeUpstream, type FakeAccount, type FakeUpstream } from '../fake-upstream.js'
import { spawnServer, type ServerProcess } from '../server-process.js'
import { startTcpCut, type TcpCut } from '../tcp-cut.js'

export type SoakDialect = 'sqlite' | 'postgres'

export interface SoakServer {
  dialect: SoakDialect
  fake: FakeUpstream
  accounts: FakeAccount[]
  proc: ServerProcess
  url: string
  /** How long the start-up phases took (the process; the accounts and API keys). */
  startup: string
  /** [a key with limits (reservations), a key without]. */
  keys: string[]
  /** Where the test reads the server's database (PostgreSQL directly, not through the cut). */
  database: Config['database']
  /** The database goes away for `ms`: PostgreSQL's TCP hop is cut; SQLite is locked (see below). */
  outage(ms: number): Promise<void>
  /** Start and end (epoch ms) of each outage so far. */
  outageWindows: Array<[number, number]>
  /** The child's resident set size in MB (Linux /proc). */
  rssMb(): number
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Limits far above what a run spends: every keyed request reserves and settles, none is refused. */
const LIMITS = [
  { limitType: 'total_tokens', limitWindow: 'daily', maxValue: 1e12, modelFilter: null },
  { limitType: 'cost_usd', limitWindow: 'daily', maxValue: 1e12, modelFilter: null },
]

/** Through the dashboard API, as an operator uploading auth.json files would. */
async function importAccounts(url: string, accounts: FakeAccount[]): Promise<void> {
  for (const account of accounts) {
    const form = new FormData()
    const file = new Blob([JSON.stringify(account.authJson)], { type: 'application/json' })
    form.append('auth_json', file, 'auth.json')
    const res = await fetch(`${url}/api/accounts/import`, { method: 'POST', body: form })
    if (res.status !== 200) throw new Error(`account import: ${res.status} ${await res.text()}`)
  }
}

async function createKeys(url: string): Promise<string[]> {
  const api = new DashboardClient(url)
  const keys: string[] = []
  for (const [name, limits] of [
    ['soak limited', LIMITS],
    ['soak open', []],
  ] as const) {
    const res = await api.post('/api/api-keys/', { name, limits })
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`key: ${JSON.stringify(res.body)}`)
    keys.push((res.body as { key: string }).key)
  }
  const settings = await api.put('/api/settings', {
    stickyThreadsEnabled: false,
    preferEarlierResetAccounts: false,
    apiKeyAuthEnabled: true,
  })
  if (settings.status !== 200) throw new Error(`settings: ${JSON.stringify(settings.body)}`)
  return keys
}

/**
 * codex-lb as its own process (so its memory is its own) against a fake upstream with `accounts`
 * accounts, on SQLite or on PostgreSQL behind a TCP hop the test can cut, with timeouts made small.
 */
export async function startSoakServer(opts: {
  dialect: SoakDialect
  accounts: number
  streamIdleTimeoutSeconds: number
}): Promise<SoakServer> {
  const fake = await startFakeUpstream()
  const accounts = Array.from({ length: opts.accounts }, (_, i) =>
    fake.addAccount({ email: `soak${i}@example.com` }),
  )
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-soak-'))
  const held: Held = {}
  const close = async () => {
    const proc = held.proc
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL')
    await proc?.exit.catch(() => null)
    await held.cut?.cut()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    return await startIn(dir, fake, accounts, opts, held, close)
  } catch (err) {
    // A start-up that fails (a slow machine, a lost schema) leaves no process or fake behind.
    await close()
    throw err
  }
}

/** What a start-up has started so far: closed again if it fails. */
interface Held {
  cut?: TcpCut
  proc?: ServerProcess
}

async function startIn(
  dir: string,
  fake: FakeUpstream,
  accounts: FakeAccount[],
  opts: { dialect: SoakDialect; streamIdleTimeoutSeconds: number },
  held: Held,
  close: () => Promise<void>,
): Promise<SoakServer> {
  const env: Record<string, string> = {
    CODEX_LB_DATA_DIR: join(dir, 'data'),
    CODEX_LB_UPSTREAM_BASE_URL: fake.backendBaseUrl,
    CODEX_LB_AUTH_BASE_URL: fake.authBaseUrl,
    CODEX_LB_LOG_FORMAT: 'json',
    CODEX_LB_LOG_LEVEL: 'info',
    CODEX_LB_MODEL_REGISTRY_ENABLED: 'false',
    CODEX_LB_SHUTDOWN_DRAIN_SECONDS: '5',
    CODEX_LB_STREAM_IDLE_TIMEOUT_SECONDS: String(opts.streamIdleTimeoutSeconds),
  }
  let cut: TcpCut | undefined
  let database: Config['database'] = { kind: 'sqlite', path: join(dir, 'data', 'store.db') }
  if (opts.dialect === 'postgres') {
    const direct = new URL(await freshPostgresUrl())
    cut = await startTcpCut(direct.hostname, Number(direct.port || 5432))
    held.cut = cut
    const viaCut = new URL(direct)
    viaCut.hostname = '127.0.0.1'
    viaCut.port = String(cut.port)
    env['CODEX_LB_DATABASE_URL'] = viaCut.toString()
    database = { kind: 'postgres', url: direct.toString(), poolSize: 2 }
  }
  const t1 = performance.now()
  const proc = spawnServer(env, dir, { killAfterMs: 30 * 60_000 })
  held.proc = proc
  // A test that times out leaves runSoak running: the server must not outlive the test process.
  const orphan = () => proc.child.kill('SIGKILL')
  process.once('exit', orphan)
  void proc.exit.finally(() => process.off('exit', orphan))
  // A loaded machine can take longer than url()'s 20 s to transform and start the server.
  const url = (await proc.waitFor(/listening on (http:\/\/[\d.]+:\d+)/, 90_000))[1]!
  const t2 = performance.now()
  await importAccounts(url, accounts)
  const keys = await createKeys(url)
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  const startup = `process ${s(t2 - t1)}, accounts and keys ${s(performance.now() - t2)}`
  const outageWindows: Array<[number, number]> = []
  return {
    dialect: opts.dialect,
    fake,
    accounts,
    proc,
    url,
    keys,
    startup,
    database,
    outageWindows,
    async outage(ms) {
      const window: [number, number] = [Date.now(), 0]
      outageWindows.push(window)
      if (cut) {
        await cut.cut()
        await sleep(ms)
        await cut.restore()
        window[1] = Date.now()
        return
      }
      // SQLite cannot vanish under an open file; the honest equivalent is another process holding
      // the write lock: codex-lb's writes wait (busy_timeout) and its queued writer retries.
      const holder = new Database(database.kind === 'sqlite' ? database.path : '')
      holder.exec('BEGIN EXCLUSIVE')
      await sleep(ms)
      holder.exec('COMMIT')
      holder.close()
      window[1] = Date.now()
    },
    rssMb() {
      const status = readFileSync(`/proc/${proc.child.pid}/status`, 'utf8')
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
    },
    close,
  }
}
