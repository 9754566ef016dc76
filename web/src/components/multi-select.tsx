import { ChevronDown } from 'lucide-react'
import { useMemo, useState } from 'react'
import { SearchInput } from '@/components/search-input'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { cn } from '@/lib/utils'

export interface MultiSelectOption {
  value: string
  label: string
  /** A second line, also searched (an email under an alias, an id under a name). */
  hint?: string
}

/**
 * A filter that takes several values: a button showing how many are chosen, opening a searchable
 * checkbox list with its own Clear. Chosen values the options no longer list (an old link, a range
 * that moved) stay listed, so they can be seen and unticked.
 */
export function MultiSelect({
  label,
  options,
  selected,
  onChange,
  className,
}: {
  /** Plural noun, e.g. "Accounts": the button's text and the list's accessible name. */
  label: string
  options: MultiSelectOption[]
  selected: string[]
  onChange(values: string[]): void
  className?: string
}) {
  const [query, setQuery] = useState('')
  const chosen = useMemo(() => new Set(selected), [selected])
  const all = useMemo((): MultiSelectOption[] => {
    const known = new Set(options.map((o) => o.value))
    const stray = selected.filter((v) => !known.has(v)).map((value) => ({ value, label: value }))
    return [...options, ...stray]
  }, [options, selected])
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase()
    if (!q) return all
    return all.filter((o) => `${o.label}\n${o.hint ?? ''}`.toLowerCase().includes(q))
  }, [all, query])

  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...selected, value] : selected.filter((v) => v !== value))

  return (
    <Popover onOpenChange={(open) => open || setQuery('')}>
      <PopoverTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          className={cn('justify-between', className)}
          aria-label={selected.length ? `${label}: ${selected.length} selected` : label}
        >
          <span className="truncate">{label}</span>
          {selected.length ? (
            <Badge variant="secondary" className="rounded-sm px-1.5 tabular-nums">
              {selected.length}
            </Badge>
          ) : null}
          <ChevronDown className="opacity-60" />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-72 p-0">
        <div className="border-b p-2">
          <SearchInput
            label={`Search ${label.toLowerCase()}`}
            placeholder="Search"
            value={query}
            onValueChange={setQuery}
          />
        </div>
        <ul
          aria-label={label}
          className="max-h-64 overflow-y-auto p-1"
          data-testid="multi-select-list"
        >
          {shown.map((o) => (
            <li key={o.value}>
              <label className="flex cursor-pointer items-start gap-2 rounded-sm px-2 py-1.5 text-sm hover:bg-accent">
                <Checkbox
                  className="mt-0.5"
                  checked={chosen.has(o.value)}
                  onCheckedChange={(on) => toggle(o.value, on === true)}
                  aria-label={o.label}
                />
                <span className="min-w-0">
                  <span className="block truncate">{o.label}</span>
                  {o.hint ? (
                    <span className="block truncate text-xs text-muted-foreground">{o.hint}</span>
                  ) : null}
                </span>
              </label>
            </li>
          ))}
          {shown.length === 0 ? (
            <li className="px-2 py-4 text-center text-sm text-muted-foreground">
              {all.length === 0 ? 'Nothing in this range' : 'No match'}
            </li>
          ) : null}
        </ul>
        <div className="flex items-center justify-between border-t px-3 py-2 text-xs text-muted-foreground">
          <span className="tabular-nums">{selected.length} selected</span>
          <Button
            variant="ghost"
            size="sm"
            className="h-7"
            disabled={selected.length === 0}
            onClick={() => onChange([])}
          >
            Clear
          </Button>
        </div>
      </PopoverContent>
    </Popover>
  )
}
