import type { ZodType, z } from 'zod'
import { ValidationError } from './errors.js'

/** `limits[0].maxValue` for the path `['limits', 0, 'maxValue']`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

/**
 * Parses a request body (or query) and throws a ValidationError that names the offending field, so
 * a dashboard user sees "limits[0].maxValue: …" instead of a bare "Invalid request payload".
 */
export function parseRequest<S extends ZodType>(
  schema: S,
  value: unknown,
  status: 400 | 422 = 422,
): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue ? formatIssuePath(issue.path) : ''
  const detail = issue ? `${field === '' ? 'body' : field}: ${issue.message}` : 'invalid'
  return throwValidation(`Invalid request payload: ${detail}`, field, status)
}

function throwValidation(message: string, field: string, status: 400 | 422): never {
  throw new ValidationError(message, field === '' ? undefined : field, status)
}
