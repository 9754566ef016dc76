import type { ReportBucket, ReportSums } from '@codex-lb/shared'
import { bucketStart } from './buckets.js'
import type { DailyGroupRow, SumsRow } from './repository.js'

export const ZERO_SUMS: ReportSums = {
  requests: 0,
  errors: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
}

export function addSums(into: ReportSums, row: SumsRow): ReportSums {
  return {
    requests: into.requests + row.requests,
    errors: into.errors + row.errors,
    inputTokens: into.inputTokens + row.input_tokens,
    cachedInputTokens: into.cachedInputTokens + row.cached_input_tokens,
    outputTokens: into.outputTokens + row.output_tokens,
    reasoningTokens: into.reasoningTokens + row.reasoning_tokens,
    costUsd: into.costUsd + row.cost_usd,
  }
}

/** USD to 6 decimals, as the request log shows it (float sums carry noise past that). */
export const roundUsd = (sums: ReportSums): ReportSums => ({
  ...sums,
  costUsd: Math.round(sums.costUsd * 1e6) / 1e6,
})

export interface FoldedPoint {
  bucketStart: number
  key: string | null
  sums: ReportSums
}

export interface Folded {
  /** Per group over the whole range. */
  totals: Map<string | null, ReportSums>
  /** Per bucket and group, oldest bucket first (groups in first-seen order within a bucket). */
  points: FoldedPoint[]
}

/**
 * Daily sums folded into the report's buckets. Weeks and months are unions of whole UTC days, so
 * folding days in TypeScript gives the same sums as bucketing rows, on either dialect.
 */
export function foldDaily(rows: readonly DailyGroupRow[], bucket: ReportBucket): Folded {
  const totals = new Map<string | null, ReportSums>()
  const points = new Map<string, FoldedPoint>()
  for (const row of rows) {
    totals.set(row.group_key, addSums(totals.get(row.group_key) ?? ZERO_SUMS, row))
    const start = bucketStart(row.day_start, bucket)
    const id = JSON.stringify([start, row.group_key])
    const point = points.get(id) ?? { bucketStart: start, key: row.group_key, sums: ZERO_SUMS }
    points.set(id, { ...point, sums: addSums(point.sums, row) })
  }
  const sorted = [...points.values()].sort((a, b) => a.bucketStart - b.bucketStart)
  return { totals, points: sorted }
}
