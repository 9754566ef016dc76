import { AppError } from '../../errors/index.js'

/** An unknown model, or one the caller's API key may not use: OpenAI's own answer for both. */
export class ModelNotFoundError extends AppError {
  constructor(model: string) {
    super(`The model \`${model}\` does not exist or you do not have access to it.`, {
      status: 404,
      code: 'model_not_found',
      type: 'invalid_request_error',
      param: 'model',
    })
  }
}
