import { asRecord, isRecord, toCount } from '../../lib/json.js'
import type {
  ChatCompletionChunk,
  ChatDelta,
  ChatStreamError,
  ChatStreamOutput,
  ChatUsage,
  FinishReason,
} from './chat-types.js'

export interface ChatStreamInit {
  /** `chatcmpl-…`, the same on every chunk of the stream. */
  id: string
  /** Unix seconds. */
  created: number
  model: string
  includeUsage: boolean
}

type Payload = Record<string, unknown>

interface ToolCallState {
  index: number
  /** Argument characters sent so far: a `.done` event fills in only what no delta carried. */
  streamed: number
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** Responses usage → Chat usage, or undefined when the upstream sent none. */
export function chatUsage(usage: unknown): ChatUsage | undefined {
  if (!isRecord(usage)) return undefined
  const inDetails = asRecord(usage['input_tokens_details']) ?? {}
  const outDetails = asRecord(usage['output_tokens_details']) ?? {}
  const prompt = toCount(usage['input_tokens'])
  const completion = toCount(usage['output_tokens'])
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens:
      typeof usage['total_tokens'] === 'number'
        ? toCount(usage['total_tokens'])
        : prompt + completion,
    prompt_tokens_details: { cached_tokens: toCount(inDetails['cached_tokens']) },
    completion_tokens_details: { reasoning_tokens: toCount(outDetails['reasoning_tokens']) },
  }
}

/** True when the value survives JSON.stringify (it throws on nesting a few thousand levels deep). */
function serializable(value: unknown): boolean {
  try {
    JSON.stringify(value)
    return true
  } catch {
    return false
  }
}

/**
 * An upstream error object → the `{error}` data a Chat client throws on; extra fields are kept
 * unless they cannot be sent at all (the sink writes every output as JSON).
 */
function chatError(error: unknown): ChatStreamError {
  const raw = asRecord(error) ?? {}
  return {
    error: {
      ...(serializable(raw) ? raw : {}),
      message: str(raw['message']) || 'Upstream reported a failure',
      type: str(raw['type']) || 'server_error',
      code: str(raw['code']) || str(raw['type']) || 'upstream_error',
      param: null,
    },
  }
}

function finishReason(type: string, response: Payload, sawToolCall: boolean): FinishReason {
  if (type === 'response.incomplete') {
    const details = asRecord(response['incomplete_details']) ?? {}
    if (details['reason'] === 'max_output_tokens') return 'length'
    if (details['reason'] === 'content_filter') return 'content_filter'
  }
  return sawToolCall ? 'tool_calls' : 'stop'
}

/**
 * Responses stream events → `chat.completion.chunk` objects, one event at a time (reference §6.2,
 * without the bugs of §12 items 2 and 6). Each function call gets the next `index` when its output
 * item is added and is found again by `item_id` (or `output_index`), so parallel calls stay apart;
 * its arguments come from `function_call_arguments.delta` only, and `.done` / `output_item.done`
 * add just what no delta carried. Events after the terminal one are ignored.
 */
export class ChatStreamTranslator {
  readonly #init: ChatStreamInit
  #model: string
  #roleSent = false
  #finished = false
  #callCount = 0
  readonly #byItem = new Map<string, ToolCallState>()
  readonly #byOutput = new Map<number, ToolCallState>()

  constructor(init: ChatStreamInit) {
    this.#init = init
    this.#model = init.model
  }

  /** True once a terminal event (or an error) was translated. */
  get finished(): boolean {
    return this.#finished
  }

  push(event: Payload): ChatStreamOutput[] {
    if (this.#finished) return []
    // Text and argument deltas are most of a stream: nothing is read or built for them but the delta.
    const type = str(event['type']) ?? ''
    switch (type) {
      case 'response.created':
        this.#model = str(asRecord(event['response'])?.['model']) ?? this.#model
        return [this.#chunk({ content: '' })]
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.#text(type === 'response.refusal.delta', event['delta'])
      case 'response.output_item.added':
        return this.#callAdded(event)
      case 'response.function_call_arguments.delta':
        return this.#arguments(
          this.#callOf(event['item_id'], event['output_index']),
          str(event['delta']) ?? '',
        )
      case 'response.function_call_arguments.done':
        return this.#rest(
          this.#callOf(event['item_id'], event['output_index']),
          str(event['arguments']),
        )
      case 'response.output_item.done':
        return this.#itemDone(event)
      case 'response.completed':
      case 'response.incomplete':
        return this.#finish(type, asRecord(event['response']) ?? {})
      case 'response.failed':
        this.#finished = true
        return [chatError(asRecord(event['response'])?.['error'])]
      case 'error':
        this.#finished = true
        return [chatError(event['error'] ?? event)]
      default:
        return []
    }
  }

  #text(refusal: boolean, delta: unknown): ChatStreamOutput[] {
    if (typeof delta !== 'string' || delta === '') return []
    return [this.#chunk(refusal ? { refusal: delta } : { content: delta })]
  }

  #chunk(delta: ChatDelta, finish: FinishReason | null = null): ChatCompletionChunk {
    const first = !this.#roleSent
    this.#roleSent = true
    return {
      id: this.#init.id,
      object: 'chat.completion.chunk',
      created: this.#init.created,
      model: this.#model,
      choices: [
        { index: 0, delta: first ? { role: 'assistant', ...delta } : delta, finish_reason: finish },
      ],
      ...(this.#init.includeUsage ? { usage: null } : {}),
    }
  }

  /** Finds a call by its item id, else its output index: deltas carry both, some only one. */
  #callOf(itemId: unknown, outputIndex: unknown): ToolCallState | undefined {
    const byItem = typeof itemId === 'string' ? this.#byItem.get(itemId) : undefined
    return byItem ?? (typeof outputIndex === 'number' ? this.#byOutput.get(outputIndex) : undefined)
  }

  #register(event: Payload, item: Payload): ToolCallState {
    const call: ToolCallState = { index: this.#callCount++, streamed: 0 }
    if (typeof item['id'] === 'string') this.#byItem.set(item['id'], call)
    if (typeof event['output_index'] === 'number') this.#byOutput.set(event['output_index'], call)
    return call
  }

  /** The first piece of a call: its index, id, type and name, once. */
  #announce(call: ToolCallState, item: Payload): ChatStreamOutput {
    const id = str(item['call_id']) ?? str(item['id']) ?? `call_${call.index}`
    const name = str(item['name']) ?? ''
    return this.#chunk({
      tool_calls: [{ index: call.index, id, type: 'function', function: { name, arguments: '' } }],
    })
  }

  #callAdded(event: Payload): ChatStreamOutput[] {
    const item = asRecord(event['item']) ?? {}
    if (item['type'] !== 'function_call') return []
    return [this.#announce(this.#register(event, item), item)]
  }

  #arguments(call: ToolCallState | undefined, piece: string): ChatStreamOutput[] {
    if (!call || piece === '') return []
    call.streamed += piece.length
    return [this.#chunk({ tool_calls: [{ index: call.index, function: { arguments: piece } }] })]
  }

  /** The full arguments at the end of a call: only the part no delta carried is still news. */
  #rest(call: ToolCallState | undefined, full: string | undefined): ChatStreamOutput[] {
    if (!call || full === undefined || full.length <= call.streamed) return []
    return this.#arguments(call, full.slice(call.streamed))
  }

  #itemDone(event: Payload): ChatStreamOutput[] {
    const item = asRecord(event['item']) ?? {}
    if (item['type'] !== 'function_call') return []
    const known = this.#callOf(item['id'], event['output_index'])
    if (known) return this.#rest(known, str(item['arguments']))
    // A call seen only now (an upstream that skipped `output_item.added`) is announced here.
    const call = this.#register(event, item)
    return [this.#announce(call, item), ...this.#rest(call, str(item['arguments']))]
  }

  #finish(type: string, response: Payload): ChatStreamOutput[] {
    this.#finished = true
    const out: ChatStreamOutput[] = [
      this.#chunk({}, finishReason(type, response, this.#callCount > 0)),
    ]
    const usage = chatUsage(response['usage'])
    if (this.#init.includeUsage && usage) {
      out.push({
        id: this.#init.id,
        object: 'chat.completion.chunk',
        created: this.#init.created,
        model: this.#model,
        choices: [],
        usage,
      })
    }
    return out
  }
}
