import { isRecord } from '../../lib/json.js'

/** The events the conversation record reads; deltas pass by unparsed. */
const NOTED = new Set(['response.created', 'response.output_item.done', 'response.completed'])
const NOTED_TYPES = [...NOTED].map((t) => `"${t}"`)

/**
 * What the conversation record keeps of a relayed turn: the response id and the output items, read
 * only from the few events that carry them (a cheap substring check skips the rest unparsed).
 */
export class TurnOutput {
  readonly items: unknown[] = []
  responseId: string | undefined
  bytes = 0
  /** When the client last got a frame (performance.now()): heartbeats fill longer silences. */
  lastFrameAt = performance.now()

  /** `name` is the SSE event name when there is one (WebSocket frames have none). */
  note(data: string, name?: string): void {
    this.lastFrameAt = performance.now()
    const noted = name !== undefined ? NOTED.has(name) : NOTED_TYPES.some((t) => data.includes(t))
    if (!noted) return
    let payload: unknown
    try {
      payload = JSON.parse(data)
    } catch {
      return
    }
    if (!isRecord(payload)) return
    const type = payload['type']
    if (type === 'response.output_item.done' && isRecord(payload['item'])) {
      this.items.push(payload['item'])
      this.bytes += data.length
    } else if (type === 'response.created' || type === 'response.completed') {
      const response = payload['response']
      if (isRecord(response) && typeof response['id'] === 'string') this.responseId = response['id']
    }
  }
}
