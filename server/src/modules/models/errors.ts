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

/**
 * 400: the model exists, but no usable account's plan can use it. Said at once instead of failing
 * over through every account; names the plans that can, and those the pool has.
 */
export class ModelNotAvailableError extends AppError {
  constructor(model: string, plans: readonly string[], poolPlans: readonly string[]) {
    const have = [...new Set(poolPlans)].join(', ')
    super(
      `The model \`${model}\` is not available on any usable account: it needs a ${plans.join(', ')} plan, ` +
        `and the accounts this request may use are on ${have}.`,
      { status: 400, code: 'model_not_available', type: 'invalid_request_error', param: 'model' },
    )
  }
}
