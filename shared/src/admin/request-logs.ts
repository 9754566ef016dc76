import { z } from 'zod'
import { isoDateTimeSchema } from './common.js'

export const REQUEST_LOG_STATUSES = ['ok', 'rate_limit', 'quota', 'error'] as const
export const requestLogStatusSchema = z.enum(REQUEST_LOG_STATUSES)
export type RequestLogStatus = z.infer<typeof requestLogStatusSchema>

/** The `apiKeyId` filter value that selects requests sent without an API key (key ids are UUIDs). */
export const REQUEST_LOG_NO_API_KEY = 'none'

export const requestLogEntrySchema = z.object({
  /** The row's id: GET /api/request-logs/{id} answers its detail. */
  id: z.number().optional(),
  requestedAt: isoDateTimeSchema,
  accountId: z.string().nullish(),
  /** Set when an overflow upstream (an OpenAI-compatible API) served the request. */
  overflowUpstreamId: z.string().nullish(),
  overflowUpstreamName: z.string().nullish(),
  requestId: z.string(),
  model: z.string(),
  status: z.string(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
  tokens: z.number().nullish(),
  cachedInputTokens: z.number().nullish(),
  reasoningEffort: z.string().nullish(),
  costUsd: z.number().nullish(),
  latencyMs: z.number().nullish(),
  /** Who sent it: address (after the server's trusted proxies) and User-Agent. */
  clientIp: z.string().nullish(),
  userAgent: z.string().nullish(),
})
export type RequestLogEntry = z.infer<typeof requestLogEntrySchema>

export const requestLogsPageSchema = z.object({
  requests: z.array(requestLogEntrySchema),
  total: z.number(),
  hasMore: z.boolean(),
})
export type RequestLogsPage = z.infer<typeof requestLogsPageSchema>

export const requestLogOptionsSchema = z.object({
  accountIds: z.array(z.string()),
  modelOptions: z.array(z.object({ model: z.string(), reasoningEffort: z.string().nullish() })),
  statuses: z.array(z.string()),
  /** API keys seen in the range; `name` is null once the key was deleted. */
  apiKeys: z.array(z.object({ id: z.string(), name: z.string().nullish() })).default([]),
  /** Some requests in the range carried no API key. */
  noApiKey: z.boolean().default(false),
})
export type RequestLogOptions = z.infer<typeof requestLogOptionsSchema>

/** One upstream attempt with every field the request log keeps (GET /api/request-logs/{id}). */
export const requestLogAttemptSchema = requestLogEntrySchema.extend({
  id: z.number(),
  accountEmail: z.string().nullish(),
  /** The account's display name, when it has one. */
  accountAlias: z.string().nullish(),
  /** The row names an account that no longer exists. */
  accountDeleted: z.boolean().nullish(),
  apiKeyId: z.string().nullish(),
  /** null when no key was used or the key was deleted since. */
  apiKeyName: z.string().nullish(),
  endpoint: z.string(),
  transport: z.enum(['http', 'websocket']),
  /** The upstream's HTTP status (101 for a WebSocket turn); null when it never answered. */
  httpStatus: z.number().nullish(),
  inputTokens: z.number().nullish(),
  outputTokens: z.number().nullish(),
  reasoningTokens: z.number().nullish(),
  ttfbMs: z.number().nullish(),
  /** What the upstream said on a failed attempt, secrets removed, at most 4 KB (often JSON). */
  upstreamErrorBody: z.string().nullish(),
})
export type RequestLogAttempt = z.infer<typeof requestLogAttemptSchema>

/** The attempt asked for and every attempt sharing its request id, oldest first. */
export const requestLogDetailSchema = z.object({
  attempt: requestLogAttemptSchema,
  chain: z.array(requestLogAttemptSchema),
})
export type RequestLogDetail = z.infer<typeof requestLogDetailSchema>
