import { z } from 'zod'

/** Defaults of CODEX_LB_ACCOUNT_MAX_STREAMS and CODEX_LB_ACCOUNT_QUEUE_WAIT_SECONDS. */
export const DEFAULT_ACCOUNT_MAX_STREAMS = 8
export const DEFAULT_ACCOUNT_QUEUE_WAIT_SECONDS = 10
/** Upper bounds: beyond them a value is a typo, not a policy. */
export const ACCOUNT_MAX_STREAMS_LIMIT = 1000
export const ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS = 600

/** Upstream streams one account may have in flight: a whole number from 1. */
export const maxStreamsSchema = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(ACCOUNT_MAX_STREAMS_LIMIT, `must be at most ${ACCOUNT_MAX_STREAMS_LIMIT}`)

/** Seconds a request waits for a free stream slot before it is answered 429. */
export const queueWaitSecondsSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1 second')
  .max(ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS, `must be at most ${ACCOUNT_QUEUE_WAIT_LIMIT_SECONDS}`)

/** PUT /api/accounts/:id/concurrency: the account's own cap; null follows the global setting. */
export const accountConcurrencyUpdateSchema = z.object({ maxStreams: maxStreamsSchema.nullable() })
export type AccountConcurrencyUpdate = z.infer<typeof accountConcurrencyUpdateSchema>

export const accountConcurrencySchema = z.object({
  accountId: z.string(),
  maxStreams: z.number().nullable(),
})
export type AccountConcurrency = z.infer<typeof accountConcurrencySchema>
