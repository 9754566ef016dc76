import { z } from 'zod'
import { isoDateTimeSchema, trendPointSchema } from './common.js'

export const ACCOUNT_STATUSES = [
  'active',
  'rate_limited',
  'quota_exceeded',
  'paused',
  'deactivated',
] as const
export const accountStatusSchema = z.enum(ACCOUNT_STATUSES)
export type AccountStatus = z.infer<typeof accountStatusSchema>

export const accountAuthSchema = z.object({
  access: z.object({ expiresAt: isoDateTimeSchema.nullish(), state: z.string().nullish() }),
  refresh: z.object({ expiresAt: isoDateTimeSchema.nullish(), state: z.string().nullish() }),
  idToken: z.object({ expiresAt: isoDateTimeSchema.nullish(), state: z.string().nullish() }),
})
export type AccountAuth = z.infer<typeof accountAuthSchema>

/**
 * One pooled account. `usage` values are remaining percentages (100 when no sample yet).
 * `deactivationReason` is an addition over the original contract: the dashboard shows why an account
 * was deactivated ("Refresh token expired - re-login required").
 */
export const accountSummarySchema = z.object({
  accountId: z.string(),
  email: z.string(),
  /** The alias when one is set, else the email. */
  displayName: z.string().nullish(),
  /** Display name set in the dashboard; null when none. */
  alias: z.string().nullish(),
  /** The ChatGPT workspace (`chatgpt_account_id`) the tokens belong to, when known. */
  workspaceId: z.string().nullish(),
  planType: z.string().nullish(),
  status: accountStatusSchema,
  deactivationReason: z.string().nullish(),
  usage: z
    .object({
      primaryRemainingPercent: z.number().nullish(),
      secondaryRemainingPercent: z.number().nullish(),
    })
    .nullish(),
  resetAtPrimary: isoDateTimeSchema.nullish(),
  resetAtSecondary: isoDateTimeSchema.nullish(),
  /** Streams this account may have in flight; null follows the global setting. */
  maxStreams: z.number().nullish(),
  /** This account's usage ceilings (percent used per window); null follows the global setting. */
  headroom: z
    .object({ primaryPercent: z.number().nullish(), secondaryPercent: z.number().nullish() })
    .nullish(),
  /** Place in the fill_first order (1 first); null: after the ordered ones, oldest first. */
  routeOrder: z.number().nullish(),
  auth: accountAuthSchema.nullish(),
  /** This account's own egress proxy URL, any password shown as `***`; null: the default (if any). */
  egressProxy: z.string().nullish(),
})
export type AccountSummary = z.infer<typeof accountSummarySchema>

export const accountsListSchema = z.object({ accounts: z.array(accountSummarySchema) })
export type AccountsList = z.infer<typeof accountsListSchema>

/** POST /api/accounts/import (multipart field `auth_json`). */
export const accountImportResponseSchema = z.object({
  accountId: z.string(),
  email: z.string(),
  planType: z.string().nullish(),
  status: z.string(),
})
export type AccountImportResponse = z.infer<typeof accountImportResponseSchema>

/** PATCH /api/accounts/:id: the account's place in the fill_first order (1 first); null unsets it. */
export const accountRouteOrderUpdateSchema = z.object({
  routeOrder: z.number().int().min(1).max(9999).nullable(),
})
export type AccountRouteOrderUpdate = z.infer<typeof accountRouteOrderUpdateSchema>
/** PATCH /api/accounts/:id answer (the route order and the alias as stored now). */
export const accountRouteOrderSchema = z.object({
  accountId: z.string(),
  routeOrder: z.number().nullable(),
  alias: z.string().nullish(),
})
export type AccountRouteOrder = z.infer<typeof accountRouteOrderSchema>

/** PATCH /api/accounts/:id with an alias: trimmed, 1–64 characters; null clears it. */
export const ACCOUNT_ALIAS_MAX = 64

const accountCareError = z.object({ code: z.string(), message: z.string() })

/** POST /api/accounts/:id/check: what a usage fetch just found; `error` when it failed. */
export const accountCheckSchema = z.object({
  accountId: z.string(),
  ok: z.boolean(),
  usage: z.object({
    primaryUsedPercent: z.number().nullable(),
    primaryResetAt: isoDateTimeSchema.nullable(),
    secondaryUsedPercent: z.number().nullable(),
    secondaryResetAt: isoDateTimeSchema.nullable(),
  }),
  status: accountStatusSchema,
  tokenExpiresAt: isoDateTimeSchema.nullable(),
  checkedAt: isoDateTimeSchema,
  error: accountCareError.optional(),
})
export type AccountCheck = z.infer<typeof accountCheckSchema>

/** POST /api/accounts/:id/refresh: the new token expiry, or the error (permanent: deactivated). */
export const accountRefreshSchema = z.object({
  accountId: z.string(),
  refreshed: z.boolean(),
  status: accountStatusSchema,
  tokenExpiresAt: isoDateTimeSchema.nullable(),
  error: accountCareError.extend({ permanent: z.boolean() }).optional(),
})
export type AccountRefresh = z.infer<typeof accountRefreshSchema>

/** PUT /api/accounts/:id/headroom: absent keeps a ceiling, null follows the global setting. */
export const accountHeadroomUpdateSchema = z.object({
  primaryPercent: z.number().min(0).max(100).nullish(),
  secondaryPercent: z.number().min(0).max(100).nullish(),
})
export type AccountHeadroomUpdate = z.infer<typeof accountHeadroomUpdateSchema>
export const accountHeadroomSchema = z.object({
  accountId: z.string(),
  headroom: z.object({
    primaryPercent: z.number().nullable(),
    secondaryPercent: z.number().nullable(),
  }),
})
export type AccountHeadroom = z.infer<typeof accountHeadroomSchema>

/** PUT /api/accounts/:id/egress-proxy: http://, https:// or socks5://[user:pass@]host:port; null clears. */
export const accountEgressProxyUpdateSchema = z.object({ url: z.string().nullable() })
export type AccountEgressProxyUpdate = z.infer<typeof accountEgressProxyUpdateSchema>
/** Its answer: the URL as stored, password masked. */
export const accountEgressProxySchema = z.object({
  accountId: z.string(),
  egressProxy: z.string().nullable(),
})
export type AccountEgressProxy = z.infer<typeof accountEgressProxySchema>

export const accountTrendsSchema = z.object({
  accountId: z.string(),
  primary: z.array(trendPointSchema),
  secondary: z.array(trendPointSchema),
})
export type AccountTrends = z.infer<typeof accountTrendsSchema>

/** GET /api/accounts/:id/history?range=…: how far back the page looks. */
export const ACCOUNT_HISTORY_RANGES = ['24h', '7d', '30d'] as const
export const accountHistoryRangeSchema = z.enum(ACCOUNT_HISTORY_RANGES)
export type AccountHistoryRange = z.infer<typeof accountHistoryRangeSchema>

/** The highest used % of a quota window seen in the bucket that starts at `at`. */
export const windowPointSchema = z.object({ at: isoDateTimeSchema, usedPercent: z.number() })
export type WindowPoint = z.infer<typeof windowPointSchema>

/** One failed attempt of the account (a request-log row with status error). */
export const accountErrorSchema = z.object({
  requestId: z.string(),
  requestedAt: isoDateTimeSchema,
  endpoint: z.string(),
  model: z.string(),
  reasoningEffort: z.string().nullable(),
  httpStatus: z.number().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
})
export type AccountError = z.infer<typeof accountErrorSchema>

/**
 * The account page: both windows over the range (one point per bucket with samples), its last 20
 * errors (whatever their age), and its requests and tokens (input + output) beside every account's.
 */
export const accountHistorySchema = z.object({
  accountId: z.string(),
  range: accountHistoryRangeSchema,
  since: isoDateTimeSchema,
  until: isoDateTimeSchema,
  bucketMinutes: z.number(),
  windows: z.object({ primary: z.array(windowPointSchema), secondary: z.array(windowPointSchema) }),
  recentErrors: z.array(accountErrorSchema),
  traffic: z.object({
    requests: z.number(),
    tokens: z.number(),
    totalRequests: z.number(),
    totalTokens: z.number(),
  }),
})
export type AccountHistory = z.infer<typeof accountHistorySchema>

/**
 * POST /api/accounts/:id/auth-json: the dashboard password again (and a current code when TOTP is
 * on). The answer is the Codex CLI `auth.json` itself, as an attachment.
 */
export const authJsonExportBodySchema = z.object({
  password: z.string().min(1).max(1024),
  totpCode: z.string().max(64).optional(),
})
export type AuthJsonExportBody = z.infer<typeof authJsonExportBodySchema>
