import type { UsageOptions, UsageWindowOptions } from './types.js'

const ALL_PLANS = ['plus', 'pro', 'team', 'business', 'enterprise', 'edu']

function model(slug: string, displayName: string, extra: Record<string, unknown> = {}) {
  return {
    slug,
    display_name: displayName,
    description: `${displayName} (fake upstream)`,
    context_window: 272000,
    input_modalities: ['text', 'image'],
    supported_reasoning_levels: [
      { effort: 'low', description: 'Fast responses with lighter reasoning' },
      { effort: 'medium', description: 'Balances speed and reasoning depth' },
      { effort: 'high', description: 'Greater reasoning depth for complex problems' },
    ],
    default_reasoning_level: 'medium',
    supports_reasoning_summaries: true,
    support_verbosity: true,
    default_verbosity: 'low',
    prefer_websockets: false,
    supports_parallel_tool_calls: true,
    supported_in_api: true,
    minimal_client_version: '0.98.0',
    priority: 1,
    available_in_plans: ALL_PLANS,
    base_instructions: 'You are Codex, a coding agent. (fake base instructions)',
    ...extra,
  }
}

/**
 * `GET /backend-api/codex/models` entries (reference original-proxy §2.5). `codex-auto-review` is
 * internal (`supported_in_api: false`) and must be hidden by the proxy's model lists.
 */
export function defaultModels(): Array<Record<string, unknown>> {
  return [
    model('gpt-6.1-sol', 'GPT-6.1 Sol', { priority: 0 }),
    model('gpt-5.5', 'GPT-5.5', { priority: 1 }),
    model('gpt-5-codex', 'GPT-5 Codex', {
      priority: 2,
      input_modalities: ['text'],
      available_in_plans: ['pro', 'team', 'business', 'enterprise'],
    }),
    model('codex-auto-review', 'Codex Auto Review', {
      priority: 9,
      supported_in_api: false,
      supports_parallel_tool_calls: false,
    }),
  ]
}

const PRIMARY_WINDOW = 5 * 3600
const SECONDARY_WINDOW = 7 * 24 * 3600

function usageWindow(
  used: number | undefined,
  opts: Partial<UsageWindowOptions> | undefined,
  defaultWindow: number,
  now: number,
) {
  const limit = opts?.limitWindowSeconds ?? defaultWindow
  const after =
    opts?.resetAfterSeconds ?? (opts?.resetAt === undefined ? limit : opts.resetAt - now)
  return {
    used_percent: opts?.usedPercent ?? used ?? 0,
    limit_window_seconds: limit,
    reset_after_seconds: after,
    reset_at: opts?.resetAt ?? now + after,
  }
}

/** `GET /backend-api/wham/usage` JSON (reference original-proxy §2.4); `null` windows are left out. */
export function usageBody(planType: string, opts: UsageOptions, nowMs = Date.now()) {
  const now = Math.floor(nowMs / 1000)
  const rateLimit: Record<string, unknown> = { allowed: true, limit_reached: false }
  if (opts.primary !== null) {
    rateLimit.primary_window = usageWindow(
      opts.primaryUsedPercent,
      opts.primary,
      PRIMARY_WINDOW,
      now,
    )
  }
  if (opts.secondary !== null) {
    rateLimit.secondary_window = usageWindow(
      opts.secondaryUsedPercent,
      opts.secondary,
      SECONDARY_WINDOW,
      now,
    )
  }
  const credits =
    opts.credits === null
      ? null
      : {
          has_credits: opts.credits?.hasCredits ?? false,
          unlimited: opts.credits?.unlimited ?? false,
          balance: opts.credits?.balance ?? '0',
        }
  return { plan_type: opts.planType ?? planType, rate_limit: rateLimit, credits }
}
