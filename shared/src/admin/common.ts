import { z } from 'zod'

/** ISO-8601 timestamp as the dashboard API emits it (UTC, ending in `Z`). Kept loose on read. */
export const isoDateTimeSchema = z.string()

/** `{"status":"ok"}`-style acknowledgements; the value varies by endpoint ("ok", "paused", …). */
export const statusResponseSchema = z.object({ status: z.string() })
export type StatusResponse = z.infer<typeof statusResponseSchema>

/** One point of a time series (`t` ISO timestamp, `v` value). */
export const trendPointSchema = z.object({ t: isoDateTimeSchema, v: z.number() })
export type TrendPoint = z.infer<typeof trendPointSchema>
