/** The request-log table's optional columns (Time is always shown), in table order. */
export const LOG_COLUMNS = [
  { id: 'account', label: 'Account' },
  { id: 'model', label: 'Model' },
  { id: 'status', label: 'Status' },
  { id: 'tokens', label: 'Tokens' },
  { id: 'cost', label: 'Cost' },
  { id: 'latency', label: 'Latency' },
  { id: 'client', label: 'Client' },
  { id: 'error', label: 'Error' },
] as const
export type LogColumnId = (typeof LOG_COLUMNS)[number]['id']

/**
 * Versioned: a later layout that reads the choice differently takes a new key instead of
 * misreading this one. What is stored is the hidden set, so a column added later starts visible.
 */
export const COLUMNS_STORAGE_KEY = 'codex-lb.request-logs.columns.v1'

const isColumnId = (v: unknown): v is LogColumnId => LOG_COLUMNS.some((c) => c.id === v)

/** The hidden columns saved in this browser; anything unreadable or unknown is ignored. */
export function loadHiddenColumns(storage: Storage | undefined): Set<LogColumnId> {
  try {
    const raw = storage?.getItem(COLUMNS_STORAGE_KEY)
    if (!raw) return new Set()
    const parsed: unknown = JSON.parse(raw)
    const hidden =
      typeof parsed === 'object' && parsed !== null && 'hidden' in parsed ? parsed.hidden : null
    return new Set(Array.isArray(hidden) ? hidden.filter(isColumnId) : [])
  } catch {
    // Storage disabled (private mode) or a value written by hand: fall back to every column.
    return new Set()
  }
}

export function saveHiddenColumns(storage: Storage | undefined, hidden: ReadonlySet<LogColumnId>) {
  try {
    if (hidden.size === 0) storage?.removeItem(COLUMNS_STORAGE_KEY)
    else storage?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify({ hidden: [...hidden] }))
  } catch {
    // A full or disabled storage only means the choice is not remembered.
  }
}
