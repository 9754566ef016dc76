/**
 * `npx tsx server/bench/python-import.ts [--rows 1000000] [--page-size 5000] [--database-url URL]`:
 * builds a Python codex-lb data dir (newest schema, WAL) with that many request logs, then runs
 * `migrate-from-python --dry-run` and the import in child processes and reports each one's wall
 * time and peak RSS. Not part of `npm test`. The target is a fresh SQLite data dir unless
 * --database-url names a (fresh) PostgreSQL schema.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import SQLite from 'better-sqlite3'
import { runCli } from '../src/cli/run-cli.js'
import { generateFernetKeyFile } from '../test/support/python-original/fernet.js'
import { writeSqliteOriginal } from '../test/support/python-original/fixture.js'

const ACCOUNTS = 20
const BATCH = 50_000

/** The accounts through the test fixture, then the logs with one prepared statement per batch. */
function buildOriginal(dir: string, rows: number): void {
  const keyFile = generateFernetKeyFile()
  writeSqliteOriginal(
    dir,
    {
      era: 'newest',
      accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
        id: `ws-${i}_bench`,
        email: `bench-${i}@example.com`,
        chatgptAccountId: `ws-${i}`,
        tokens: { access: `a-${i}`, refresh: `r-${i}`, id: `i-${i}` },
      })),
    },
    keyFile,
  )
  const db = new SQLite(join(dir, 'store.db'))
  const insert = db.prepare(
    `insert into request_logs (account_id, api_key_id, request_id, requested_at, model, input_tokens,
       output_tokens, cached_input_tokens, reasoning_tokens, reasoning_effort, latency_ms, status,
       error_code, transport, cost_usd, latency_first_token_ms, request_kind, client_ip, useragent)
     values (?, null, ?, ?, ?, ?, ?, ?, 0, 'medium', ?, ?, ?, 'http', ?, ?, 'normal', '10.0.0.1', 'codex_cli_rs/0.50')`,
  )
  const start = Date.UTC(2026, 0, 1)
  const span = 180 * 86_400_000
  for (let from = 0; from < rows; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(rows, from + BATCH); i++) {
        const at = new Date(start + Math.floor((i / rows) * span))
        const error = i % 50 === 0
        insert.run(
          `ws-${i % ACCOUNTS}_bench`,
          `req-${i}`,
          at.toISOString().replace('T', ' ').replace('Z', '000'),
          i % 3 === 0 ? 'gpt-5.4' : 'gpt-5.4-mini',
          1000 + (i % 5000),
          200 + (i % 700),
          i % 400,
          800 + (i % 3000),
          error ? 'error' : 'success',
          error ? 'rate_limit_exceeded' : null,
          (i % 1000) / 100_000,
          100 + (i % 900),
        )
      }
    })()
  }
  db.close()
}

interface Measured {
  code: number
  ms: number
  maxRssMb: number
  out: string
}

/** In the child: one CLI run, then its figures as the last line. */
async function child(args: string[]): Promise<void> {
  let out = ''
  const started = performance.now()
  const code = await runCli(['migrate-from-python', ...args], {
    stdout: (t) => (out += t),
    stderr: (t) => (out += t),
    env: { ...process.env, CODEX_LB_LOG_LEVEL: 'silent' },
    cwd: process.cwd(),
  })
  const ms = Math.round(performance.now() - started)
  const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  process.stdout.write(`${out}\n${JSON.stringify({ code, ms, maxRssMb })}\n`)
}

function measure(args: string[], env: Record<string, string>): Measured {
  const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url))
  const self = fileURLToPath(import.meta.url)
  const r = spawnSync(tsx, [self, '--child', ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const lines = r.stdout.trimEnd().split('\n')
  const figures = JSON.parse(lines.pop() ?? '{}') as Omit<Measured, 'out'>
  return { ...figures, out: lines.join('\n') + r.stderr }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv.slice(3))
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      'page-size': { type: 'string', default: '5000' },
      'database-url': { type: 'string' },
    },
  })
  const rows = Number(values.rows)
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-bench-pyimport-'))
  try {
    let t = performance.now()
    buildOriginal(join(dir, 'old'), rows)
    console.log(`source: ${rows} request logs built in ${Math.round(performance.now() - t)} ms`)
    const env: Record<string, string> = { CODEX_LB_DATA_DIR: join(dir, 'new') }
    if (values['database-url']) env.CODEX_LB_DATABASE_URL = values['database-url']
    const args = ['--from', join(dir, 'old'), '--page-size', values['page-size']]
    for (const [name, extra] of [
      ['dry run', ['--dry-run']],
      ['import', []],
      ['re-run', []],
    ] as const) {
      t = performance.now()
      const m = measure([...args, ...extra], env)
      const logsLine = m.out.split('\n').filter((l) => l.includes('request_logs:'))
      console.log(
        `${name}: exit ${m.code}, ${m.ms} ms, peak RSS ${m.maxRssMb} MB — ${logsLine.map((l) => l.trim()).join(' | ')}`,
      )
      if (m.code !== 0) console.log(m.out)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
