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
  displayName: z.string().nullish(),
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
export const accountRouteOrderSchema = z.object({
  accountId: z.string(),
  routeOrder: z.number().nullable(),
})
export type AccountRouteOrder = z.infer<typeof accountRouteOrderSchema>

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

export const accountTrendsSchema = z.object({
  accountId: z.string(),
  primary: z.array(trendPointSchema),
  secondary: z.array(trendPointSchema),
})
export type AccountTrends = z.infer<typeof accountTrendsSchema>
