import { X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import type { LogFilters } from '../filters'
import { MULTI_FILTERS, type FilterChoices, type MultiFilterKey } from '../filter-choices'

/** Every chosen value as a removable chip, and one Clear all for every filter at once. */
export function FilterChips({
  filters,
  choices,
  onRemove,
  onClearAll,
}: {
  filters: LogFilters
  choices: FilterChoices
  onRemove(key: MultiFilterKey, value: string): void
  onClearAll(): void
}) {
  const chips = MULTI_FILTERS.flatMap((f) =>
    filters[f.key].map((value) => ({
      key: f.key,
      value,
      what: f.one,
      label: choices[f.key].find((c) => c.value === value)?.label ?? value,
    })),
  )
  return (
    <div className="flex flex-wrap items-center gap-1.5" aria-label="Active filters" role="group">
      {chips.map((c) => (
        <span
          key={`${c.key}:${c.value}`}
          className="inline-flex h-7 max-w-72 items-center gap-1 rounded-full border bg-accent/60 pr-1 pl-3 text-xs"
        >
          <span className="text-muted-foreground">{c.what}:</span>
          <span className="truncate font-medium">{c.label}</span>
          <button
            type="button"
            className="rounded-full p-0.5 text-muted-foreground hover:bg-background hover:text-foreground"
            aria-label={`Remove ${c.what}: ${c.label}`}
            onClick={() => onRemove(c.key, c.value)}
          >
            <X className="size-3.5" />
          </button>
        </span>
      ))}
      <Button variant="ghost" size="sm" className="h-7" onClick={onClearAll}>
        Clear all
      </Button>
    </div>
  )
}
