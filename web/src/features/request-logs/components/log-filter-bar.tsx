import type { AccountSummary, RequestLogOptions } from '@codex-lb/shared'
import { useEffect, useMemo, useState } from 'react'
import { MultiSelect } from '@/components/multi-select'
import { SearchInput } from '@/components/search-input'
import type { LogColumnId } from '../columns'
import { DEFAULT_FILTERS, isFiltered, type LogFilters } from '../filters'
import { MULTI_FILTERS, filterChoices } from '../filter-choices'
import { ColumnChooser } from './column-chooser'
import { ExportCsvButton } from './export-csv-button'
import { FilterChips } from './filter-chips'
import { TimeRangePicker } from './time-range-picker'

/** Search, time range, the multi-select filters, the column chooser and the CSV export. */
export function LogFilterBar({
  filters,
  update,
  options,
  accounts,
  columns,
}: {
  filters: LogFilters
  update(patch: Partial<LogFilters>): void
  options: RequestLogOptions | undefined
  accounts: Map<string, AccountSummary> | undefined
  columns: {
    hidden: ReadonlySet<LogColumnId>
    setVisible(id: LogColumnId, visible: boolean): void
    reset(): void
  }
}) {
  const [searchText, setSearchText] = useState(filters.search)
  // Back/forward (or a link) can change the search under the box: show what is in force.
  useEffect(() => setSearchText(filters.search), [filters.search])
  useEffect(() => {
    if (searchText === filters.search) return
    const timer = setTimeout(() => update({ search: searchText }), 300)
    return () => clearTimeout(timer)
    // Debounced on the typed text only: re-running on every filter change would re-apply stale text.
  }, [searchText])

  const choices = useMemo(
    () => filterChoices(options, accounts, filters),
    [options, accounts, filters],
  )
  const clearAll = () => {
    setSearchText('')
    update({ ...DEFAULT_FILTERS, limit: filters.limit })
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-col gap-2 lg:flex-row lg:flex-wrap lg:items-center">
        <SearchInput
          placeholder="Search requests"
          label="Search request logs"
          value={searchText}
          onValueChange={setSearchText}
          className="lg:w-64"
        />
        <div className="flex flex-wrap items-center gap-2">
          <TimeRangePicker value={filters} onChange={update} />
          {MULTI_FILTERS.map((f) => (
            <MultiSelect
              key={f.key}
              label={f.label}
              options={choices[f.key]}
              selected={filters[f.key]}
              onChange={(values) => update({ [f.key]: values })}
            />
          ))}
        </div>
        <div className="flex items-center gap-2 lg:ml-auto">
          <ColumnChooser
            hidden={columns.hidden}
            onVisibleChange={columns.setVisible}
            onReset={columns.reset}
          />
          <ExportCsvButton filters={filters} />
        </div>
      </div>
      {isFiltered(filters) ? (
        <FilterChips
          filters={filters}
          choices={choices}
          onRemove={(key, value) => update({ [key]: filters[key].filter((v) => v !== value) })}
          onClearAll={clearAll}
        />
      ) : null}
    </div>
  )
}
