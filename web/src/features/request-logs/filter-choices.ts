import {
  REQUEST_LOG_NO_API_KEY,
  REQUEST_LOG_STATUSES,
  type AccountSummary,
  type RequestLogOptions,
} from '@codex-lb/shared'
import type { MultiSelectOption } from '@/components/multi-select'
import { accountLabel } from '@/features/accounts'
import { modelOptionLabel, modelOptionValue, type LogFilters } from './filters'
import { LOG_STATUS_META } from './components/status-chip'

/** The multi-select filters, in the order the bar shows them. */
export const MULTI_FILTERS = [
  { key: 'accountIds', label: 'Accounts', one: 'Account' },
  { key: 'modelOptions', label: 'Models', one: 'Model' },
  { key: 'statuses', label: 'Statuses', one: 'Status' },
  { key: 'apiKeyIds', label: 'API keys', one: 'API key' },
] as const
export type MultiFilterKey = (typeof MULTI_FILTERS)[number]['key']

export type FilterChoices = Record<MultiFilterKey, MultiSelectOption[]>

function accountChoice(id: string, accounts: Map<string, AccountSummary> | undefined) {
  const account = accounts?.get(id)
  // Logs outlive their accounts: an id the account list no longer has is a deleted one.
  if (!account) return { value: id, label: accounts ? 'Deleted account' : id, hint: id }
  const label = accountLabel(account)
  return { value: id, label, ...(label !== account.email ? { hint: account.email } : {}) }
}

const union = (seen: string[], chosen: string[]) => [...new Set([...seen, ...chosen])]

/**
 * What each filter offers: the values seen in the range, plus any already chosen (from a link or a
 * range that moved) so they stay visible and removable, each with a readable label.
 */
export function filterChoices(
  options: RequestLogOptions | undefined,
  accounts: Map<string, AccountSummary> | undefined,
  filters: LogFilters,
): FilterChoices {
  const models = (options?.modelOptions ?? []).map((o) =>
    modelOptionValue(o.model, o.reasoningEffort),
  )
  const keyNames = new Map((options?.apiKeys ?? []).map((k) => [k.id, k.name ?? null]))
  const keyIds = union(
    [...keyNames.keys(), ...(options?.noApiKey ? [REQUEST_LOG_NO_API_KEY] : [])],
    filters.apiKeyIds,
  )
  return {
    accountIds: union(options?.accountIds ?? [], filters.accountIds).map((id) =>
      accountChoice(id, accounts),
    ),
    modelOptions: union(models, filters.modelOptions).map((value) => ({
      value,
      label: modelOptionLabel(value),
    })),
    statuses: REQUEST_LOG_STATUSES.map((s) => ({
      value: s,
      label: LOG_STATUS_META[s]?.label ?? s,
    })),
    apiKeyIds: keyIds.map((id) => {
      if (id === REQUEST_LOG_NO_API_KEY) return { value: id, label: 'No key' }
      // In the range without a name: deleted since. Not in the range at all: only its id is known.
      const name = keyNames.get(id)
      const label = name ?? (keyNames.has(id) ? 'Deleted key' : `Key ${id.slice(0, 8)}`)
      return { value: id, label, hint: id }
    }),
  }
}
