import type { ReportGroupBy } from '@codex-lb/shared'
import type { ReportsRepository } from './repository.js'

export interface GroupLabel {
  label: string
  /** The row names a key or account that no longer exists. */
  deleted: boolean
}

const NONE: Record<ReportGroupBy, string> = {
  apiKey: 'No API key',
  account: 'No account',
  model: 'No model',
}

const DELETED: Record<ReportGroupBy, string> = {
  apiKey: 'Deleted API key',
  account: 'Deleted account',
  model: 'Deleted model',
}

/**
 * How each group is named: the key's name, the account's alias or email, the model itself. Logs
 * outlive keys and accounts, so a vanished one is named as deleted (with its id's start, to tell
 * two apart); rows without a key or account (open proxy, overflow, refused early) get their own.
 */
export async function groupLabels(
  repo: ReportsRepository,
  groupBy: ReportGroupBy,
  keys: ReadonlyArray<string | null>,
): Promise<Map<string | null, GroupLabel>> {
  const ids = keys.filter((k): k is string => k !== null)
  const names =
    groupBy === 'apiKey'
      ? await repo.apiKeyNames(ids)
      : groupBy === 'account'
        ? await repo.accountNames(ids)
        : new Map(ids.map((m) => [m, m]))
  return new Map(
    keys.map((key): [string | null, GroupLabel] => {
      if (key === null) return [key, { label: NONE[groupBy], deleted: false }]
      const name = names.get(key)
      if (name !== undefined) return [key, { label: name, deleted: false }]
      return [key, { label: `${DELETED[groupBy]} (${key.slice(0, 8)})`, deleted: true }]
    }),
  )
}
