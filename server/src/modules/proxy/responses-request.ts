import { BadRequestError } from '../../errors/index.js'
import { isRecord, nestedDeeperThan } from '../../lib/json.js'

/** A validated Responses request: the body to send upstream plus what routing and logging need. */
export interface ResponsesRequest {
  /** Sent upstream as JSON; always `stream: true`, `store: false`. */
  body: Record<string, unknown>
  model: string
  reasoningEffort: string | null
  /** `service_tier` as sent (`priority` is the Codex CLI's Fast mode). */
  serviceTier: string | null
  promptCacheKey: string | null
  /** What the client asked for (the upstream is always streamed). */
  clientWantsStream: boolean
}

const ALLOWED_INCLUDE = new Set([
  'code_interpreter_call.outputs',
  'computer_call_output.output.image_url',
  'file_search_call.results',
  'message.input_image.image_url',
  'message.output_text.logprobs',
  'reasoning.encrypted_content',
  'web_search_call.action.sources',
])
const UNSUPPORTED_TOOLS = new Set([
  'file_search',
  'code_interpreter',
  'computer_use',
  'computer_use_preview',
  'image_generation',
])
/**
 * Far deeper than any real request (input items, content parts, tool schemas). A body past it would
 * be accepted here and then fail to serialize for the upstream, as a 500.
 */
const MAX_BODY_DEPTH = 512
/** Rejected by the ChatGPT backend; dropping them beats a confusing upstream 400. */
const DROPPED_FIELDS = ['max_output_tokens']

function invalid(message: string, param: string): never {
  throw new BadRequestError(message, 'invalid_request_error', param)
}

function hasFileId(part: unknown): boolean {
  return (
    isRecord(part) &&
    part['type'] === 'input_file' &&
    typeof part['file_id'] === 'string' &&
    part['file_id'] !== ''
  )
}

function normalizeInput(input: unknown): unknown[] {
  if (typeof input === 'string') {
    return [{ role: 'user', content: [{ type: 'input_text', text: input }] }]
  }
  if (!Array.isArray(input)) invalid('`input` must be a string or an array of input items', 'input')
  input.forEach((item, i) => {
    if (!isRecord(item)) invalid(`input[${i}] must be an object`, `input.${i}`)
    const content = item['content']
    if (hasFileId(item) || (Array.isArray(content) && content.some(hasFileId))) {
      invalid(
        'input_file with file_id is not supported; send the file inline as file_data',
        'input',
      )
    }
  })
  return input
}

function normalizeTools(tools: unknown): unknown[] | undefined {
  if (tools === undefined || tools === null) return undefined
  if (!Array.isArray(tools)) invalid('`tools` must be an array', 'tools')
  return tools.map((tool, i) => {
    if (!isRecord(tool) || typeof tool['type'] !== 'string') {
      invalid(`tools[${i}] must be an object with a type`, `tools.${i}`)
    }
    const type = tool['type']
    if (UNSUPPORTED_TOOLS.has(type))
      invalid(`Tool type '${type}' is not supported`, `tools.${i}.type`)
    return type === 'web_search_preview' ? { ...tool, type: 'web_search' } : tool
  })
}

function normalizeToolChoice(choice: unknown): unknown {
  if (isRecord(choice) && choice['type'] === 'web_search_preview')
    return { ...choice, type: 'web_search' }
  if (choice !== undefined && typeof choice !== 'string' && !isRecord(choice)) {
    invalid('`tool_choice` must be a string or an object', 'tool_choice')
  }
  return choice
}

function checkInclude(include: unknown): void {
  if (include === undefined || include === null) return
  if (!Array.isArray(include)) invalid('`include` must be an array of strings', 'include')
  include.forEach((v, i) => {
    if (typeof v !== 'string' || !ALLOWED_INCLUDE.has(v)) {
      const shown = JSON.stringify(v) ?? String(v)
      const short = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown
      invalid(`Unsupported include value: ${short}`, `include.${i}`)
    }
  })
}

function optionalString(body: Record<string, unknown>, key: string): string | null {
  const v = body[key]
  if (v === undefined || v === null) return null
  if (typeof v !== 'string') invalid(`\`${key}\` must be a string`, key)
  return v
}

/**
 * Validates and normalizes a Responses API body (reference §1.7). Unknown fields are forwarded: the
 * Codex CLI adds new ones often and the upstream is their judge.
 */
export function parseResponsesRequest(raw: unknown): ResponsesRequest {
  if (!isRecord(raw)) invalid('Request body must be a JSON object', 'body')
  if (nestedDeeperThan(raw, MAX_BODY_DEPTH)) {
    invalid(`Request body nests deeper than ${MAX_BODY_DEPTH} levels`, 'body')
  }
  const model = raw['model']
  if (typeof model !== 'string' || model.trim() === '') invalid('`model` is required', 'model')
  if (raw['input'] === undefined) invalid('`input` is required', 'input')
  if (raw['store'] === true)
    invalid('`store: true` is not supported; responses are not stored', 'store')
  for (const key of ['truncation', 'previous_response_id'] as const) {
    if (raw[key] !== undefined && raw[key] !== null) invalid(`\`${key}\` is not supported`, key)
  }
  if (raw['stream'] !== undefined && typeof raw['stream'] !== 'boolean') {
    invalid('`stream` must be a boolean', 'stream')
  }
  optionalString(raw, 'instructions')
  const promptCacheKey = optionalString(raw, 'prompt_cache_key')
  const serviceTier = optionalString(raw, 'service_tier')
  checkInclude(raw['include'])
  const reasoning = raw['reasoning']
  if (reasoning !== undefined && reasoning !== null && !isRecord(reasoning)) {
    invalid('`reasoning` must be an object', 'reasoning')
  }
  const effort = isRecord(reasoning) ? reasoning['effort'] : undefined
  const body: Record<string, unknown> = { ...raw }
  for (const key of DROPPED_FIELDS) delete body[key]
  body['input'] = normalizeInput(raw['input'])
  const tools = normalizeTools(raw['tools'])
  if (tools !== undefined) body['tools'] = tools
  if (raw['tool_choice'] !== undefined)
    body['tool_choice'] = normalizeToolChoice(raw['tool_choice'])
  body['store'] = false
  body['stream'] = true
  return {
    body,
    model,
    reasoningEffort: typeof effort === 'string' ? effort : null,
    serviceTier,
    promptCacheKey: promptCacheKey?.trim() || null,
    clientWantsStream: raw['stream'] === true,
  }
}
