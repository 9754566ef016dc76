import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/*
 * A small fake of the public OpenAI API (what an overflow upstream speaks), separate from the
 * ChatGPT-backend fake: `POST /v1/responses` and `/v1/chat/completions` (SSE or JSON), `GET
 * /v1/models`, a bearer-key check, and scriptable failures.
 */

export interface FakeOpenAiRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown> | undefined
}

/** The next request's answer: an HTTP error, or a connection dropped before any byte. */
export type FakeOpenAiFailure =
  | { kind: 'http'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'drop' }

export interface FakeOpenAi {
  /** e.g. http://127.0.0.1:1234/v1 */
  baseUrl: string
  apiKey: string
  requests: FakeOpenAiRequest[]
  /** Answers the next requests with these, in order, before answering normally again. */
  failNext(...failures: FakeOpenAiFailure[]): void
  /** Every request from now on fails like this until `recover()`. */
  failAlways(failure: FakeOpenAiFailure): void
  recover(): void
  text: string
  usage: { input: number; cached: number; output: number }
  close(): Promise<void>
}

const mask = (key: string) => `${key.slice(0, 3)}***${key.slice(-4)}`

export async function startFakeOpenAi(
  apiKey = 'sk-overflow-test-0123456789abcdef',
): Promise<FakeOpenAi> {
  const queue: FakeOpenAiFailure[] = []
  let always: FakeOpenAiFailure | undefined
  const fake = {
    baseUrl: '',
    apiKey,
    requests: [] as FakeOpenAiRequest[],
    failNext: (...f: FakeOpenAiFailure[]) => void queue.push(...f),
    failAlways: (f: FakeOpenAiFailure) => void (always = f),
    recover: () => void (always = undefined),
    text: 'Hello from the overflow API.',
    usage: { input: 120, cached: 20, output: 30 },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined
    const path = (req.url ?? '').split('?')[0]!
    fake.requests.push({ method: req.method ?? '', path, headers: req.headers, body })
    const auth = req.headers.authorization ?? ''
    if (auth !== `Bearer ${apiKey}`) {
      const given = auth.replace(/^Bearer /, '')
      return json(res, 401, {
        error: {
          message: `Incorrect API key provided: ${mask(given)}.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
          param: null,
        },
      })
    }
    const failure = queue.shift() ?? always
    if (failure?.kind === 'drop') return void req.socket.destroy()
    if (failure)
      return json(res, failure.status, failure.body ?? errorFor(failure.status), failure.headers)
    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, { object: 'list', data: [{ id: 'gpt-5.1', object: 'model' }] })
    }
    const model = typeof body?.['model'] === 'string' ? body['model'] : 'unknown'
    const stream = body?.['stream'] === true
    if (req.method === 'POST' && path === '/v1/responses') return responses(res, model, stream)
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(res, model, stream)
    json(res, 404, { error: { message: 'Not found', type: 'invalid_request_error', code: null } })
  }

  function responses(res: ServerResponse, model: string, stream: boolean) {
    const id = `resp_${randomUUID().replace(/-/g, '')}`
    const { input, cached, output } = fake.usage
    const item = {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: fake.text, annotations: [] }],
    }
    const done = {
      id,
      object: 'response',
      status: 'completed',
      model,
      output: [item],
      usage: {
        input_tokens: input,
        input_tokens_details: { cached_tokens: cached },
        output_tokens: output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: input + output,
      },
    }
    if (!stream) return json(res, 200, done)
    const created = { ...done, status: 'in_progress', output: [], usage: null }
    sse(res, [
      ['response.created', { type: 'response.created', response: created }],
      [
        'response.output_text.delta',
        {
          type: 'response.output_text.delta',
          item_id: item.id,
          output_index: 0,
          content_index: 0,
          delta: fake.text,
        },
      ],
      ['response.output_item.done', { type: 'response.output_item.done', output_index: 0, item }],
      ['response.completed', { type: 'response.completed', response: done }],
    ])
  }

  function chat(res: ServerResponse, model: string, stream: boolean) {
    const id = `chatcmpl-${randomUUID()}`
    const { input, cached, output } = fake.usage
    const usage = {
      prompt_tokens: input,
      completion_tokens: output,
      total_tokens: input + output,
      prompt_tokens_details: { cached_tokens: cached },
    }
    const base = { id, object: 'chat.completion.chunk', created: 1, model }
    if (!stream) {
      return json(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [
          { index: 0, message: { role: 'assistant', content: fake.text }, finish_reason: 'stop' },
        ],
        usage,
      })
    }
    sse(res, [
      [
        undefined,
        {
          ...base,
          choices: [
            { index: 0, delta: { role: 'assistant', content: fake.text }, finish_reason: null },
          ],
        },
      ],
      [undefined, { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage }],
      [undefined, '[DONE]'],
    ])
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  return fake
}

function errorFor(status: number) {
  const code =
    status === 429
      ? 'rate_limit_exceeded'
      : status >= 500
        ? 'server_error'
        : 'invalid_request_error'
  return { error: { message: `Fake OpenAI error ${status}`, type: code, code, param: null } }
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function sse(res: ServerResponse, events: Array<[string | undefined, unknown]>) {
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  for (const [event, data] of events) {
    const payload = typeof data === 'string' ? data : JSON.stringify(data)
    res.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`)
  }
  res.end()
}
