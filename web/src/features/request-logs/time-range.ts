import { TIMEFRAMES, type LogFilters } from './filters'

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * A `datetime-local` value (the user's wall-clock time, no zone) as a UTC ISO instant; null when
 * empty or unreadable. `new Date('YYYY-MM-DDTHH:mm')` reads a zone-less datetime as local time.
 */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** A UTC ISO instant as a `datetime-local` value in the user's time zone ('' when absent). */
export function isoToLocalInput(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}`
  )
}

const shortDateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** What the range button says: the preset's name, or the custom range in local time. */
export function rangeLabel(filters: Pick<LogFilters, 'timeframe' | 'since' | 'until'>): string {
  if (filters.timeframe !== 'custom') {
    return TIMEFRAMES.find((t) => t.value === filters.timeframe)?.label ?? filters.timeframe
  }
  const at = (iso: string) => shortDateTime.format(new Date(iso))
  if (filters.since && filters.until) return `${at(filters.since)} – ${at(filters.until)}`
  if (filters.since) return `Since ${at(filters.since)}`
  if (filters.until) return `Until ${at(filters.until)}`
  return 'Custom range'
}

/** Why a custom range cannot be applied, or null when it can (the API refuses the same). */
export function customRangeProblem(since: string | null, until: string | null): string | null {
  if (since === null && until === null) return 'Choose a start, an end, or both.'
  if (since !== null && until !== null && Date.parse(since) > Date.parse(until)) {
    return 'The end must not be before the start.'
  }
  return null
}
