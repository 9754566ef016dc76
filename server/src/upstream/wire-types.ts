/**
 * Upstream JSON shapes (chatgpt.com/backend-api and auth.openai.com), narrowed at the boundary.
 * Lenient on purpose: extra keys pass through untouched, and an optional field that is missing, null
 * or of the wrong type reads as undefined instead of rejecting the whole payload; only the fields a
 * payload is useless without are required. Domain types live elsewhere (STYLE.md 15).
 * Shapes: reference original-proxy §1.8, §2.4–2.6, §3.2–3.4 and clients.md §1.
 */
import { z } from 'zod'

/** Missing, null or malformed reads as undefined. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined)
}

const str = lenient(z.string())
const num = lenient(z.number())
const bool = lenient(z.boolean())

// ---- Responses stream ------------------------------------------------------------------------

export const WireUsageSchema = z.looseObject({
  input_tokens: num,
  input_tokens_details: lenient(z.looseObject({ cached_tokens: num })),
  output_tokens: num,
  output_tokens_details: lenient(z.looseObject({ reasoning_tokens: num })),
  total_tokens: num,
})
export type WireUsage = z.output<typeof WireUsageSchema>

/** `response.error`, the `error` of an `error` event, and the inner object of HTTP error bodies. */
export const UpstreamErrorSchema = z.looseObject({
  message: str,
  type: str,
  code: str,
  param: str,
  plan_type: str,
  /** Unix seconds. */
  resets_at: num,
  resets_in_seconds: num,
})
export type UpstreamError = z.output<typeof UpstreamErrorSchema>

export const WireResponseSchema = z.looseObject({
  id: str,
  object: str,
  created_at: num,
  status: str,
  model: str,
  output: lenient(z.array(z.unknown())),
  usage: lenient(WireUsageSchema),
  error: lenient(UpstreamErrorSchema),
  incomplete_details: lenient(z.looseObject({ reason: str })),
})
export type WireResponse = z.output<typeof WireResponseSchema>

export const TERMINAL_EVENT_TYPES = [
  'response.completed',
  'response.failed',
  'response.incomplete',
] as const

const lifecycleEvent = z.looseObject({
  type: z.enum(['response.created', 'response.in_progress', ...TERMINAL_EVENT_TYPES]),
  sequence_number: num,
  response: WireResponseSchema,
})

const outputItemEvent = z.looseObject({
  type: z.enum(['response.output_item.added', 'response.output_item.done']),
  sequence_number: num,
  output_index: num,
  item: z.looseObject({ id: str, type: z.string(), status: str }),
})

const outputTextDeltaEvent = z.looseObject({
  type: z.literal('response.output_text.delta'),
  sequence_number: num,
  item_id: str,
  output_index: num,
  content_index: num,
  delta: z.string(),
})

/** §2.6: the nested `error` object is what counts; top-level code/message are kept but secondary. */
const errorEvent = z.looseObject({
  type: z.literal('error'),
  sequence_number: num,
  error: lenient(UpstreamErrorSchema),
  code: str,
  message: str,
})

export const ResponsesStreamEventSchema = z.discriminatedUnion('type', [
  lifecycleEvent,
  outputItemEvent,
  outputTextDeltaEvent,
  errorEvent,
])
/** The stream events the proxy reads; every other type is forwarded without being parsed. */
export type ResponsesStreamEvent = z.output<typeof ResponsesStreamEventSchema>
export type TerminalEvent = Extract<
  ResponsesStreamEvent,
  { type: (typeof TERMINAL_EVENT_TYPES)[number] }
>

/** A known event narrowed from parsed SSE data, or undefined for other types and malformed ones. */
export function parseResponsesEvent(json: unknown): ResponsesStreamEvent | undefined {
  const result = ResponsesStreamEventSchema.safeParse(json)
  return result.success ? result.data : undefined
}

export function isTerminalEvent(event: ResponsesStreamEvent): event is TerminalEvent {
  return (TERMINAL_EVENT_TYPES as readonly string[]).includes(event.type)
}

// ---- HTTP error bodies -----------------------------------------------------------------------

/** `{"error":{...}}`, the shape of 4xx/5xx bodies from responses, compact, usage and OAuth. */
export const UpstreamErrorBodySchema = z.looseObject({ error: UpstreamErrorSchema })
export type UpstreamErrorBody = z.output<typeof UpstreamErrorBodySchema>

/** The inner error object of an upstream error body; undefined when `error` is not an object. */
export function parseUpstreamError(json: unknown): UpstreamError | undefined {
  const result = UpstreamErrorBodySchema.safeParse(json)
  return result.success ? result.data.error : undefined
}

// ---- GET /wham/usage -------------------------------------------------------------------------

export const UsageWindowSchema = z.looseObject({
  used_percent: num,
  /** Unix seconds. */
  reset_at: num,
  limit_window_seconds: num,
  reset_after_seconds: num,
})
export type UsageWindow = z.output<typeof UsageWindowSchema>

export const UsagePayloadSchema = z.looseObject({
  plan_type: str,
  rate_limit: lenient(
    z.looseObject({
      primary_window: lenient(UsageWindowSchema),
      secondary_window: lenient(UsageWindowSchema),
    }),
  ),
  credits: lenient(
    z.looseObject({
      has_credits: bool,
      unlimited: bool,
      /** A decimal string upstream ("12.5"); numbers are accepted too. */
      balance: lenient(z.union([z.string(), z.number()])),
    }),
  ),
})
export type UsagePayload = z.output<typeof UsagePayloadSchema>

// ---- GET /codex/models -----------------------------------------------------------------------

export const ModelEntrySchema = z.looseObject({
  slug: z.string().min(1),
  display_name: str,
  description: str,
  context_window: num,
  input_modalities: lenient(z.array(z.string())),
  supported_reasoning_levels: lenient(
    z.array(z.looseObject({ effort: z.string(), description: str })),
  ),
  default_reasoning_level: str,
  supports_reasoning_summaries: bool,
  support_verbosity: bool,
  default_verbosity: str,
  prefer_websockets: bool,
  supports_parallel_tool_calls: bool,
  /** Absent means true (§2.5). */
  supported_in_api: bool,
  minimal_client_version: str,
  priority: num,
  available_in_plans: lenient(z.array(z.string())),
})
export type ModelEntry = z.output<typeof ModelEntrySchema>

/** Entries without a slug are skipped (§2.5); undefined when the body has no `models` array. */
export function parseModelsPayload(json: unknown): ModelEntry[] | undefined {
  const body = z.looseObject({ models: z.array(z.unknown()) }).safeParse(json)
  if (!body.success) return undefined
  return body.data.models.flatMap((entry) => {
    const model = ModelEntrySchema.safeParse(entry)
    return model.success ? [model.data] : []
  })
}

// ---- auth.openai.com -------------------------------------------------------------------------

/** `POST /oauth/token` success; a response without all three tokens is unusable (§3.4). */
export const OAuthTokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  id_token: z.string().min(1),
  token_type: str,
  expires_in: num,
  scope: str,
})
export type OAuthTokenResponse = z.output<typeof OAuthTokenResponseSchema>

/** `POST /api/accounts/deviceauth/usercode` (§3.3): `interval` may be a digit string. */
export const DeviceCodeResponseSchema = z.looseObject({
  device_auth_id: z.string().min(1),
  user_code: str,
  usercode: str,
  interval: lenient(z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)])),
  expires_in: num,
  expires_at: str,
})
export type DeviceCodeResponse = z.output<typeof DeviceCodeResponseSchema>

/** `POST /api/accounts/deviceauth/token` success: a code to exchange at `/oauth/token`. */
export const DeviceTokenResponseSchema = z.looseObject({
  authorization_code: z.string().min(1),
  code_verifier: z.string().min(1),
  code_challenge: str,
})
export type DeviceTokenResponse = z.output<typeof DeviceTokenResponseSchema>
