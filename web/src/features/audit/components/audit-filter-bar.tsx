import { AUDIT_ACTIONS } from '@codex-lb/shared'
import { MultiSelect } from '@/components/multi-select'
import { SearchInput } from '@/components/search-input'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { AUDIT_TIMEFRAMES, type AuditFilters, type AuditTimeframe } from '../filters'
import { actionWords } from '../words'

/** A `datetime-local` value (local wall-clock time) as a UTC instant; null when empty. */
function toIso(local: string): string | null {
  if (!local) return null
  const date = new Date(local)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

function toLocal(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function AuditFilterBar({
  filters,
  update,
  actionsPresent,
}: {
  filters: AuditFilters
  update(patch: Partial<AuditFilters>): void
  /** Actions the log holds; every known one is offered, these first. */
  actionsPresent: string[] | undefined
}) {
  const present = new Set(actionsPresent ?? [])
  const ordered = [
    ...AUDIT_ACTIONS.filter((a) => present.has(a)),
    ...AUDIT_ACTIONS.filter((a) => !present.has(a)),
  ]
  return (
    <div className="flex flex-wrap items-center gap-2">
      <SearchInput
        label="Search the audit log"
        placeholder="Search target, client, details…"
        value={filters.search}
        onValueChange={(search) => update({ search })}
        className="w-full sm:w-64"
      />
      <MultiSelect
        label="Actions"
        options={ordered.map((value) => ({ value, label: actionWords(value), hint: value }))}
        selected={filters.actions}
        onChange={(actions) => update({ actions })}
      />
      <NativeSelect
        aria-label="Outcome"
        value={filters.outcome}
        onChange={(e) => update({ outcome: e.target.value as AuditFilters['outcome'] })}
        className="w-36"
      >
        <option value="all">Any outcome</option>
        <option value="success">Succeeded</option>
        <option value="failure">Failed</option>
      </NativeSelect>
      <NativeSelect
        aria-label="Time range"
        value={filters.timeframe}
        onChange={(e) => update({ timeframe: e.target.value as AuditTimeframe })}
        className="w-40"
      >
        {AUDIT_TIMEFRAMES.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </NativeSelect>
      {filters.timeframe === 'custom' ? (
        <>
          <Input
            type="datetime-local"
            aria-label="From"
            className="w-52"
            value={toLocal(filters.since)}
            max={toLocal(filters.until) || undefined}
            onChange={(e) => update({ since: toIso(e.target.value) })}
          />
          <Input
            type="datetime-local"
            aria-label="To"
            className="w-52"
            value={toLocal(filters.until)}
            min={toLocal(filters.since) || undefined}
            onChange={(e) => update({ until: toIso(e.target.value) })}
          />
        </>
      ) : null}
    </div>
  )
}
