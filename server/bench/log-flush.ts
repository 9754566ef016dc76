/**
 * `npx tsx server/bench/log-flush.ts [--flushes 500] [--rows 1] [--in-thread]`: how long the event
 * loop is busy per request-log flush on a SQLite file, and how long small main-thread writes take
 * while the log writer runs (they wait for its write lock; checkpoints may land on them).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { sql } from 'kysely'
import { migrateToLatest, openDatabase } from '../src/db/index.js'
import type { NewRequestLogRow } from '../src/db/schema.js'
import { RequestLogWriter } from '../src/modules/request-logs/index.js'
import { pct } from './harness.js'

const { values: args } = parseArgs({
  options: {
    flushes: { type: 'string', default: '500' },
    rows: { type: 'string', default: '1' },
    'in-thread': { type: 'boolean', default: false },
  },
})
const FLUSHES = Number(args.flushes)
const ROWS = Number(args.rows)
const WARMUP = 20

let seq = 0
function row(): NewRequestLogRow {
  seq++
  return {
    account_id: `acc-${seq % 5}`,
    api_key_id: null,
    request_id: `bench-${seq}`,
    requested_at: Date.now(),
    endpoint: '/backend-api/codex/responses',
    model: seq % 2 ? 'gpt-5.5' : 'gpt-5.1',
    reasoning_effort: 'medium',
    status: seq % 50 ? 'success' : 'error',
    http_status: 200,
    error_code: null,
    error_message: null,
    input_tokens: 1200,
    cached_input_tokens: 300,
    output_tokens: 400,
    reasoning_tokens: 100,
    cost_usd: 0.0123,
    latency_ms: 850,
    ttfb_ms: 120,
  }
}

/** CPU time of this process's main thread (its task id is the pid), in ms. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // utime and stime, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const fmt = (values: number[]) =>
  `p50 ${pct(values, 50).toFixed(3)} ms, p99 ${pct(values, 99).toFixed(3)} ms, max ${Math.max(...values).toFixed(3)} ms`

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'codex-lb-log-flush-'))
  const database = await openDatabase({ kind: 'sqlite', path: join(dir, 'store.db') })
  await migrateToLatest(database.db, { sqlitePath: database.sqlitePath })
  await sql`create table bench_scratch (id integer primary key, v integer not null)`.execute(
    database.db,
  )
  const writer = new RequestLogWriter(database.db, pino({ level: 'warn' }), {
    batchSize: 200,
    flushDelayMs: 50,
    maxPending: 100_000,
    sqlitePath: args['in-thread'] ? undefined : database.sqlitePath,
  })

  // Small main-thread writes every 3 ms, as the request path makes (reservations, account state).
  const mainWrites: number[] = []
  let writing = true
  const mainWriter = (async () => {
    let i = 0
    while (writing) {
      const start = performance.now()
      await sql`insert or replace into bench_scratch (id, v) values (${i % 100}, ${i})`.execute(
        database.db,
      )
      mainWrites.push(performance.now() - start)
      i++
      await new Promise((r) => setTimeout(r, 3))
    }
  })()

  const busy: number[] = []
  let cpuAtStart = 0
  for (let i = 0; i < WARMUP + FLUSHES; i++) {
    // Requests arrive spaced out: the main-thread writes run in between.
    await new Promise((r) => setTimeout(r, 5))
    const before = performance.eventLoopUtilization()
    for (let r = 0; r < ROWS; r++) writer.enqueue(row())
    await writer.flush()
    const used = performance.eventLoopUtilization(before)
    if (i >= WARMUP) busy.push(used.active)
    if (i === WARMUP - 1) cpuAtStart = mainThreadCpuMs()
  }
  const cpuPerFlush = (mainThreadCpuMs() - cpuAtStart) / FLUSHES
  writing = false
  await mainWriter
  await writer.close()
  const written = await database.db
    .selectFrom('request_logs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  await database.close()
  rmSync(dir, { recursive: true, force: true })

  const mode = args['in-thread'] ? 'in-thread' : 'writer default'
  console.log(`request-log flush on SQLite (${mode}), ${FLUSHES} flushes of ${ROWS} row(s)`)
  console.log(`  event loop busy per flush: ${fmt(busy)}`)
  console.log(`  main-thread CPU per flush (with the small writes): ${cpuPerFlush.toFixed(3)} ms`)
  console.log(`  main-thread small write:   ${fmt(mainWrites.slice(10))} (${mainWrites.length})`)
  console.log(`  rows written: ${written.n} of ${(WARMUP + FLUSHES) * ROWS}`)
  console.log(
    `  load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
}

await main()
