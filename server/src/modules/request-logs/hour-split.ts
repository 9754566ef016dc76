import { HOUR_MS } from './rollup-rows.js'

/** Half-open [from, to) in epoch ms; null is unbounded on that side. */
export interface TimeRange {
  from: number | null
  to: number | null
}

/**
 * A range cut into the whole hours the rollups answer and the partial hours at its ends that only
 * the rows can answer (each at most an hour long, so reading them costs little at any table size).
 */
export interface HourSplit {
  /** Hour starts in [from, to); null when the range holds no whole hour. */
  hours: TimeRange | null
  /** The partial hours, half-open and non-empty. */
  edges: Array<{ from: number; to: number }>
}

export function splitByHour(range: TimeRange): HourSplit {
  return splitByUnit(range, HOUR_MS)
}

/** The same cut at another unit (whole UTC days for the facets): `hours` then holds whole units. */
export function splitByUnit(range: TimeRange, unit: number): HourSplit {
  const { from, to } = range
  const first = from === null ? null : Math.ceil(from / unit) * unit
  const last = to === null ? null : Math.floor(to / unit) * unit
  if (from !== null && to !== null && (first as number) >= (last as number)) {
    return { hours: null, edges: from < to ? [{ from, to }] : [] }
  }
  const edges: HourSplit['edges'] = []
  if (from !== null && from < (first as number)) edges.push({ from, to: first as number })
  if (to !== null && (last as number) < to) edges.push({ from: last as number, to })
  return { hours: { from: first, to: last }, edges }
}
