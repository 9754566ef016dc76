import type { RequestLogDetail as ContractDetail } from '@codex-lb/shared'
import { z } from 'zod'
import { requestLogEntrySchema } from './schemas.js'

/** `:id` of GET /api/request-logs/:id: a row id, digits only (`1.5`, `abc`, `-1` are 422s). */
export const requestLogDetailParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a positive whole number')
    .transform(Number),
})

/** A list entry plus what only the detail panel shows (original-admin §5.3 field names). */
export const requestLogAttemptSchema = requestLogEntrySchema.extend({
  /** The account's display name; null without one or once the account is gone. */
  accountAlias: z.string().nullable(),
  /** null when no key was used or the key was deleted since. */
  apiKeyName: z.string().nullable(),
  /** The upstream's HTTP status (101 for a WebSocket turn); null when it never answered. */
  httpStatus: z.number().int().nullable(),
  transport: z.enum(['http', 'websocket']),
  /** What the upstream said on a failed attempt: secrets removed, at most 4 KB. */
  upstreamErrorBody: z.string().nullable(),
})
export type RequestLogAttempt = z.infer<typeof requestLogAttemptSchema>

export const requestLogDetailSchema = z.object({
  attempt: requestLogAttemptSchema,
  /** Every attempt with the attempt's request id, oldest first (ties by id); it is among them. */
  chain: z.array(requestLogAttemptSchema),
})
export type RequestLogDetail = z.infer<typeof requestLogDetailSchema>

/** Fails to compile when the detail stops satisfying the shared admin contract the SPA parses. */
type Satisfies<T extends U, U> = T
export type DetailContractChecks = [Satisfies<RequestLogDetail, ContractDetail>]
