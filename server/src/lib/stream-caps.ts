import { z } from 'zod'

/*
 * Bounds of the per-account concurrency caps, shared by the global setting, each account's own
 * cap and the environment defaults (config.ts repeats the numbers: it parses strings).
 */

/** Upstream streams one account may have in flight. */
export const maxStreamsSchema = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1000, 'must be at most 1000')

/** Seconds a request waits for a free stream slot before it is answered 429. */
export const queueWaitSecondsSchema = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be at least 1 second')
  .max(600, 'must be at most 600 seconds')
