import { AppError } from '../../errors/index.js'
import type {
  ChatCompletion,
  ChatStreamError,
  ChatStreamOutput,
  ChatToolCall,
  ChatUsage,
  FinishReason,
} from './chat-types.js'

/**
 * Folds the chunks of a translated stream into one `chat.completion` (reference §6.3): the same
 * translation serves both modes, so a non-streaming answer can never disagree with a streamed one.
 * Tool-call arguments are concatenated per index, once.
 */
export class ChatCompletionBuilder {
  #head: Pick<ChatCompletion, 'id' | 'created' | 'model'> | undefined
  #content = ''
  #refusal = ''
  readonly #calls: ChatToolCall[] = []
  #finish: FinishReason | undefined
  #usage: ChatUsage | undefined
  #error: ChatStreamError['error'] | undefined

  add(out: ChatStreamOutput): void {
    if ('error' in out) {
      this.#error ??= out.error
      return
    }
    this.#head = { id: out.id, created: out.created, model: out.model }
    if (out.usage) this.#usage = out.usage
    for (const choice of out.choices) {
      const { delta } = choice
      this.#content += delta.content ?? ''
      this.#refusal += delta.refusal ?? ''
      for (const piece of delta.tool_calls ?? []) {
        const call = (this.#calls[piece.index] ??= {
          id: '',
          type: 'function',
          function: { name: '', arguments: '' },
        })
        if (piece.id) call.id = piece.id
        if (piece.function.name) call.function.name = piece.function.name
        call.function.arguments += piece.function.arguments
      }
      if (choice.finish_reason) this.#finish = choice.finish_reason
    }
  }

  /** The completion; an upstream failure is thrown as 502 (503 for no_accounts, reference §1.3). */
  build(): ChatCompletion {
    if (this.#error || !this.#head || !this.#finish) {
      const {
        message,
        type,
        code,
        param: _param,
        ...details
      } = this.#error ?? {
        message: 'Upstream closed stream without completion',
        type: 'server_error',
        code: 'upstream_error',
        param: null,
      }
      throw new AppError(message, {
        status: code === 'no_accounts' ? 503 : 502,
        code,
        type,
        details,
      })
    }
    const toolCalls = this.#calls.filter((call) => call !== undefined)
    return {
      ...this.#head,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            // OpenAI answers null, not "", when a turn holds only tool calls.
            content: this.#content === '' && toolCalls.length > 0 ? null : this.#content,
            refusal: this.#refusal || null,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          finish_reason: this.#finish,
          logprobs: null,
        },
      ],
      ...(this.#usage ? { usage: this.#usage } : {}),
    }
  }
}
