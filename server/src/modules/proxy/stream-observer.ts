import { parseJsonEvent, type SseEvent } from '../../upstream/sse-decoder.js'
import type { TokenUsage } from '../request-logs/pricing.js'
import { isRecord, toCount } from '../../lib/json.js'

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])
/** Event names whose payload we must read; deltas and the rest pass by unparsed. */
const INTERESTING = new Set([
  ...TERMINAL,
  'error',
  'response.created',
  'response.output_item.done',
  'codex.rate_limits',
])

export interface StreamError {
  code: string
  message: string
  /** The upstream's error object, for failover classification. */
  raw: Record<string, unknown> | undefined
}

/**
 * Watches a Responses stream on the side: which terminal event arrived, the usage it carried, and
 * any error. Reads only the events that matter, so long streams of deltas cost one Map lookup each.
 */
export class StreamObserver {
  terminal: string | undefined
  usage: TokenUsage | undefined
  error: StreamError | undefined
  /** The final `response` object (for non-streaming clients). */
  response: Record<string, unknown> | undefined
  /** The response's id, from `response.created` on. */
  responseId: string | undefined
  /** Output items as `response.output_item.done` delivered them: what the conversation keeps. */
  readonly outputItems: unknown[] = []
  /** JSON size of those items. */
  outputBytes = 0
  events = 0

  /** `onRateLimits` hears each `codex.rate_limits` event (the account's usage windows). */
  constructor(private readonly onRateLimits?: (event: Record<string, unknown>) => void) {}

  observe(e: SseEvent): Record<string, unknown> | undefined {
    this.events++
    if (e.event !== undefined && !INTERESTING.has(e.event)) return undefined
    // Parsed once per event: a translation reading the same event gets this object.
    const payload = parseJsonEvent(e)
    if (payload === undefined) return undefined
    const type = typeof payload['type'] === 'string' ? payload['type'] : e.event
    if (type === undefined || !INTERESTING.has(type)) return payload
    if (type === 'codex.rate_limits') {
      this.onRateLimits?.(payload)
      return payload
    }
    const response = isRecord(payload['response']) ? payload['response'] : undefined
    if (typeof response?.['id'] === 'string') this.responseId = response['id']
    if (type === 'response.output_item.done' && isRecord(payload['item'])) {
      this.outputItems.push(payload['item'])
      this.outputBytes += e.data.length
    }
    if (type === 'error') this.error = readError(payload['error'] ?? payload)
    if (TERMINAL.has(type)) {
      this.terminal = type
      this.response = response
      const usage = readUsage(response?.['usage'])
      if (usage) this.usage = usage
      if (type === 'response.failed') this.error = readError(response?.['error'])
      if (type === 'response.incomplete') {
        const details = isRecord(response?.['incomplete_details'])
          ? response['incomplete_details']
          : {}
        const reason = typeof details['reason'] === 'string' ? details['reason'] : 'incomplete'
        this.error ??= { code: reason, message: `Response incomplete: ${reason}`, raw: undefined }
      }
    }
    return payload
  }
}

/** A Responses `usage` object as token counts (non-numbers read as 0); undefined when absent. */
export function readUsage(u: unknown): TokenUsage | undefined {
  if (!isRecord(u)) return undefined
  const inDetails = isRecord(u['input_tokens_details']) ? u['input_tokens_details'] : {}
  const outDetails = isRecord(u['output_tokens_details']) ? u['output_tokens_details'] : {}
  return {
    inputTokens: toCount(u['input_tokens']),
    cachedInputTokens: toCount(inDetails['cached_tokens']),
    outputTokens: toCount(u['output_tokens']),
    reasoningTokens: toCount(outDetails['reasoning_tokens']),
  }
}

function readError(e: unknown): StreamError {
  const rec = isRecord(e) ? e : undefined
  const code = rec?.['code'] ?? rec?.['type']
  const message = rec?.['message']
  return {
    code: typeof code === 'string' && code ? code.toLowerCase() : 'upstream_error',
    message: typeof message === 'string' && message ? message : 'Upstream reported a failure',
    raw: rec,
  }
}
