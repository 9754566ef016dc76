import type { SoakResult } from './soak-run.js'

function tally<T>(items: T[], key: (t: T) => string): string {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

function byKind(r: SoakResult): string {
  const kinds = [...new Set(r.outcomes.map((x) => x.op))]
  return kinds
    .map((kind) => {
      const ms = r.outcomes
        .filter((x) => x.op === kind && x.ending === 'completed')
        .map((x) => x.ms)
        .sort((a, b) => a - b)
      return `${kind} ${percentile(ms, 50).toFixed(0)} ms`
    })
    .join(', ')
}

const mb = (n: number) => `${n.toFixed(0)} MB`

/** The run's figures as one readable block (printed by the test, copied into the README). */
export function formatFigures(r: SoakResult): string {
  const o = r.options
  const s = (r.wallMs / 1000).toFixed(1)
  const rate = (r.outcomes.length / (r.wallMs / 1000)).toFixed(0)
  const done = r.outcomes
    .filter((x) => x.ending === 'completed')
    .map((x) => x.ms)
    .sort((a, b) => a - b)
  const all = r.outcomes.map((x) => x.ms).sort((a, b) => a - b)
  const l = r.ledger
  const res = r.reservations
  const outage =
    o.dialect === 'postgres'
      ? 'PostgreSQL TCP hop cut'
      : 'SQLite write lock held by another process'
  const faults = Object.entries(r.upstreamFaults)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ')
  return [
    `codex-lb soak on ${o.dialect}, seed ${o.seed}`,
    `requests      ${r.outcomes.length} at concurrency ${o.concurrency}, ${o.accounts} accounts, in ${s} s (${rate}/s)`,
    `  by kind     ${tally(r.outcomes, (x) => x.op)}`,
    `  client      ${tally(r.outcomes, (x) => x.fault)}`,
    `  endings     ${tally(r.outcomes, (x) => x.ending)}`,
    `  errors      ${
      tally(
        r.outcomes.filter((x) => x.ending === 'error-answer'),
        (x) => `${x.status} ${x.internal ? 'internal' : (x.code ?? '-')}`,
      ) || 'none'
    }`,
    `upstream      ${l.httpAttempts + l.wsTurns} attempts (${l.httpAttempts} HTTP, ${l.wsTurns} WebSocket turns)`,
    `  faults      ${faults}`,
    `log rows      ${l.attemptRows} for attempts + ${l.unservedRows} unserved; ${l.unreadAttempts} HTTP attempts and ${l.unsentTurns} turns the client left before the fake read them`,
    `  ledger      missing ${l.missingRows.length}, duplicate ${l.duplicateRows.length}, stray ${l.strayRows.length}, account mismatches ${l.accountMismatches.length}`,
    `reservations  ${tally(
      Object.entries(res.byStatus).flatMap(([k, n]) => Array<string>(n).fill(k)),
      (x) => x,
    )}; open ${res.open}; counters = settled sums: ${res.counterMismatches.length === 0 ? 'yes' : 'NO'}`,
    `database      ${r.outages.length} outage(s) of ${(o.outageMs / 1000).toFixed(1)} s (${outage})`,
    `memory (RSS)  after warm-up (${o.warmup} requests) ${mb(r.rssWarmMb)}, after the run ${mb(r.rssEndMb)}, peak ${mb(r.rssPeakMb)}`,
    `  by tenth    ${r.rssByTenth.map((m) => m.toFixed(0)).join(' ')} MB`,
    `latency       completed p50 ${percentile(done, 50).toFixed(0)} ms, p99 ${percentile(done, 99).toFixed(0)} ms; all p50 ${percentile(all, 50).toFixed(0)} ms, p99 ${percentile(all, 99).toFixed(0)} ms`,
    `  p50 by kind ${byKind(r)}`,
    `process       started in ${(r.startMs / 1000).toFixed(1)} s (${r.startup}); ${r.crashed ? 'CRASHED' : 'alive'} at the end; exit ${r.exitCode} after SIGTERM; drained in ${(r.drainMs / 1000).toFixed(1)} s; ${r.errorLines} error log lines, ${r.serverFaults.length} fatal/uncaught, ${r.nodeWarnings.length} Node warnings`,
  ].join('\n')
}
