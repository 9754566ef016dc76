import type {
  RequestLogEntry as ContractEntry,
  RequestLogOptions as ContractOptions,
  RequestLogsPage as ContractPage,
} from '@codex-lb/shared'
import { REQUEST_LOG_NO_API_KEY } from '@codex-lb/shared'
import { z } from 'zod'
import { LOG_STATUSES, statusFilter } from './log-status.js'
import type { LogFilter, ModelOption } from './repository.js'

/*
 * Query and wire shapes of /api/request-logs (original-admin §1.6, §5.3): camelCase, ISO-8601 `Z`
 * datetimes, explicit nulls. Handlers parse with these and return what the service builds.
 */

/** Repeatable query parameters arrive as a string or an array of strings (`?accountId=a&accountId=b`). */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))

const nonBlank = (values: string[]) => values.map((v) => v.trim()).filter((v) => v !== '')

const DAY_MS = 86_400_000

/**
 * ISO-8601 instant to epoch ms; without an offset it is UTC (the stored times are UTC). A date alone
 * is that UTC day: `since` starts at its first millisecond, `until` includes its last.
 */
const boundary = (edge: 'start' | 'end') =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true, local: true })])
    .optional()
    .transform((text) => {
      if (text === undefined) return null
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
        return Date.parse(`${text}T00:00:00Z`) + (edge === 'end' ? DAY_MS - 1 : 0)
      }
      return Date.parse(/(?:Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`)
    })

/** `model:::effort` (the SPA's encoding); an empty effort or no delimiter means no effort. */
export function parseModelOption(value: string): ModelOption {
  const at = value.indexOf(':::')
  if (at < 0) return { model: value, reasoningEffort: null }
  const effort = value.slice(at + 3)
  return { model: value.slice(0, at), reasoningEffort: effort === '' ? null : effort }
}

/**
 * Status buckets, OR-ed; `all` means no filter (the original's spelling). Anything else is a typo
 * the user should hear about: silently ignoring it would show every row as if it had matched.
 */
const statusValues = many
  .transform((values) => values.map((v) => v.trim().toLowerCase()).filter((v) => v !== ''))
  .pipe(z.array(z.enum([...LOG_STATUSES, 'all'])))

/** API key ids; `none` (REQUEST_LOG_NO_API_KEY) selects the rows sent without a key. */
const apiKeyIds = many.transform((values) =>
  nonBlank(values).map((v) => (v === REQUEST_LOG_NO_API_KEY ? null : v)),
)

const filterFields = {
  accountId: many,
  apiKeyId: apiKeyIds,
  model: many,
  reasoningEffort: many,
  modelOption: many,
  status: statusValues,
  since: boundary('start'),
  until: boundary('end'),
}

type FilterFields = z.output<z.ZodObject<typeof filterFields>>

/** An impossible range is a mistake, not an empty page (issue 12: 422 naming the field). */
function rangeInOrder(q: FilterFields, ctx: z.RefinementCtx) {
  if (q.since !== null && q.until !== null && q.since > q.until) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'must not be before since' })
  }
}

function toFilter(q: FilterFields, search: string | null, statuses: string[]): LogFilter {
  return {
    search,
    accountIds: nonBlank(q.accountId),
    apiKeyIds: q.apiKeyId,
    statuses: statusFilter(statuses),
    models: nonBlank(q.model),
    reasoningEfforts: nonBlank(q.reasoningEffort),
    modelOptions: nonBlank(q.modelOption).map(parseModelOption),
    since: q.since,
    until: q.until,
  }
}

export const requestLogsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    search: z.string().max(512).optional(),
    ...filterFields,
  })
  .superRefine(rangeInOrder)
  .transform((q) => {
    const search = q.search?.trim() ?? ''
    return {
      limit: q.limit,
      offset: q.offset,
      filter: toFilter(q, search === '' ? null : search, q.status),
    }
  })
export type RequestLogsQuery = z.output<typeof requestLogsQuerySchema>

/**
 * The facets never apply their own status filter (so every status stays selectable) nor search; a
 * status is still checked, so a bad link fails the same way on every request-log route.
 */
export const requestLogOptionsQuerySchema = z
  .object(filterFields)
  .superRefine(rangeInOrder)
  .transform((q) => toFilter(q, null, []))

const isoDateTime = z.iso.datetime()
const count = z.number().int().nullable()

export const requestLogEntrySchema = z.object({
  /** The row's id, for GET /api/request-logs/:id. */
  id: z.number().int(),
  requestedAt: isoDateTime,
  accountId: z.string().nullable(),
  /** null when the row names no account or the account was deleted since. */
  accountEmail: z.string().nullable(),
  /** The row names an account that no longer exists (logs outlive their accounts). */
  accountDeleted: z.boolean(),
  /** Set when an overflow upstream served the request instead of an account. */
  overflowUpstreamId: z.string().nullable(),
  /** Its name; null once it was deleted. */
  overflowUpstreamName: z.string().nullable(),
  apiKeyId: z.string().nullable(),
  requestId: z.string(),
  model: z.string(),
  status: z.enum(LOG_STATUSES),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** input + (output, or reasoning tokens when output is unknown); null when both are unknown. */
  tokens: count,
  inputTokens: count,
  outputTokens: count,
  /** Clamped to [0, inputTokens]. */
  cachedInputTokens: count,
  reasoningTokens: count,
  reasoningEffort: z.string().nullable(),
  /** USD, 6 decimals. */
  costUsd: z.number().nullable(),
  latencyMs: count,
  ttfbMs: count,
  endpoint: z.string(),
  /** The client's address (after CODEX_LB_TRUSTED_PROXIES) and User-Agent; null on older rows. */
  clientIp: z.string().nullable(),
  userAgent: z.string().nullable(),
})
export type RequestLogEntry = z.infer<typeof requestLogEntrySchema>

export const requestLogsPageSchema = z.object({
  requests: z.array(requestLogEntrySchema),
  total: z.number().int(),
  hasMore: z.boolean(),
})
export type RequestLogsPage = z.infer<typeof requestLogsPageSchema>

export const requestLogOptionsSchema = z.object({
  accountIds: z.array(z.string()),
  modelOptions: z.array(z.object({ model: z.string(), reasoningEffort: z.string().nullable() })),
  statuses: z.array(z.enum(LOG_STATUSES)),
  /** Keys seen in the range, by name; `name` is null once the key was deleted. */
  apiKeys: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  /** Some rows in the range were sent without an API key (filter them with `apiKeyId=none`). */
  noApiKey: z.boolean(),
})
export type RequestLogOptions = z.infer<typeof requestLogOptionsSchema>

/** Fails to compile when a server shape stops satisfying the shared admin contract the SPA parses. */
type Satisfies<T extends U, U> = T
export type ContractChecks = [
  Satisfies<RequestLogEntry, ContractEntry>,
  Satisfies<RequestLogsPage, ContractPage>,
  Satisfies<RequestLogOptions, ContractOptions>,
]
