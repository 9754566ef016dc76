import type {
  AccountHistory as ContractHistory,
  AuthJsonExportBody as ContractExportBody,
} from '@codex-lb/shared'
import { z } from 'zod'

/* Wire shapes of the account page (GET …/history) and of the auth.json export (POST …/auth-json). */

const isoDateTime = z.iso.datetime()

export const HISTORY_RANGES = ['24h', '7d', '30d'] as const
export type HistoryRange = (typeof HISTORY_RANGES)[number]

export const accountHistoryQuerySchema = z.object({
  range: z
    .enum(HISTORY_RANGES, { message: `must be one of ${HISTORY_RANGES.join(', ')}` })
    .default('24h'),
})

const windowPoint = z.object({ at: isoDateTime, usedPercent: z.number() })

export const accountHistoryResponseSchema = z.object({
  accountId: z.string(),
  range: z.enum(HISTORY_RANGES),
  since: isoDateTime,
  until: isoDateTime,
  bucketMinutes: z.number().int(),
  windows: z.object({ primary: z.array(windowPoint), secondary: z.array(windowPoint) }),
  recentErrors: z.array(
    z.object({
      requestId: z.string(),
      requestedAt: isoDateTime,
      endpoint: z.string(),
      model: z.string(),
      reasoningEffort: z.string().nullable(),
      httpStatus: z.number().int().nullable(),
      errorCode: z.string().nullable(),
      errorMessage: z.string().nullable(),
    }),
  ),
  traffic: z.object({
    requests: z.number(),
    tokens: z.number(),
    totalRequests: z.number(),
    totalTokens: z.number(),
  }),
})
export type AccountHistoryResponse = z.infer<typeof accountHistoryResponseSchema>

// Generous caps: they only stop absurd bodies (password rules live in dashboard-auth).
export const authJsonExportBodySchema = z.object({
  password: z.string('is required').min(1, 'is required').max(1024),
  totpCode: z.string().max(64).optional(),
})
export type AuthJsonExportBody = z.infer<typeof authJsonExportBodySchema>

/** Fails to compile when a server shape stops satisfying the shared admin contract. */
type Satisfies<T extends U, U> = T
export type HistoryContractChecks = [
  Satisfies<AccountHistoryResponse, ContractHistory>,
  Satisfies<AuthJsonExportBody, ContractExportBody>,
]
