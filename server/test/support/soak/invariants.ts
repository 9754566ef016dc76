import type { Kysely } from 'kysely'
import type { Database } from '../../../src/db/index.js'
import type { FakeUpstream } from '../fake-upstream.js'

const ATTEMPT_PATHS = ['/backend-api/codex/responses', '/backend-api/codex/responses/compact']

export interface Ledger {
  /** Upstream attempts the fake received: HTTP requests and WebSocket turns. */
  httpAttempts: number
  wsTurns: number
  /** Request-log rows of attempts (an account), and of requests no account could take. */
  attemptRows: number
  unservedRows: number
  /** HTTP attempts (x-request-id × account) with no row, or with more than one. */
  missingRows: string[]
  duplicateRows: string[]
  /**
   * Rows of HTTP attempts the fake never read: the client went away while codex-lb was still
   * sending the request, so the fake dropped it unread. Anything else here is a stray row.
   */
  unreadAttempts: number
  strayRows: string[]
  /** WebSocket rows of turns the fake never received (the client left before codex-lb sent it). */
  unsentTurns: number
  /** Per account: attempts received (HTTP + WebSocket) vs rows, where they differ. */
  accountMismatches: string[]
}

/** Every upstream attempt the fake saw against the request-log rows (one each, no more). */
export async function attemptLedger(db: Kysely<Database>, fake: FakeUpstream): Promise<Ledger> {
  const emails = new Map(
    (await db.selectFrom('accounts').select(['id', 'email']).execute()).map((a) => [a.id, a.email]),
  )
  const rows = await db
    .selectFrom('request_logs')
    .select(['request_id', 'account_id', 'transport', 'error_code'])
    .execute()
  const http = fake.requests.filter(
    (r) => r.method === 'POST' && ATTEMPT_PATHS.includes(r.path) && r.account,
  )
  const turns = fake.ws.turns.filter((t) => !t.prewarm)
  const attempts = new Map<string, number>()
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)
  for (const r of http) bump(attempts, `${r.headers['x-request-id']}|${r.account!.email}`)
  const turnsPerAccount = new Map<string, number>()
  for (const t of turns) bump(turnsPerAccount, t.account.email)

  const rowKeys = new Map<string, { count: number; code: string | null }>()
  const wsRows = new Map<string, number>()
  const wsClosedRows = new Map<string, number>()
  let unservedRows = 0
  for (const row of rows) {
    if (row.account_id === null) {
      unservedRows += 1
      continue
    }
    const email = emails.get(row.account_id) ?? row.account_id
    if (row.transport === 'websocket') {
      bump(wsRows, email)
      if (row.error_code === 'client_closed') bump(wsClosedRows, email)
      continue
    }
    const key = `${row.request_id}|${email}`
    const seen = rowKeys.get(key)
    rowKeys.set(key, { count: (seen?.count ?? 0) + 1, code: row.error_code })
  }
  const missingRows: string[] = []
  const duplicateRows: string[] = []
  for (const [key, count] of attempts) {
    const row = rowKeys.get(key)
    if (!row) missingRows.push(key)
    else if (row.count !== count) duplicateRows.push(`${key} ×${row.count} for ${count}`)
  }
  let unreadAttempts = 0
  const strayRows: string[] = []
  for (const [key, row] of rowKeys) {
    if (attempts.has(key)) continue
    if (row.code === 'client_closed') unreadAttempts += row.count
    else strayRows.push(`${key} (${row.code})`)
  }
  // Turns carry no request id upstream, so WebSocket rows are checked per account: every turn the
  // fake received has its row, and rows beyond them are only of turns the client left before
  // codex-lb sent them (client_closed).
  const accountMismatches: string[] = []
  let unsentTurns = 0
  for (const email of new Set([...turnsPerAccount.keys(), ...wsRows.keys()])) {
    const got = turnsPerAccount.get(email) ?? 0
    const logged = wsRows.get(email) ?? 0
    const closed = wsClosedRows.get(email) ?? 0
    if (logged < got || logged - closed > got) {
      accountMismatches.push(`${email}: ${got} turns, ${logged} rows (${closed} client_closed)`)
    } else unsentTurns += logged - got
  }
  return {
    httpAttempts: http.length,
    wsTurns: turns.length,
    attemptRows: rows.length - unservedRows,
    unservedRows,
    missingRows,
    duplicateRows,
    unreadAttempts,
    strayRows,
    unsentTurns,
    accountMismatches,
  }
}

export interface Reservations {
  byStatus: Record<string, number>
  /** Still `reserved` or `settling`. */
  open: number
  /** The first few open ones: id, status, created and updated (epoch ms), to place them in the run. */
  openSample: string[]
  /** Limits whose counter differs from the sum of their settled items. */
  counterMismatches: string[]
}

/** Every reservation settled or released, and each limit's counter the sum of what settled. */
export async function reservationLedger(db: Kysely<Database>): Promise<Reservations> {
  const statuses = await db
    .selectFrom('api_key_usage_reservations')
    .select(['status', db.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]))
  const limits = await db.selectFrom('api_key_limits').select(['id', 'current_value']).execute()
  const sums = await db
    .selectFrom('api_key_usage_reservation_items')
    .select(['limit_id', db.fn.sum<number>('actual_delta').as('total')])
    .groupBy('limit_id')
    .execute()
  const settled = new Map(sums.map((s) => [s.limit_id, Number(s.total ?? 0)]))
  const counterMismatches = limits
    .filter((l) => Number(l.current_value) !== (settled.get(l.id) ?? 0))
    .map((l) => `limit ${l.id}: counter ${l.current_value}, settled ${settled.get(l.id) ?? 0}`)
  const openRows = await db
    .selectFrom('api_key_usage_reservations')
    .select(['id', 'status', 'created_at', 'updated_at'])
    .where('status', 'in', ['reserved', 'settling'])
    .limit(5)
    .execute()
  return {
    byStatus,
    openSample: openRows.map((r) => `${r.id} ${r.status} ${r.created_at} ${r.updated_at}`),
    open: (byStatus['reserved'] ?? 0) + (byStatus['settling'] ?? 0),
    counterMismatches,
  }
}
