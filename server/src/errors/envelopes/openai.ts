import type { AppError } from '../errors.js'

export interface OpenAiErrorBody {
  error: { message: string; type: string; code: string; param?: string; [extra: string]: unknown }
}

/** The OpenAI error envelope used on /v1/* and /backend-api/*. */
export function openAiEnvelope(err: AppError): OpenAiErrorBody {
  const code = err.status === 500 && err.code === 'internal_error' ? 'server_error' : err.code
  return {
    error: {
      ...err.details,
      message: err.message,
      type: err.type,
      code,
      ...(err.param === undefined ? {} : { param: err.param }),
    },
  }
}
