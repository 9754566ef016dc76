import type { ResponseBehaviour, ToolCall, WireUsage } from './types.js'

export const DEFAULT_TEXT = 'Hi from fake upstream!'
export const DEFAULT_MODEL = 'gpt-5.5'
export const DEFAULT_USAGE: WireUsage = {
  input_tokens: 42,
  input_tokens_details: { cached_tokens: 10 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 49,
}

export interface StreamContext {
  responseId: string
  model: string
  createdAt: number
}

type Json = Record<string, unknown>

/** The `response` object as it appears inside created / completed / failed events. */
function responseObject(ctx: StreamContext, status: string, extra: Json = {}): Json {
  return {
    id: ctx.responseId,
    object: 'response',
    created_at: ctx.createdAt,
    status,
    model: ctx.model,
    output: [],
    usage: null,
    error: null,
    incomplete_details: null,
    ...extra,
  }
}

function splitText(text: string): string[] {
  return text.split(/(?=\s)/).filter((piece) => piece !== '')
}

function messageItem(text: string, deltas: string[], outputIndex: number) {
  const id = `msg_${outputIndex + 1}`
  const part = { type: 'output_text', text: '', annotations: [] }
  const donePart = { ...part, text }
  const base = { item_id: id, output_index: outputIndex, content_index: 0 }
  const item = { id, type: 'message', role: 'assistant' }
  const doneItem = { ...item, status: 'completed', content: [donePart] }
  const events: Json[] = [
    {
      type: 'response.output_item.added',
      output_index: outputIndex,
      item: { ...item, status: 'in_progress', content: [] },
    },
    { type: 'response.content_part.added', ...base, part },
    ...deltas.map((delta) => ({
      type: 'response.output_text.delta',
      ...base,
      delta,
      logprobs: [],
    })),
    { type: 'response.output_text.done', ...base, text, logprobs: [] },
    { type: 'response.content_part.done', ...base, part: donePart },
    { type: 'response.output_item.done', output_index: outputIndex, item: doneItem },
  ]
  return { events, item: doneItem }
}

function argumentPieces(args: string): string[] {
  const size = Math.max(1, Math.ceil(args.length / 3))
  const pieces: string[] = []
  for (let i = 0; i < args.length; i += size) pieces.push(args.slice(i, i + size))
  return pieces
}

function toolCallItems(calls: ToolCall[], firstIndex: number, interleave: boolean) {
  const prepared = calls.map((call, n) => {
    const outputIndex = firstIndex + n
    const args =
      typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments)
    const id = `fc_${outputIndex + 1}`
    const item = {
      id,
      type: 'function_call',
      call_id: call.callId ?? `call_${n + 1}`,
      name: call.name,
    }
    return {
      added: {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      },
      deltas: argumentPieces(args).map((delta) => ({
        type: 'response.function_call_arguments.delta',
        item_id: id,
        output_index: outputIndex,
        delta,
      })),
      done: [
        {
          type: 'response.function_call_arguments.done',
          item_id: id,
          output_index: outputIndex,
          arguments: args,
        },
        {
          type: 'response.output_item.done',
          output_index: outputIndex,
          item: { ...item, status: 'completed', arguments: args },
        },
      ],
      item: { ...item, status: 'completed', arguments: args },
    }
  })
  const events: Json[] = []
  if (interleave) {
    events.push(...prepared.map((p) => p.added))
    const longest = Math.max(...prepared.map((p) => p.deltas.length))
    for (let i = 0; i < longest; i++) {
      for (const p of prepared) if (p.deltas[i]) events.push(p.deltas[i] as Json)
    }
    for (const p of prepared) events.push(...p.done)
  } else {
    for (const p of prepared) events.push(p.added, ...p.deltas, ...p.done)
  }
  return { events, items: prepared.map((p) => p.item) }
}

function failedEvent(ctx: StreamContext, code: string, message: string | undefined): Json {
  const error = { code, message: message ?? `Fake upstream failure: ${code}` }
  return { type: 'response.failed', response: responseObject(ctx, 'failed', { error }) }
}

/**
 * The event objects a behaviour streams, with `sequence_number`, in the order of the real upstream
 * (reference clients.md §1: created → in_progress → items → terminal).
 */
export function buildEvents(behaviour: ResponseBehaviour, ctx: StreamContext): Json[] {
  if (behaviour.kind === 'raw' || behaviour.kind === 'http-error') return []
  if (behaviour.kind === 'first-event-failed') {
    const message = behaviour.message ?? `Fake upstream failure: ${behaviour.code}`
    const event =
      behaviour.event === 'error'
        ? {
            type: 'error',
            error: { type: behaviour.code, code: behaviour.code, message, param: null },
          }
        : failedEvent(ctx, behaviour.code, message)
    return [{ ...event, sequence_number: 0 }]
  }
  const head: Json[] = [
    { type: 'response.created', response: responseObject(ctx, 'in_progress') },
    { type: 'response.in_progress', response: responseObject(ctx, 'in_progress') },
  ]
  const text = behaviour.text ?? (behaviour.kind === 'tool-calls' ? undefined : DEFAULT_TEXT)
  const body: Json[] = []
  const output: Json[] = []
  if (text !== undefined) {
    const message = messageItem(text, behaviour.deltas ?? splitText(text), 0)
    body.push(...message.events)
    output.push(message.item)
  }
  if (behaviour.kind === 'tool-calls') {
    const calls = toolCallItems(behaviour.calls, output.length, behaviour.interleave ?? false)
    body.push(...calls.events)
    output.push(...calls.items)
  }
  const usage = behaviour.usage ?? DEFAULT_USAGE
  let events: Json[]
  if (behaviour.kind === 'failed') {
    const prefix = [...head, ...body].slice(0, behaviour.afterEvents ?? head.length)
    events = [...prefix, failedEvent(ctx, behaviour.code, behaviour.message)]
  } else if (behaviour.kind === 'incomplete') {
    const details = { reason: behaviour.reason ?? 'max_output_tokens' }
    const response = responseObject(ctx, 'incomplete', {
      output,
      usage,
      incomplete_details: details,
    })
    events = [...head, ...body, { type: 'response.incomplete', response }]
  } else if (behaviour.kind === 'no-terminal') {
    events = [...head, ...body]
  } else {
    const response = responseObject(ctx, 'completed', { output, usage })
    events = [...head, ...body, { type: 'response.completed', response }]
  }
  return events.map((event, n) => ({ ...event, sequence_number: n }))
}
