import { asRecord, toNumber } from '../../lib/json.js'
import type { NewUsageRow } from '../../db/schema.js'

export interface ParsedUsage {
  rows: NewUsageRow[]
  planType: string | undefined
}

/**
 * The `/wham/usage` body (reference §2.4) as usage_history rows: one per present window; the
 * primary row carries the credits. `reset_at` falls back to now + `reset_after_seconds`.
 */
export function usageRows(accountId: string, body: unknown, now: number): ParsedUsage {
  const root = asRecord(body)
  const rateLimit = asRecord(root?.['rate_limit'])
  const credits = asRecord(root?.['credits'])
  const plan = root?.['plan_type']
  const rows: NewUsageRow[] = []
  for (const window of ['primary', 'secondary'] as const) {
    const w = asRecord(rateLimit?.[`${window}_window`])
    const used = toNumber(w?.['used_percent'])
    if (!w || used === undefined) continue
    const resetAt = toNumber(w['reset_at'])
    const resetAfter = toNumber(w['reset_after_seconds'])
    const seconds = toNumber(w['limit_window_seconds'])
    const row: NewUsageRow = {
      account_id: accountId,
      recorded_at: now,
      window,
      used_percent: used,
      reset_at:
        resetAt !== undefined
          ? resetAt * 1000
          : resetAfter !== undefined
            ? now + resetAfter * 1000
            : null,
      window_minutes:
        seconds !== undefined && seconds > 0 ? Math.max(1, Math.ceil(seconds / 60)) : null,
      credits_has: null,
      credits_unlimited: null,
      credits_balance: null,
    }
    if (window === 'primary' && credits) {
      row.credits_has = credits['has_credits'] === true ? 1 : 0
      row.credits_unlimited = credits['unlimited'] === true ? 1 : 0
      row.credits_balance = toNumber(credits['balance']) ?? null
    }
    rows.push(row)
  }
  return { rows, planType: typeof plan === 'string' && plan ? plan : undefined }
}

/** Message of an upstream error body (reference §2.4 extraction order). */
export function usageErrorMessage(status: number, body: unknown): string {
  const root = asRecord(body)
  const error = root?.['error']
  const inner = asRecord(error)
  const pick = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  const message =
    (inner && (pick(inner['message']) ?? pick(inner['error_description']))) ??
    (typeof error === 'string' ? (pick(root?.['error_description']) ?? error) : undefined) ??
    pick(root?.['message']) ??
    (typeof body === 'string' ? pick(body.trim().slice(0, 300)) : undefined)
  return message ?? `Usage fetch failed (${status})`
}

/**
 * A WebSocket `codex.rate_limits` event (`rate_limits.primary|secondary` with `used_percent`,
 * `window_minutes`, `reset_at` in seconds) in the `/wham/usage` shape `usageRows` reads.
 */
export function rateLimitsAsUsage(event: Record<string, unknown>): Record<string, unknown> {
  const limits = asRecord(event['rate_limits'])
  const window = (w: unknown) => {
    const r = asRecord(w)
    if (!r) return undefined
    const minutes = toNumber(r['window_minutes'])
    return {
      used_percent: r['used_percent'],
      reset_at: r['reset_at'],
      ...(minutes !== undefined ? { limit_window_seconds: minutes * 60 } : {}),
    }
  }
  return {
    plan_type: event['plan_type'],
    rate_limit: {
      primary_window: window(limits?.['primary']),
      secondary_window: window(limits?.['secondary']),
    },
    credits: event['credits'],
  }
}
