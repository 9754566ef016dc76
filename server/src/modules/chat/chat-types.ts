/** Chat Completions wire shapes codex-lb answers with (what the openai and ai SDKs parse). */

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter'

export interface ChatUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
  completion_tokens_details: { reasoning_tokens: number }
}

/** One tool call's piece of a chunk: id, type and name in its first piece, then arguments. */
export interface ChatToolCallDelta {
  index: number
  id?: string
  type?: 'function'
  function: { name?: string; arguments: string }
}

export interface ChatDelta {
  role?: 'assistant'
  content?: string
  refusal?: string
  tool_calls?: ChatToolCallDelta[]
}

export interface ChatCompletionChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: Array<{ index: 0; delta: ChatDelta; finish_reason: FinishReason | null }>
  /** `null` on every chunk but the last when `include_usage` is on, as OpenAI does; else absent. */
  usage?: ChatUsage | null
}

/** An in-band failure: the openai SDK throws `APIError` on any data object with `error`. */
export interface ChatStreamError {
  error: { message: string; type: string; code: string; param: null; [extra: string]: unknown }
}

export type ChatStreamOutput = ChatCompletionChunk | ChatStreamError

export interface ChatToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export interface ChatCompletion {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: Array<{
    index: 0
    message: {
      role: 'assistant'
      content: string | null
      refusal: string | null
      tool_calls?: ChatToolCall[]
    }
    finish_reason: FinishReason
    logprobs: null
  }>
  usage?: ChatUsage
}
