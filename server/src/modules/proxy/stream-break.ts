import { SseEventTooLargeError } from '../../upstream/sse-decoder.js'

export interface StreamBreak {
  code: string
  message: string
  /** The underlying error's text, for the server log only. */
  detail?: string
}

/**
 * What a stream that broke while being read says, to the client and the request log. One wording
 * for every surface: `/v1/responses` and Chat Completions, streamed (in-band) or collected (HTTP).
 */
export function streamBreak(err: unknown): StreamBreak {
  if (err instanceof SseEventTooLargeError) {
    return { code: 'stream_event_too_large', message: 'Upstream sent an event larger than allowed' }
  }
  if ((err as { code?: string }).code === 'UND_ERR_BODY_TIMEOUT') {
    return { code: 'stream_idle_timeout', message: 'Upstream stream idle timeout' }
  }
  return {
    code: 'upstream_error',
    message: 'Upstream connection dropped before the response completed',
    detail: (err as Error).message,
  }
}

/** A body that ended cleanly but without a terminal event. */
export const STREAM_INCOMPLETE: StreamBreak = {
  code: 'stream_incomplete',
  message: 'Upstream closed stream without completion',
}
