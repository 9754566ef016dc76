import type {
  AccountCheck as ContractCheck,
  AccountImportResponse as ContractImportResponse,
  AccountRefresh as ContractRefresh,
  AccountRouteOrder as ContractUpdateResponse,
  AccountSummary as ContractAccountSummary,
  AccountTrends as ContractTrends,
  AccountsList as ContractAccountsList,
  StatusResponse as ContractStatusResponse,
} from '@codex-lb/shared'
import { z } from 'zod'
import { maxStreamsSchema } from '../../lib/stream-caps.js'

/*
 * Wire shapes of /api/accounts (camelCase, ISO-8601 `Z` datetimes, explicit nulls; original-admin
 * §0.1, §6). Handlers build these from domain values; tests parse responses with them.
 */

const isoDateTime = z.iso.datetime()
const status = z.enum(['active', 'rate_limited', 'quota_exceeded', 'paused', 'deactivated'])

const tokenState = <S extends z.ZodType>(state: S) =>
  z.object({ expiresAt: isoDateTime.nullable(), state })

/** An account's usage ceilings in percent used; null follows the global setting. */
const headroomSchema = z.object({
  primaryPercent: z.number().nullable(),
  secondaryPercent: z.number().nullable(),
})

export const accountSummarySchema = z.object({
  accountId: z.string(),
  /** '' when the id_token carried no email (the shared contract wants a string). */
  email: z.string(),
  /** The alias when one is set, else the email. */
  displayName: z.string(),
  /** Display name set in the dashboard; null when none. */
  alias: z.string().nullable(),
  /** The ChatGPT workspace (`chatgpt_account_id`) the tokens belong to, when known. */
  workspaceId: z.string().nullable(),
  planType: z.string(),
  status,
  deactivationReason: z.string().nullable(),
  usage: z.object({
    primaryRemainingPercent: z.number(),
    secondaryRemainingPercent: z.number(),
  }),
  resetAtPrimary: isoDateTime.nullable(),
  resetAtSecondary: isoDateTime.nullable(),
  /** Upstream streams this account may have in flight; null follows the global setting. */
  maxStreams: z.number().int().nullable(),
  /** This account's usage ceilings in percent used; null follows the global setting. */
  headroom: headroomSchema,
  /** Place in the fill_first order (1 first); null: after the ordered ones, oldest first. */
  routeOrder: z.number().int().nullable(),
  lastRefreshAt: isoDateTime,
  auth: z.object({
    access: tokenState(z.null()),
    refresh: tokenState(z.enum(['stored', 'missing'])),
    idToken: tokenState(z.enum(['parsed', 'unknown'])),
  }),
  /** This account's own egress proxy, any password shown as `***`; null: the default (if any). */
  egressProxy: z.string().nullable(),
})
export type AccountSummary = z.infer<typeof accountSummarySchema>

export const accountsListResponseSchema = z.object({ accounts: z.array(accountSummarySchema) })
export type AccountsListResponse = z.infer<typeof accountsListResponseSchema>

export const importAccountResponseSchema = z.object({
  accountId: z.string(),
  email: z.string(),
  planType: z.string(),
  status,
})
export type ImportAccountResponse = z.infer<typeof importAccountResponseSchema>

/** Positions a person can type: 1 is first. */
export const ROUTE_ORDER_MAX = 9999

export const ALIAS_MAX = 64

/**
 * PATCH /api/accounts/:id: the account's place in the fill_first order and its display name; an
 * absent field is kept, null unsets it. At least one must be given.
 */
export const accountUpdateSchema = z
  .object({
    routeOrder: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(ROUTE_ORDER_MAX, `must be at most ${ROUTE_ORDER_MAX}`)
      .nullable()
      .optional(),
    alias: z
      .string('must be a string or null')
      .trim()
      .min(1, 'must not be blank (null clears it)')
      .max(ALIAS_MAX, `must be at most ${ALIAS_MAX} characters`)
      .nullable()
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.routeOrder === undefined && body.alias === undefined) {
      ctx.addIssue({ code: 'custom', path: ['routeOrder'], message: 'give routeOrder or alias' })
    }
  })
export type AccountUpdate = z.infer<typeof accountUpdateSchema>

export const accountUpdateResponseSchema = z.object({
  accountId: z.string(),
  routeOrder: z.number().int().nullable(),
  alias: z.string().nullable(),
})
export type AccountUpdateResponse = z.infer<typeof accountUpdateResponseSchema>

export const accountHeadroomResponseSchema = z.object({
  accountId: z.string(),
  headroom: headroomSchema,
})
export type AccountHeadroomResponse = z.infer<typeof accountHeadroomResponseSchema>

/** PUT /api/accounts/:id/headroom: absent keeps a ceiling, null returns it to the global one. */
export const accountHeadroomUpdateSchema = z.object({
  primaryPercent: z.number().min(0).max(100).nullable().optional(),
  secondaryPercent: z.number().min(0).max(100).nullable().optional(),
})
export type AccountHeadroomUpdate = z.infer<typeof accountHeadroomUpdateSchema>

/** PUT /api/accounts/:id/concurrency: the account's own stream cap; null follows the global one. */
export const accountConcurrencyUpdateSchema = z.object({ maxStreams: maxStreamsSchema.nullable() })

export const accountConcurrencyResponseSchema = z.object({
  accountId: z.string(),
  maxStreams: z.number().int().nullable(),
})
export type AccountConcurrencyResponse = z.infer<typeof accountConcurrencyResponseSchema>

export const accountActionResponseSchema = z.object({
  status: z.enum(['paused', 'reactivated', 'deleted']),
})
export type AccountActionResponse = z.infer<typeof accountActionResponseSchema>

const checkError = z.object({ code: z.string(), message: z.string() })

/** POST /api/accounts/:id/check: what a usage fetch just found (error: it failed, nothing new). */
export const accountCheckResponseSchema = z.object({
  accountId: z.string(),
  ok: z.boolean(),
  usage: z.object({
    primaryUsedPercent: z.number().nullable(),
    primaryResetAt: isoDateTime.nullable(),
    secondaryUsedPercent: z.number().nullable(),
    secondaryResetAt: isoDateTime.nullable(),
  }),
  status,
  tokenExpiresAt: isoDateTime.nullable(),
  checkedAt: isoDateTime,
  error: checkError.optional(),
})
export type AccountCheckResponse = z.infer<typeof accountCheckResponseSchema>

/** POST /api/accounts/:id/refresh: the new access-token expiry, or why the refresh failed. */
export const accountRefreshResponseSchema = z.object({
  accountId: z.string(),
  refreshed: z.boolean(),
  status,
  tokenExpiresAt: isoDateTime.nullable(),
  /** `permanent`: the refresh token is dead and the account is now deactivated (sign in again). */
  error: checkError.extend({ permanent: z.boolean() }).optional(),
})
export type AccountRefreshResponse = z.infer<typeof accountRefreshResponseSchema>

const trendPoint = z.object({ t: isoDateTime, v: z.number() })
export type TrendPoint = z.infer<typeof trendPoint>

export const accountTrendsResponseSchema = z.object({
  accountId: z.string(),
  primary: z.array(trendPoint),
  secondary: z.array(trendPoint),
})
export type AccountTrendsResponse = z.infer<typeof accountTrendsResponseSchema>

/** Fails to compile when a server shape stops satisfying the shared admin contract the SPA parses. */
type Satisfies<T extends U, U> = T
export type ContractChecks = [
  Satisfies<AccountSummary, ContractAccountSummary>,
  Satisfies<AccountsListResponse, ContractAccountsList>,
  Satisfies<ImportAccountResponse, ContractImportResponse>,
  Satisfies<AccountActionResponse, ContractStatusResponse>,
  Satisfies<AccountTrendsResponse, ContractTrends>,
  Satisfies<AccountUpdateResponse, ContractUpdateResponse>,
  Satisfies<AccountCheckResponse, ContractCheck>,
  Satisfies<AccountRefreshResponse, ContractRefresh>,
]
