/**
 * The dashboard at a year of heavy use: BENCH_DASHBOARD_ROWS (default 1,000,000) request-log rows
 * over 30 days, seeded on SQLite and on PostgreSQL (when it answers), then codex-lb (built) asked
 * for what the pages ask for, sequentially. Standalone: `npx tsx server/bench/dashboard.ts`.
 *
 * Seeding takes minutes; to measure again without it, keep the seeded databases:
 * BENCH_DASHBOARD_SQLITE_DIR=dir (its store.db) and BENCH_DASHBOARD_DATABASE_URL=postgresql://…
 * (a schema of its own, via `?options=-c search_path=…`) are seeded once when they hold fewer rows
 * than BENCH_DASHBOARD_ROWS and then reused as they are (never deleted).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { request } from 'undici'
import { migrateToLatest, openDatabase } from '../src/db/index.js'
import type { Config } from '../src/config/index.js'
import { freshPostgresUrl, postgresAvailability } from '../test/support/dialects.js'
import { pct, rssMb, startProxy, stopProxy, type ProxyProcess } from './harness.js'
import { SEED_ACCOUNTS } from './log-generator.js'
import { seedRequestLogs } from './seed-request-logs.js'

const ROWS = Number(process.env['BENCH_DASHBOARD_ROWS'] ?? 1_000_000)
const DAYS = 30
const SAMPLES = 40
const DAY_MS = 86_400_000
const NOWHERE = 'http://127.0.0.1:9'

/** The page's requests; `since` is computed per request, as the browser does (never hour-aligned). */
const QUERIES: Array<[string, () => string]> = [
  ['overview', () => '/api/dashboard/overview'],
  ['overview: recent requests', () => '/api/request-logs?limit=8'],
  ['logs: status=error, 30 d', () => `/api/request-logs?limit=25&status=error&since=${ago(30)}`],
  [
    'logs: one account, 7 d',
    () => `/api/request-logs?limit=25&accountId=${SEED_ACCOUNTS[4]!.id}&since=${ago(7)}`,
  ],
  [
    'logs: rate_limit + model, 30 d',
    () =>
      `/api/request-logs?limit=25&status=rate_limit&modelOption=gpt-5.5:::high&since=${ago(30)}`,
  ],
  ['filter options, 30 d', () => `/api/request-logs/options?since=${ago(30)}`],
  ['report: 30 d by day per model', () => `/api/reports?since=${ago(30)}&bucket=day&groupBy=model`],
]

const ago = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString()

export interface DialectResult {
  dialect: string
  /** null when a kept database was reused. */
  seedRowsPerSecond: number | null
  /** name → [p50, p95] ms; null when the endpoint does not exist (yet). */
  queries: Map<string, [number, number] | null>
  exportSeconds: number
  exportRows: number
  exportRssGrowthMb: number
}

async function timeGet(url: string): Promise<number | null> {
  const start = performance.now()
  const res = await request(url)
  await res.body.text()
  if (res.statusCode === 404) return null
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`)
  return performance.now() - start
}

async function measure(proxy: ProxyProcess): Promise<DialectResult['queries']> {
  const out: DialectResult['queries'] = new Map()
  for (const [name, path] of QUERIES) {
    const samples: number[] = []
    for (let i = 0; i < SAMPLES + 3; i++) {
      const ms = await timeGet(`${proxy.url}${path()}`)
      if (ms === null) break
      if (i >= 3) samples.push(ms)
    }
    out.set(name, samples.length ? [pct(samples, 50), pct(samples, 95)] : null)
  }
  return out
}

/** The whole CSV export, read as fast as it comes; RSS sampled every 100 ms. */
async function measureExport(proxy: ProxyProcess) {
  const before = rssMb(proxy.child)
  let peak = before
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(proxy.child))), 100)
  const start = performance.now()
  let lines = 0
  try {
    const res = await request(`${proxy.url}/api/request-logs/export`)
    if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}`)
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    }
  } finally {
    clearInterval(timer)
  }
  return {
    exportSeconds: (performance.now() - start) / 1000,
    exportRows: lines - 1,
    exportRssGrowthMb: peak - before,
  }
}

/** Seeds the database unless it already holds ROWS rows; the seed's rows/s, or null when reused. */
async function seeded(database: Config['database']): Promise<number | null> {
  const handle = await openDatabase(database)
  try {
    await migrateToLatest(handle.db, { sqlitePath: handle.sqlitePath })
    const { n } = await handle.db
      .selectFrom('request_logs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (Number(n) >= ROWS) return null
    return await seedRequestLogs(handle.db, { rows: ROWS, days: DAYS })
  } finally {
    await handle.close()
  }
}

/**
 * The seeded accounts make the database one that "holds encrypted tokens", so the server refuses to
 * create a key: the key file sits beside the SQLite store (kept with it) and serves both dialects.
 */
function keyFile(dir: string): string {
  const path = join(dir, 'encryption.key')
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true })
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 })
  }
  return path
}

async function runDialect(name: string, env: Record<string, string>, database: Config['database']) {
  process.stdout.write(`\nseeding ${ROWS} request-log rows on ${name}…`)
  const seedRowsPerSecond = await seeded(database)
  process.stdout.write(
    seedRowsPerSecond === null
      ? ' already seeded, reused\n'
      : ` ${Math.round(seedRowsPerSecond)} rows/s\n`,
  )
  const proxy = await startProxy(NOWHERE, NOWHERE, env)
  try {
    const queries = await measure(proxy)
    return { dialect: name, seedRowsPerSecond, queries, ...(await measureExport(proxy)) }
  } finally {
    await stopProxy(proxy)
  }
}

async function dropSchema(url: string): Promise<void> {
  const schema =
    /search_path%3D([a-z0-9_]+)/i.exec(url)?.[1] ?? /search_path=([a-z0-9_]+)/.exec(url)?.[1]
  if (!schema) return
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end())
}

export async function dashboardRows(): Promise<DialectResult[]> {
  const results: DialectResult[] = []
  const keptDir = process.env['BENCH_DASHBOARD_SQLITE_DIR']
  const dir = keptDir ?? mkdtempSync(join(tmpdir(), 'codex-lb-bench-dashboard-'))
  const key = { CODEX_LB_ENCRYPTION_KEY_FILE: keyFile(dir) }
  try {
    results.push(
      await runDialect(
        'sqlite',
        { CODEX_LB_DATA_DIR: dir, ...key },
        { kind: 'sqlite', path: join(dir, 'store.db') },
      ),
    )
    await runPostgres(results, key)
  } finally {
    if (!keptDir) rmSync(dir, { recursive: true, force: true })
  }
  printTable(results)
  return results
}

async function runPostgres(results: DialectResult[], key: Record<string, string>): Promise<void> {
  const keptUrl = process.env['BENCH_DASHBOARD_DATABASE_URL']
  if (keptUrl || (await postgresAvailability()).available) {
    const url = keptUrl ?? (await freshPostgresUrl())
    try {
      results.push(
        await runDialect(
          'postgres',
          { CODEX_LB_DATABASE_URL: url, ...key },
          { kind: 'postgres', url, poolSize: 4 },
        ),
      )
    } finally {
      if (!keptUrl) await dropSchema(url)
    }
  } else {
    console.log('PostgreSQL not reachable: the dashboard rows run on SQLite only')
  }
}

const fmt = (v: number) => v.toFixed(1).padStart(8)

function printTable(results: DialectResult[]): void {
  console.log(
    `\n${`dashboard at ${ROWS} rows / ${DAYS} d (ms)`.padEnd(38)}${results.map((r) => `${r.dialect.padStart(10)} p50     p95`).join('')}`,
  )
  for (const [name] of QUERIES) {
    const cells = results.map((r) => {
      const q = r.queries.get(name)
      return q ? `${fmt(q[0])}${fmt(q[1])}` : '   (no endpoint)'
    })
    console.log(`${name.padEnd(38)}${cells.join('  ')}`)
  }
  for (const r of results) {
    console.log(
      `CSV export on ${r.dialect}: ${r.exportRows} rows in ${r.exportSeconds.toFixed(1)} s, RSS +${r.exportRssGrowthMb.toFixed(1)} MB`,
    )
  }
}

/** Target lines for run.ts's summary. */
export function dashboardTargets(results: DialectResult[]): string[] {
  const lines: string[] = []
  for (const r of results) {
    const worst = Math.max(...[...r.queries.values()].flatMap((q) => (q ? [q[1]] : [])))
    lines.push(
      `  dashboard p95 < 100 ms (${r.dialect}, slowest): ${worst.toFixed(1)} ms ${worst < 100 ? 'ok' : 'MISSED'}`,
    )
    lines.push(
      `  export of ${r.exportRows} rows < 30 s (${r.dialect}): ${r.exportSeconds.toFixed(1)} s ${r.exportSeconds < 30 ? 'ok' : 'MISSED'}, RSS +${r.exportRssGrowthMb.toFixed(1)} MB`,
    )
  }
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) {
  dashboardRows()
    .then((r) => console.log(`\ntargets:\n${dashboardTargets(r).join('\n')}`))
    .catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
}
