import { logStatus, orderStatuses } from './log-status.js'
import type {
  LogAggregate,
  LogBucket,
  LogFilter,
  LogPageRow,
  ModelOption,
  RequestLogsRepository,
} from './repository.js'
import type { RequestLogEntry, RequestLogOptions, RequestLogsPage } from './schemas.js'

const round6 = (n: number) => Math.round(n * 1e6) / 1e6

/** A cost as shown: rounded to a millionth of a dollar. */
export const shownCost = (usd: number | null): number | null => (usd === null ? null : round6(usd))

/** An overflow upstream's name as shown: its stored name, else the environment's (or none). */
export function overflowUpstreamName(id: string | null, stored: string | null): string | null {
  return stored ?? (id === 'env' ? 'Environment (CODEX_LB_OVERFLOW_BASE_URL)' : null)
}

/** input + (output, or reasoning tokens when output is unknown); null when neither is known. */
export function totalTokens(
  input: number | null,
  output: number | null,
  reasoning: number | null,
): number | null {
  const out = output ?? reasoning
  if (input === null && out === null) return null
  return (input ?? 0) + (out ?? 0)
}

/** Cached input tokens as shown: never negative, never more than the input. */
export function clampCached(cached: number | null, input: number | null): number | null {
  if (cached === null) return null
  const floored = Math.max(0, cached)
  return input === null ? floored : Math.min(floored, input)
}

export function toRequestLogEntry(row: LogPageRow): RequestLogEntry {
  const deleted = row.account_id !== null && row.joined_account_id === null
  return {
    id: Number(row.id),
    requestedAt: new Date(Number(row.requested_at)).toISOString(),
    accountId: row.account_id,
    accountEmail: deleted ? null : row.account_email,
    accountDeleted: deleted,
    overflowUpstreamId: row.overflow_upstream_id,
    overflowUpstreamName: overflowUpstreamName(
      row.overflow_upstream_id,
      row.overflow_upstream_name,
    ),
    apiKeyId: row.api_key_id,
    requestId: row.request_id,
    model: row.model,
    status: logStatus(row.status, row.error_code),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    tokens: totalTokens(row.input_tokens, row.output_tokens, row.reasoning_tokens),
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: clampCached(row.cached_input_tokens, row.input_tokens),
    reasoningTokens: row.reasoning_tokens,
    reasoningEffort: row.reasoning_effort,
    costUsd: shownCost(row.cost_usd),
    latencyMs: row.latency_ms,
    ttfbMs: row.ttfb_ms,
    endpoint: row.endpoint,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
  }
}

function compareOptions(a: ModelOption, b: ModelOption): number {
  if (a.model !== b.model) return a.model < b.model ? -1 : 1
  // No effort sorts first; the dialects disagree on where NULLs go, so this is done here.
  if (a.reasoningEffort === b.reasoningEffort) return 0
  if (a.reasoningEffort === null) return -1
  if (b.reasoningEffort === null) return 1
  return a.reasoningEffort < b.reasoningEffort ? -1 : 1
}

/** By name (deleted keys, which have none, last), then id: the order the filter lists them in. */
function compareKeys(a: { id: string; name: string | null }, b: typeof a): number {
  if (a.name !== b.name) {
    if (a.name === null) return 1
    if (b.name === null) return -1
    const byName = a.name.localeCompare(b.name, 'en', { sensitivity: 'base' })
    if (byName !== 0) return byName
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The dashboard's reading of request_logs: pages, facets and time-bucketed aggregates. */
export class RequestLogsService {
  constructor(private readonly repo: RequestLogsRepository) {}

  /** Newest first; `total` counts every match (also past the last page). */
  async list(filter: LogFilter, limit: number, offset: number): Promise<RequestLogsPage> {
    const [rows, total] = await Promise.all([
      this.repo.page(filter, limit, offset),
      this.repo.count(filter),
    ])
    return {
      requests: rows.map(toRequestLogEntry),
      total,
      hasMore: offset + limit < total,
    }
  }

  /** Facets for the filter bar; the caller's filter never carries a status (see schemas). */
  async options(filter: LogFilter): Promise<RequestLogOptions> {
    const { accountIds, modelOptions, outcomes, apiKeys: keys } = await this.repo.facets(filter)
    return {
      accountIds,
      modelOptions: modelOptions.sort(compareOptions),
      statuses: orderStatuses(outcomes.map((o) => logStatus(o.status, o.error_code))),
      apiKeys: keys
        .flatMap((k) => (k.id === null ? [] : [{ id: k.id, name: k.name }]))
        .sort(compareKeys),
      noApiKey: keys.some((k) => k.id === null),
    }
  }

  /**
   * Aggregates of `count` consecutive buckets of `bucketMs` from `start` (missing buckets are 0).
   * Buckets are aligned to the epoch, so `start` must be a multiple of `bucketMs`.
   */
  async buckets(start: number, bucketMs: number, count: number): Promise<LogAggregate[]> {
    const rows = await this.repo.buckets(start, start + count * bucketMs, bucketMs)
    const byStart = new Map<number, LogBucket>(rows.map((r) => [r.bucket_start, r]))
    return Array.from({ length: count }, (_, i) => {
      const row = byStart.get(start + i * bucketMs)
      return {
        requests: row?.requests ?? 0,
        tokens: row?.tokens ?? 0,
        cached_tokens: row?.cached_tokens ?? 0,
        errors: row?.errors ?? 0,
        cost_usd: row?.cost_usd ?? 0,
      }
    })
  }

  async totals(since: number): Promise<LogAggregate> {
    return this.repo.totals(since)
  }

  async topErrorCode(since: number): Promise<string | null> {
    return this.repo.topErrorCode(since)
  }
}
