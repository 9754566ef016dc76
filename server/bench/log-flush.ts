/**
 * How long the event loop is busy per request-log flush on a SQLite file, written by the log
 * worker (the default) or in this thread, and how long small main-thread writes take meanwhile
 * (they wait for the worker's write lock). `npm run bench` prints both modes
 * (logFlushRows); alone: `npx tsx server/bench/log-flush.ts [--flushes 400] [--rows 40] [--in-thread]`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import pino from 'pino'
import { sql } from 'kysely'
import { migrateToLatest, openDatabase } from '../src/db/index.js'
import type { NewRequestLogRow } from '../src/db/schema.js'
import { RequestLogWriter } from '../src/modules/request-logs/index.js'
import { pct } from './harness.js'

const WARMUP = 20

export interface FlushFigures {
  /** Event-loop busy time (wall clock) per flush, ms. */
  busy: number[]
  /** Main-thread CPU per flush (the small writes included), ms. */
  cpuPerFlush: number
  /** Durations of the small main-thread writes, ms. */
  mainWrites: number[]
  written: number
}

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

export async function measureFlush(
  flushes: number,
  rows: number,
  inThread: boolean,
): Promise<FlushFigures> {
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
    sqlitePath: inThread ? undefined : database.sqlitePath,
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
  for (let i = 0; i < WARMUP + flushes; i++) {
    // Requests arrive spaced out: the main-thread writes run in between.
    await new Promise((r) => setTimeout(r, 5))
    const before = performance.eventLoopUtilization()
    for (let r = 0; r < rows; r++) writer.enqueue(row())
    await writer.flush()
    const used = performance.eventLoopUtilization(before)
    if (i >= WARMUP) busy.push(used.active)
    if (i === WARMUP - 1) cpuAtStart = mainThreadCpuMs()
  }
  const cpuPerFlush = (mainThreadCpuMs() - cpuAtStart) / flushes
  writing = false
  await mainWriter
  await writer.close()
  const written = await database.db
    .selectFrom('request_logs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  await database.close()
  rmSync(dir, { recursive: true, force: true })

  return { busy, cpuPerFlush, mainWrites: mainWrites.slice(10), written: written.n }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')

/** The bench rows: 400 flushes of 40 rows (a c=1 run's batch), in this thread and by the worker. */
export async function logFlushRows(): Promise<void> {
  const flushes = 400
  const rows = 40
  const here = await measureFlush(flushes, rows, true)
  const worker = await measureFlush(flushes, rows, false)
  const line = (name: string, a: number, b: number) =>
    console.log(`${name.padEnd(38)}${a.toFixed(3).padStart(10)}${b.toFixed(3).padStart(10)} ms`)
  console.log(`\nrequest-log flush, SQLite, ${flushes} × ${rows} rows    in-thread    worker`)
  line('event loop busy per flush p50', pct(here.busy, 50), pct(worker.busy, 50))
  line('event loop busy per flush p99', pct(here.busy, 99), pct(worker.busy, 99))
  line('main-thread CPU per flush', here.cpuPerFlush, worker.cpuPerFlush)
  line('small main-thread write p99', pct(here.mainWrites, 99), pct(worker.mainWrites, 99))
  console.log(`(load average ${load()})`)
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      flushes: { type: 'string', default: '400' },
      rows: { type: 'string', default: '40' },
      'in-thread': { type: 'boolean', default: false },
    },
  })
  const flushes = Number(args.flushes)
  const rows = Number(args.rows)
  const f = await measureFlush(flushes, rows, args['in-thread'])
  const mode = args['in-thread'] ? 'in-thread' : 'worker'
  console.log(`request-log flush on SQLite (${mode}), ${flushes} flushes of ${rows} row(s)`)
  console.log(`  event loop busy per flush: ${fmt(f.busy)}`)
  console.log(`  main-thread CPU per flush (with the small writes): ${f.cpuPerFlush.toFixed(3)} ms`)
  console.log(`  main-thread small write:   ${fmt(f.mainWrites)}`)
  console.log(`  rows written: ${f.written} of ${(WARMUP + flushes) * rows}`)
  console.log(`  load average: ${load()}`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
