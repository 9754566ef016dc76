/**
 * Events codex-lb writes into a stream itself, in the upstream's own format, when trouble comes after
 * the first byte (reference §1.8): the id is the request id, so logs and clients can match them.
 */
export function failedEvent(
  requestId: string,
  code: string,
  message: string,
  now: number,
  type = 'server_error',
): string {
  const payload = {
    type: 'response.failed',
    response: {
      id: requestId,
      object: 'response',
      created_at: Math.floor(now / 1000),
      status: 'failed',
      error: { code, message, type },
      incomplete_details: null,
    },
  }
  return `event: response.failed\ndata: ${JSON.stringify(payload)}\n\n`
}
