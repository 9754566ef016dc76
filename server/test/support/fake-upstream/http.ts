import type { IncomingMessage, ServerResponse } from 'node:http'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { decompress as zstdDecompress } from 'fzstd'
import type { RecordedRequest } from './types.js'

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Undoes `content-encoding` (listed in application order, so undone right to left). */
function decode(body: Buffer, header: string | undefined): Buffer {
  if (!header || body.length === 0) return body
  const encodings = header
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .reverse()
  let out = body
  for (const encoding of encodings) {
    if (encoding === 'zstd') out = Buffer.from(zstdDecompress(out))
    else if (encoding === 'gzip' || encoding === 'x-gzip') out = gunzipSync(out)
    else if (encoding === 'deflate') out = inflateSync(out)
    else if (encoding === 'br') out = brotliDecompressSync(out)
    else if (encoding !== 'identity' && encoding !== '') {
      throw new Error(`unsupported content-encoding ${encoding}`)
    }
  }
  return out
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined
  const text = raw.toString('utf8')
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text))
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Reads and records a request; a body that fails to decode is recorded raw with `body` undefined. */
export async function recordRequest(req: IncomingMessage): Promise<{
  record: RecordedRequest
  decodeError: Error | undefined
}> {
  const url = new URL(req.url ?? '/', 'http://fake.invalid')
  const headers = flatHeaders(req)
  const raw = await readAll(req)
  let rawBody = raw
  let decodeError: Error | undefined
  try {
    rawBody = decode(raw, headers['content-encoding'])
  } catch (err) {
    decodeError = err as Error
  }
  const record: RecordedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    rawBody,
    body: decodeError ? undefined : parseBody(rawBody, headers['content-type']),
    account: undefined,
    aborted: false,
    status: undefined,
  }
  return { record, decodeError }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** The upstream's error envelope: `{"error":{"message","type","code","param"}}`. */
export function errorBody(code: string, message: string, type: string | null = null) {
  return { error: { message, type, code, param: null } }
}

/** What the backend answers for a token it does not accept. */
export const EXPIRED = errorBody(
  'token_expired',
  'Provided authentication token is expired. Please try signing in again.',
)

export function bearer(req: RecordedRequest): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')
  return match?.[1]?.trim()
}

export function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const value = (body as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : undefined
}
