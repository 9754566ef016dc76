/**
 * `npm run bench:seed -- --rows 1000000 --days 30 [--database-url postgresql://…] [--data-dir dir]`:
 * writes synthetic request-log rows (and their hourly rollups, through the log writer's own insert)
 * into a codex-lb database, after its migrations, with the accounts and API keys they name. Without
 * --database-url it uses the configured database (CODEX_LB_DATABASE_URL, else the SQLite file in
 * CODEX_LB_DATA_DIR or --data-dir).
 */
import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import { loadConfig, type Config } from '../src/config/index.js'
import { migrateToLatest, openDatabase } from '../src/db/index.js'
import type { Database, NewRequestLogRow } from '../src/db/schema.js'
import { insertRequestLogs } from '../src/modules/request-logs/index.js'
import { SEED_ACCOUNTS, SEED_KEYS, requestLogRows } from './log-generator.js'

/** Rows per transaction: large enough to amortise the commit, small enough to keep memory flat. */
const TRANSACTION_ROWS = 10_000

async function seedIdentities(db: Kysely<Database>, now: number): Promise<void> {
  for (const a of SEED_ACCOUNTS) {
    await db
      .insertInto('accounts')
      .values({
        id: a.id,
        chatgpt_account_id: null,
        email: a.email,
        plan_type: 'pro',
        access_token_enc: '',
        refresh_token_enc: '',
        id_token_enc: '',
        access_token_expires_at: now + 30 * 86_400_000,
        last_refresh_at: now,
        created_at: now,
        updated_at: now,
        status: 'active',
        route_order: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
  for (const k of SEED_KEYS) {
    await db
      .insertInto('api_keys')
      .values({
        id: k.id,
        name: k.name,
        key_hash: `bench-hash-${k.id}`,
        key_prefix: 'sk-clb-bench',
        allowed_models: null,
        expires_at: null,
        is_active: 1,
        created_at: now,
        last_used_at: null,
        allowed_reasoning_efforts: null,
        allowed_service_tiers: null,
        allowed_account_ids: null,
        max_concurrent_requests: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
}

export interface SeedOptions {
  rows: number
  days: number
  now?: number
  /** Called after each transaction with the rows written so far. */
  progress?: (written: number) => void
}

/** Writes the rows oldest first in transactions of TRANSACTION_ROWS; returns rows per second. */
export async function seedRequestLogs(db: Kysely<Database>, o: SeedOptions): Promise<number> {
  const now = o.now ?? Date.now()
  const started = performance.now()
  await seedIdentities(db, now)
  let batch: NewRequestLogRow[] = []
  let written = 0
  for (const row of requestLogRows({ rows: o.rows, days: o.days, now })) {
    batch.push(row)
    if (batch.length < TRANSACTION_ROWS) continue
    await insertRequestLogs(db, batch)
    written += batch.length
    batch = []
    o.progress?.(written)
  }
  await insertRequestLogs(db, batch)
  written += batch.length
  o.progress?.(written)
  return written / ((performance.now() - started) / 1000)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '30' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  })
  const rows = Number(values.rows)
  const days = Number(values.days)
  if (!Number.isInteger(rows) || rows < 1 || !(days > 0)) {
    throw new Error('--rows must be a positive integer and --days a positive number')
  }
  const env: Record<string, string | undefined> = { ...process.env }
  if (values['data-dir']) env['CODEX_LB_DATA_DIR'] = values['data-dir']
  const config: Config['database'] = values['database-url']
    ? { kind: 'postgres', url: values['database-url'], poolSize: 4 }
    : loadConfig(env).database
  const database = await openDatabase(config)
  try {
    await migrateToLatest(database.db, { sqlitePath: database.sqlitePath })
    const rate = await seedRequestLogs(database.db, {
      rows,
      days,
      progress: (n) => {
        if (n % 100_000 === 0 || n === rows) process.stdout.write(`\r${n} rows`)
      },
    })
    console.log(`\nseeded ${rows} rows over ${days} days (${Math.round(rate)} rows/s)`)
  } finally {
    await database.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
