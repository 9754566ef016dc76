import { BadRequestError, formatIssuePath } from '../../errors/index.js'

/** A location in the request body, e.g. `['messages', 2, 'tool_call_id']`. */
export type BodyPath = ReadonlyArray<string | number>

/**
 * 400 in the OpenAI envelope, with `param` in OpenAI's own notation (`messages[2].tool_call_id`), so
 * SDK users see which part of their request to fix.
 */
export function invalid(message: string, path: BodyPath): never {
  throw new BadRequestError(message, 'invalid_request_error', pathText(path))
}

/**
 * `messages[2].tool_call_id`, cut short: a path can hold the client's own keys (JSON Schema property
 * names), of any size.
 */
function pathText(path: BodyPath): string {
  const text = formatIssuePath(path)
  return text.length > 200 ? `${text.slice(0, 197)}...` : text
}

/** The field as the client wrote it, for messages: `` `messages[2].role` ``. */
export function field(path: BodyPath): string {
  return `\`${pathText(path)}\``
}

/** A client value quoted in a message, cut short: the body may hold anything, of any size. */
export function shown(value: unknown): string {
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    // Nested too deep to stringify (JSON.parse takes far deeper bodies than JSON.stringify).
    text = Array.isArray(value) ? '[…]' : '{…}'
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** A string field that may be absent or null; anything else is a 400 naming the field. */
export function optionalString(value: unknown, path: BodyPath): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') invalid(`${field(path)} must be a string`, path)
  return value
}

export function optionalBoolean(value: unknown, path: BodyPath): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') invalid(`${field(path)} must be a boolean`, path)
  return value
}

/** A non-empty string field that must be present. */
export function requiredString(value: unknown, path: BodyPath): string {
  if (typeof value !== 'string' || value === '') {
    invalid(`${field(path)} is required and must be a non-empty string`, path)
  }
  return value
}
