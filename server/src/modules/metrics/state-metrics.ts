import { Gauge, type Registry } from 'prom-client'
import { effectiveStatus, type AccountState } from '../balancer/index.js'

/** Where the scrape-time gauges read from: memory, and at most one balancer snapshot reload. */
export interface MetricSources {
  /** The balancer's snapshot (reloaded at most every few seconds, shared with the proxy). */
  accounts(): Promise<readonly AccountState[]>
  inFlight(): { streams: number; queued: number }
  logWriter(): { pending: number; dropped: number }
  /** null on SQLite (one connection, no pool). */
  databasePool(): { total: number; idle: number; waiting: number } | null
  websocketSessions(): number
  clock(): number
}

const STATUSES = ['active', 'rate_limited', 'quota_exceeded', 'paused', 'deactivated'] as const

/** Gauges set at scrape time from the sources; accounts are labelled by id only (no email). */
export function registerStateMetrics(registry: Registry, sources: MetricSources): void {
  const registers = [registry]
  new Gauge({
    name: 'codex_lb_accounts',
    help: 'Accounts by status as the balancer sees them now',
    labelNames: ['status'],
    registers,
    async collect() {
      const now = sources.clock()
      const counts = new Map<string, number>(STATUSES.map((s) => [s, 0]))
      for (const a of await sources.accounts()) {
        const status = effectiveStatus(a, now).status
        counts.set(status, (counts.get(status) ?? 0) + 1)
      }
      for (const [status, n] of counts) this.set({ status }, n)
    },
  })
  new Gauge({
    name: 'codex_lb_account_status',
    help: "1 for each account's current status (label account_id, status)",
    labelNames: ['account_id', 'status', 'plan'],
    registers,
    async collect() {
      this.reset()
      const now = sources.clock()
      for (const a of await sources.accounts()) {
        const status = effectiveStatus(a, now).status
        this.set({ account_id: a.id, status, plan: a.planType || 'unknown' }, 1)
      }
    },
  })
  new Gauge({
    name: 'codex_lb_account_quota_remaining_percent',
    help: 'Remaining quota per account and window (primary ~5 h, secondary ~weekly)',
    labelNames: ['account_id', 'window'],
    registers,
    async collect() {
      this.reset()
      for (const a of await sources.accounts()) {
        if (a.primaryUsedPercent !== null) {
          this.set({ account_id: a.id, window: 'primary' }, remaining(a.primaryUsedPercent))
        }
        if (a.secondaryUsedPercent !== null) {
          this.set({ account_id: a.id, window: 'secondary' }, remaining(a.secondaryUsedPercent))
        }
      }
    },
  })
  new Gauge({
    name: 'codex_lb_inflight_streams',
    help: 'Upstream streams open now',
    registers,
    collect() {
      this.set(sources.inFlight().streams)
    },
  })
  new Gauge({
    name: 'codex_lb_queue_waiting',
    help: 'Requests waiting for a free stream slot now',
    registers,
    collect() {
      this.set(sources.inFlight().queued)
    },
  })
  new Gauge({
    name: 'codex_lb_websocket_sessions',
    help: 'Client WebSockets open now',
    registers,
    collect() {
      this.set(sources.websocketSessions())
    },
  })
  new Gauge({
    name: 'codex_lb_request_log_pending',
    help: 'Request-log rows queued for the database (the writer backlog)',
    registers,
    collect() {
      this.set(sources.logWriter().pending)
    },
  })
  new Gauge({
    name: 'codex_lb_request_log_dropped',
    help: 'Request-log rows dropped since start because the backlog was full',
    registers,
    collect() {
      this.set(sources.logWriter().dropped)
    },
  })
  new Gauge({
    name: 'codex_lb_db_pool_connections',
    help: 'PostgreSQL pool connections by state (absent on SQLite)',
    labelNames: ['state'],
    registers,
    collect() {
      const pool = sources.databasePool()
      if (!pool) return
      this.set({ state: 'total' }, pool.total)
      this.set({ state: 'idle' }, pool.idle)
      this.set({ state: 'waiting' }, pool.waiting)
    },
  })
}

function remaining(usedPercent: number): number {
  return Math.max(0, Math.min(100, 100 - usedPercent))
}
