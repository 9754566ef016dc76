import { openDatabase } from '../../../src/db/index.js'
import type { Outcome } from './client-ops.js'
import { drive } from './driver.js'
import { attemptLedger, reservationLedger, type Ledger, type Reservations } from './invariants.js'
import { Prng } from './prng.js'
import { startSoakServer, type SoakDialect } from './soak-server.js'
import { UpstreamFaultPlan } from './upstream-faults.js'

export interface SoakOptions {
  dialect: SoakDialect
  requests: number
  concurrency: number
  seed: number
  accounts: number
  /** How long each database outage lasts, and after which share of the run each one starts. */
  outageMs: number
  outagesAt: number[]
  /** Requests before the warm-up memory reading. */
  warmup: number
}

export interface SoakResult {
  options: SoakOptions
  outcomes: Outcome[]
  ledger: Ledger
  reservations: Reservations
  upstreamFaults: Record<string, number>
  outages: Array<[number, number]>
  rssWarmMb: number
  rssEndMb: number
  rssPeakMb: number
  rssByTenth: number[]
  /** Spawning the server, importing accounts, creating keys. */
  startMs: number
  startup: string
  wallMs: number
  drainMs: number
  exitCode: number | null
  /** Lines the server logged at error level (JSON logs): expected while the database is away. */
  errorLines: number
  /** Distinct error messages the server logged (message and error, first 10). */
  errorSamples: string[]
  /** Fatal lines, uncaught or unhandled errors, and anything else not JSON: never expected. */
  serverFaults: string[]
  /** Node's own warnings on stderr (e.g. a library's DeprecationWarning): reported, not failed. */
  nodeWarnings: string[]
  crashed: boolean
}

const IDLE_TIMEOUT_SECONDS = 1
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function levelOf(line: string): number | undefined {
  try {
    return (JSON.parse(line) as { level?: number }).level
  } catch {
    return undefined
  }
}

/** An error line's message and error text, without the stack. */
function summary(line: string): string {
  const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } }
  return `${entry.msg ?? ''}: ${entry.err?.message ?? ''}`
}

const NODE_WARNING = /^\(node:\d+\) \w*Warning: |^\(Use `node --trace-/

function logLines(text: string): {
  errors: number
  errorLines: string[]
  faults: string[]
  warnings: string[]
} {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  const warnings = lines.filter((line) => NODE_WARNING.test(line))
  const faults = lines.filter((line) => {
    if (NODE_WARNING.test(line)) return false
    const level = levelOf(line)
    return level === undefined || level >= 60 || /uncaught|unhandled/i.test(line)
  })
  const errorLines = lines.filter((line) => levelOf(line) === 50)
  return { errors: errorLines.length, errorLines, faults, warnings }
}

/** One soak run: start, warm up, drive the load with faults, drain, stop, then read the ledgers. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const booting = performance.now()
  const server = await startSoakServer({
    dialect: options.dialect,
    accounts: options.accounts,
    streamIdleTimeoutSeconds: IDLE_TIMEOUT_SECONDS,
  })
  try {
    const rng = new Prng(options.seed)
    // A request tries an account at most once: enough for one account to take them all.
    const perAccount = options.requests + 10
    const plan = new UpstreamFaultPlan(
      server.fake,
      server.accounts,
      rng,
      perAccount,
      (IDLE_TIMEOUT_SECONDS + 1.5) * 1000,
    )
    let rssWarmMb = 0
    let rssPeakMb = 0
    /** RSS after each tenth of the run: a leak climbs all the way, a warming heap levels off. */
    const rssByTenth: number[] = []
    const outageStarts = options.outagesAt.map((share) => Math.floor(share * options.requests))
    const outages: Array<Promise<void>> = []
    const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, server.rssMb())), 500)
    const started = performance.now()
    const startMs = started - booting
    const outcomes = await drive({
      requests: options.requests,
      concurrency: options.concurrency,
      seed: options.seed,
      keys: server.keys,
      url: server.url,
      hangMs: 30_000,
      progress: (finished) => {
        if (rssWarmMb === 0 && finished >= options.warmup) rssWarmMb = server.rssMb()
        if (finished >= ((rssByTenth.length + 1) * options.requests) / 10) {
          rssByTenth.push(server.rssMb())
        }
        while (outageStarts.length > 0 && finished >= outageStarts[0]!) {
          outageStarts.shift()
          outages.push(server.outage(options.outageMs))
        }
      },
    })
    await Promise.all(outages)
    const wallMs = performance.now() - started
    clearInterval(sampler)

    // Drain: the writer and the settlement retries catch up with the database, then a clean stop.
    const database = await openDatabase(server.database)
    const drainStart = performance.now()
    try {
      for (let stable = 0, last = ''; stable < 3 && performance.now() - drainStart < 60_000;) {
        await sleep(500)
        const [ledger, res] = [
          await attemptLedger(database.db, server.fake),
          await reservationLedger(database.db),
        ]
        const now = JSON.stringify([ledger.attemptRows, ledger.unservedRows, res.byStatus])
        stable = now === last && res.open === 0 ? stable + 1 : 0
        last = now
      }
      const drainMs = performance.now() - drainStart
      const rssEndMb = server.rssMb()
      const crashed = server.proc.child.exitCode !== null
      server.proc.child.kill('SIGTERM')
      const exitCode = await server.proc.exit
      const logs = logLines(server.proc.out() + server.proc.err())
      return {
        options,
        outcomes,
        ledger: await attemptLedger(database.db, server.fake),
        reservations: await reservationLedger(database.db),
        upstreamFaults: plan.played(),
        outages: server.outageWindows,
        rssWarmMb,
        rssEndMb,
        rssPeakMb: Math.max(rssPeakMb, rssEndMb),
        rssByTenth,
        startMs,
        startup: server.startup,
        wallMs,
        drainMs,
        exitCode,
        errorLines: logs.errors,
        errorSamples: [...new Set(logs.errorLines.map(summary))].slice(0, 10),
        serverFaults: logs.faults,
        nodeWarnings: logs.warnings,
        crashed,
      }
    } finally {
      await database.close()
    }
  } finally {
    await server.close()
  }
}
