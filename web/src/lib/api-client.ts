import type { z } from 'zod'

/** The one error every API call throws: the server's code/message, or a client-side reason. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number

  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return 'Something went wrong'
}

type QueryValue = string | number | boolean | null | undefined | readonly string[]

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Encoded as JSON. */
  json?: unknown
  /** Sent as-is (multipart uploads). */
  form?: FormData
  /** Arrays become repeated parameters (`status=ok&status=error`), as the API expects. */
  query?: Record<string, QueryValue>
  signal?: AbortSignal
}

let unauthorizedHandler: ((error: ApiError) => void) | undefined

/**
 * Called for every 401 outside /api/dashboard-auth: the session expired or was never there, so the app
 * re-reads the session and the auth gate shows the login screen.
 */
export function setUnauthorizedHandler(handler: ((error: ApiError) => void) | undefined): void {
  unauthorizedHandler = handler
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  // Absolute so that the same code runs in the browser and under the test DOM.
  const url = new URL(path, window.location.origin)
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) url.searchParams.append(key, item)
    } else {
      url.searchParams.set(key, String(value))
    }
  }
  return url.toString()
}

export async function apiRequest<S extends z.ZodType>(
  path: string,
  schema: S,
  options?: RequestOptions,
): Promise<z.infer<S>>
export async function apiRequest(
  path: string,
  schema: null,
  options?: RequestOptions,
): Promise<void>
export async function apiRequest(
  path: string,
  schema: z.ZodType | null,
  options: RequestOptions = {},
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' }
  let body: BodyInit | undefined
  if (options.form) body = options.form
  else if (options.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.json)
  }
  let response: Response
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, 'network_error', 'Cannot reach the codex-lb server')
  }

  if (!response.ok) {
    const error = await errorFromResponse(response)
    if (error.status === 401 && !path.startsWith('/api/dashboard-auth/'))
      unauthorizedHandler?.(error)
    throw error
  }
  if (schema === null || response.status === 204 || response.status === 205) return undefined

  const text = await response.text()
  let data: unknown
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    throw new ApiError(response.status, 'invalid_response', `Unexpected response from ${path}`)
  }
  const parsed = schema.safeParse(data)
  if (!parsed.success) {
    console.warn(`codex-lb: ${path} answered an unexpected shape`, parsed.error.issues)
    throw new ApiError(response.status, 'invalid_response', `Unexpected response from ${path}`)
  }
  return parsed.data
}

export interface Download {
  blob: Blob
  /** From Content-Disposition; null when the server named none. */
  filename: string | null
}

/**
 * A file the server makes on request (a POST with a JSON body, so a plain link cannot fetch it).
 * Fails like apiRequest: one ApiError with the server's code and message.
 */
export async function apiDownload(path: string, json: unknown): Promise<Download> {
  let response: Response
  try {
    response = await fetch(buildUrl(path), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(json),
    })
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the codex-lb server')
  }
  if (!response.ok) {
    const error = await errorFromResponse(response)
    if (error.status === 401) unauthorizedHandler?.(error)
    throw error
  }
  const disposition = response.headers.get('content-disposition') ?? ''
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null
  return { blob: await response.blob(), filename }
}

/** Reads either envelope: dashboard `{error:{code,message}}` or OpenAI `{error:{message,type,code}}`. */
async function errorFromResponse(response: Response): Promise<ApiError> {
  const fallback = `Request failed (${response.status}${response.statusText ? ` ${response.statusText}` : ''})`
  let payload: unknown
  try {
    payload = await response.json()
  } catch {
    return new ApiError(response.status, `http_${response.status}`, fallback)
  }
  const error = isRecord(payload) ? payload.error : undefined
  if (isRecord(error)) {
    const code = typeof error.code === 'string' ? error.code : `http_${response.status}`
    const message = typeof error.message === 'string' && error.message ? error.message : fallback
    return new ApiError(response.status, code, message)
  }
  const detail = isRecord(payload) && typeof payload.detail === 'string' ? payload.detail : fallback
  return new ApiError(response.status, `http_${response.status}`, detail)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
