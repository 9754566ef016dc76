import { SseDecoder, parseJsonEvent, type SseEvent } from '../../../src/upstream/sse-decoder.js'

export interface SseReadResult {
  events: SseEvent[]
  /** Each event's data as JSON (`{}` for `[DONE]` and non-JSON data). */
  json: Array<Record<string, unknown>>
  /** The JSON `type` of each event (undefined for Chat chunks, `[DONE]`). */
  types: Array<string | undefined>
  /** Responses `output_text.delta` deltas, or Chat `choices[0].delta.content`, concatenated. */
  text: string
  /** Network reads it took: more than the event count means the bytes arrived split. */
  reads: number
}

function deltaText(e: Record<string, unknown>): string {
  if (e.type === 'response.output_text.delta' && typeof e.delta === 'string') return e.delta
  const choice = Array.isArray(e.choices) ? (e.choices[0] as Record<string, unknown>) : undefined
  const delta = choice?.delta as Record<string, unknown> | undefined
  return typeof delta?.content === 'string' ? delta.content : ''
}

/** Reads a whole SSE response body (fetch Response) through the proxy's own decoder. */
export async function readSse(res: Response): Promise<SseReadResult> {
  if (!res.body) throw new Error('response has no body')
  const decoder = new SseDecoder()
  const events: SseEvent[] = []
  const reader = res.body.getReader()
  let reads = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    reads += 1
    events.push(...decoder.push(value))
  }
  events.push(...decoder.end())
  const json = events.map((e) => parseJsonEvent(e) ?? {})
  const types = json.map((e) => (typeof e.type === 'string' ? e.type : undefined))
  return { events, json, types, text: json.map(deltaText).join(''), reads }
}
