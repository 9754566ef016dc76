import type { ApiKey } from '@codex-lb/shared'

/** The policy as the dialog edits it: lists empty for "no restriction", the cap as typed. */
export interface PolicyDraft {
  efforts: string[]
  tiers: string[]
  accounts: string[]
  cap: string
}

type PolicyBody = {
  allowedReasoningEfforts?: string[] | null
  allowedServiceTiers?: string[] | null
  allowedAccountIds?: string[] | null
  maxConcurrentRequests?: number | null
}

export function draftFromKey(key: ApiKey | null): PolicyDraft {
  return {
    efforts: key?.allowedReasoningEfforts ?? [],
    tiers: key?.allowedServiceTiers ?? [],
    accounts: key?.allowedAccountIds ?? [],
    cap: key?.maxConcurrentRequests == null ? '' : String(key.maxConcurrentRequests),
  }
}

const list = (values: string[]) => (values.length ? values : null)
/** Blank is "no cap"; anything else goes as typed, so the server's 422 names a bad value. */
const cap = (text: string) => (text.trim() === '' ? null : Number(text))
const same = (a: readonly string[] | null, b: readonly string[] | null) =>
  [...(a ?? [])].sort().join('\n') === [...(b ?? [])].sort().join('\n')

/**
 * The policy fields to send: on create only the restrictions set, on edit only those that changed
 * (so an unrelated edit leaves the key's policy untouched).
 */
export function policyBody(draft: PolicyDraft, before: ApiKey | null): PolicyBody {
  const next = {
    allowedReasoningEfforts: list(draft.efforts),
    allowedServiceTiers: list(draft.tiers),
    allowedAccountIds: list(draft.accounts),
    maxConcurrentRequests: cap(draft.cap),
  }
  const out: PolicyBody = {}
  const keys = ['allowedReasoningEfforts', 'allowedServiceTiers', 'allowedAccountIds'] as const
  for (const k of keys) {
    if (before ? !same(next[k], before[k] ?? null) : next[k] !== null) out[k] = next[k]
  }
  const capBefore = before?.maxConcurrentRequests ?? null
  if (before ? next.maxConcurrentRequests !== capBefore : next.maxConcurrentRequests !== null) {
    out.maxConcurrentRequests = next.maxConcurrentRequests
  }
  return out
}
