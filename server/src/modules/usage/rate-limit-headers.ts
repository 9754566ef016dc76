import { toNumber } from '../../lib/json.js'

type Headers = Record<string, string | string[] | undefined>

function header(h: Headers, name: string): string | undefined {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

function flag(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined
  const s = v.trim().toLowerCase()
  return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined
}

function window(h: Headers, name: 'primary' | 'secondary') {
  const used = toNumber(header(h, `x-codex-${name}-used-percent`))
  if (used === undefined) return undefined
  const minutes = toNumber(header(h, `x-codex-${name}-window-minutes`))
  const resetAt = toNumber(header(h, `x-codex-${name}-reset-at`))
  const resetAfter = toNumber(header(h, `x-codex-${name}-reset-after-seconds`))
  return {
    used_percent: used,
    ...(resetAt !== undefined ? { reset_at: resetAt } : {}),
    ...(resetAfter !== undefined ? { reset_after_seconds: resetAfter } : {}),
    ...(minutes !== undefined ? { limit_window_seconds: minutes * 60 } : {}),
  }
}

/**
 * The upstream's `x-codex-*` rate-limit headers on a proxied response (the same names codex-lb
 * writes for its clients) in the `/wham/usage` shape `usageRows` reads; undefined when the
 * response carries no window. Reset times are Unix seconds (`reset-at`) or seconds from now.
 */
export function headersAsUsage(h: Headers): Record<string, unknown> | undefined {
  const primary = window(h, 'primary')
  const secondary = window(h, 'secondary')
  if (!primary && !secondary) return undefined
  const hasCredits = flag(header(h, 'x-codex-credits-has-credits'))
  const unlimited = flag(header(h, 'x-codex-credits-unlimited'))
  const credits =
    hasCredits === undefined && unlimited === undefined
      ? undefined
      : {
          has_credits: hasCredits ?? false,
          unlimited: unlimited ?? false,
          balance: header(h, 'x-codex-credits-balance') ?? null,
        }
  return { rate_limit: { primary_window: primary, secondary_window: secondary }, credits }
}
