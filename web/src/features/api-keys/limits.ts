import type { LimitRule, LimitRuleInput, LimitType, LimitWindow } from '@codex-lb/shared'
import { formatCompact, formatUsd } from '@/lib/format'

/** Editor row: `max` is what the user typed (USD for cost rules, tokens otherwise). */
export interface LimitDraft {
  key: string
  limitType: LimitType
  limitWindow: LimitWindow
  max: string
  modelFilter: string
}

export const LIMIT_TYPE_LABELS: Record<LimitType, string> = {
  total_tokens: 'Total tokens',
  input_tokens: 'Input tokens',
  output_tokens: 'Output tokens',
  cost_usd: 'Cost (USD)',
}

export const LIMIT_WINDOW_LABELS: Record<LimitWindow, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly (30 days)',
}

// Cost limits travel as micro-dollars (1 USD = 1,000,000) on the wire.
const MICRO = 1_000_000

let draftCounter = 0
export function newDraft(partial: Partial<LimitDraft> = {}): LimitDraft {
  draftCounter += 1
  return {
    key: `rule-${draftCounter}`,
    limitType: 'total_tokens',
    limitWindow: 'weekly',
    max: '',
    modelFilter: '',
    ...partial,
  }
}

export function draftFromRule(rule: LimitRule): LimitDraft {
  const max = rule.limitType === 'cost_usd' ? rule.maxValue / MICRO : rule.maxValue
  return newDraft({
    limitType: rule.limitType,
    limitWindow: rule.limitWindow,
    max: String(max),
    modelFilter: rule.modelFilter ?? '',
  })
}

/** Rows with an empty or non-positive max are dropped (an unfinished row is not a rule). */
export function draftsToRules(drafts: LimitDraft[]): LimitRuleInput[] {
  const rules: LimitRuleInput[] = []
  for (const d of drafts) {
    const value = Number(d.max)
    if (!Number.isFinite(value) || value <= 0) continue
    const maxValue = Math.round(d.limitType === 'cost_usd' ? value * MICRO : value)
    if (maxValue < 1) continue
    rules.push({
      limitType: d.limitType,
      limitWindow: d.limitWindow,
      maxValue,
      modelFilter: d.modelFilter.trim() || null,
    })
  }
  return rules
}

function ruleKey(r: LimitRuleInput): string {
  return [r.limitType, r.limitWindow, r.modelFilter ?? '', r.maxValue].join('|')
}

/**
 * PATCH with `limits` replaces the rule set, and a changed identity restarts that rule's usage, so the
 * edit dialog sends `limits` only when the normalised set actually differs.
 */
export function sameRules(a: LimitRuleInput[], b: LimitRuleInput[]): boolean {
  const ka = a.map(ruleKey).sort()
  const kb = b.map(ruleKey).sort()
  return ka.length === kb.length && ka.every((k, i) => k === kb[i])
}

export function rulesFromKey(rules: LimitRule[]): LimitRuleInput[] {
  return rules.map((r) => ({
    limitType: r.limitType,
    limitWindow: r.limitWindow,
    maxValue: r.maxValue,
    modelFilter: r.modelFilter ?? null,
  }))
}

export function formatLimitValue(type: LimitType, value: number): string {
  return type === 'cost_usd' ? formatUsd(value / MICRO) : formatCompact(value)
}

const SHORT_TYPE: Record<LimitType, string> = {
  total_tokens: 'tokens',
  input_tokens: 'input tokens',
  output_tokens: 'output tokens',
  cost_usd: 'cost',
}

const SHORT_WINDOW: Record<LimitWindow, string> = {
  daily: 'Daily',
  weekly: 'Weekly',
  monthly: 'Monthly',
}

export function limitTitle(
  rule: Pick<LimitRule, 'limitType' | 'limitWindow' | 'modelFilter'>,
): string {
  const base = `${SHORT_WINDOW[rule.limitWindow]} ${SHORT_TYPE[rule.limitType]}`
  return rule.modelFilter ? `${base} · ${rule.modelFilter}` : base
}
