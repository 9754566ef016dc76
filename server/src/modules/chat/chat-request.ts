import { isRecord } from '../../lib/json.js'
import { translateText, translateToolChoice, translateTools } from './chat-options.js'
import { invalid, optionalBoolean, optionalString, requiredString } from './invalid.js'
import { coerceMessages } from './message-coercion.js'

/** A Chat Completions request turned into a Responses body, plus what only the Chat side needs. */
export interface ChatRequest {
  /** The Responses body; `parseResponsesRequest` normalizes it like any other. */
  responses: Record<string, unknown>
  stream: boolean
  /** A final `choices: []` chunk with the usage: `stream_options.include_usage` when streaming;
   * always otherwise, since a completion carries its usage. */
  includeUsage: boolean
}

type Check = (value: unknown) => boolean

/**
 * Options the Codex backend cannot honour and whose loss would change the answer the client asked
 * for (several choices, log-probabilities, audio, cut-off at stop sequences, token bias…): a 400
 * naming the option beats a reply that silently ignores it. Their neutral values pass.
 */
const UNSUPPORTED: ReadonlyArray<[key: string, neutral: Check, message: string]> = [
  ['n', (v) => v === 1, 'Only n=1 is supported'],
  ['logprobs', (v) => v === false, 'logprobs are not supported'],
  ['top_logprobs', (v) => v === 0, 'top_logprobs are not supported'],
  ['audio', () => false, 'Audio output is not supported'],
  [
    'modalities',
    (v) => Array.isArray(v) && v.every((m) => m === 'text'),
    'Only the text modality is supported',
  ],
  ['prediction', () => false, 'Predicted outputs are not supported'],
  ['stop', (v) => v === '' || (Array.isArray(v) && v.length === 0), 'stop is not supported'],
  ['logit_bias', (v) => isRecord(v) && Object.keys(v).length === 0, 'logit_bias is not supported'],
  ['functions', () => false, 'The legacy `functions` is not supported; use `tools`'],
  ['function_call', () => false, 'The legacy `function_call` is not supported; use `tool_choice`'],
  ['web_search_options', () => false, 'web_search_options is not supported'],
  ['store', (v) => v === false, 'store: true is not supported; completions are not stored'],
]

/*
 * Left out of the upstream body on purpose (reference §12 item 5, where the original forwarded them
 * and the backend refused the request):
 * - `max_tokens` / `max_completion_tokens`: the ChatGPT backend rejects `max_output_tokens`, so there
 *   is no way to pass a cap; the model stops on its own.
 * - `temperature`, `top_p`, `presence_penalty`, `frequency_penalty`, `seed`: sampling hints the
 *   Codex reasoning models refuse ("Unsupported parameter"); many clients send defaults for them,
 *   and the answer is still an answer to the request without them.
 * - `user`, `metadata`, `safety_identifier`, `prompt_cache_retention`, `stream_options` other than
 *   `include_usage`: bookkeeping with no meaning for the Codex backend.
 * Any field not named anywhere here is ignored too: the Responses body is built, never copied.
 */

function rejectUnsupported(raw: Record<string, unknown>): void {
  for (const [key, neutral, message] of UNSUPPORTED) {
    const value = raw[key]
    if (value !== undefined && value !== null && !neutral(value)) invalid(message, [key])
  }
}

function includeUsage(options: unknown): boolean {
  if (options === undefined || options === null) return false
  if (!isRecord(options)) invalid('`stream_options` must be an object', ['stream_options'])
  return optionalBoolean(options['include_usage'], ['stream_options', 'include_usage']) ?? false
}

/** The optional Responses fields, each only when the client set it. */
function responsesOptions(raw: Record<string, unknown>): Record<string, unknown> {
  const tools = translateTools(raw['tools'])
  const toolChoice = translateToolChoice(raw['tool_choice'])
  const parallel = optionalBoolean(raw['parallel_tool_calls'], ['parallel_tool_calls'])
  const text = translateText(raw['response_format'], raw['verbosity'])
  const effort = optionalString(raw['reasoning_effort'], ['reasoning_effort'])
  const cacheKey = optionalString(raw['prompt_cache_key'], ['prompt_cache_key'])
  const tier = optionalString(raw['service_tier'], ['service_tier'])
  return {
    ...(tools ? { tools } : {}),
    ...(toolChoice !== undefined ? { tool_choice: toolChoice } : {}),
    ...(parallel !== undefined ? { parallel_tool_calls: parallel } : {}),
    ...(text ? { text } : {}),
    ...(effort ? { reasoning: { effort } } : {}),
    ...(cacheKey ? { prompt_cache_key: cacheKey } : {}),
    ...(tier ? { service_tier: tier } : {}),
  }
}

/**
 * Validates a Chat Completions body and translates it to the Responses API (reference §6.1, minus
 * the bugs of §12 items 3–5). Every rejection is a 400 whose `param` names the offending field.
 */
export function translateChatRequest(raw: unknown): ChatRequest {
  if (!isRecord(raw)) invalid('Request body must be a JSON object', ['body'])
  const model = requiredString(raw['model'], ['model'])
  rejectUnsupported(raw)
  const stream = optionalBoolean(raw['stream'], ['stream']) ?? false
  const usage = includeUsage(raw['stream_options'])
  const { instructions, input } = coerceMessages(raw['messages'])
  return {
    responses: {
      model,
      // Always present, "" without system messages, like the original's /v1 surface (§2.3).
      instructions: instructions.join('\n'),
      input,
      ...responsesOptions(raw),
    },
    stream,
    includeUsage: stream ? usage : true,
  }
}
