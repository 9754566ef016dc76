/** Closed-loop load: `concurrency` clients each send the next request as soon as theirs ended. */
import { request, type Agent } from 'undici'

export interface Sample {
  ttfb: number
  total: number
}

export interface Target {
  url: string
  token: string
  /** JSON body; a streamed Responses turn by default. */
  body?: string
}

export const RESPONSES_BODY = JSON.stringify({
  model: 'gpt-5.5',
  input: 'benchmark',
  instructions: 'x',
})

/**
 * A turn the size of a Codex CLI session's (~130 KB): long instructions, a dozen tool schemas and a
 * history of messages, tool calls and their outputs, all of which travel again on every turn.
 */
export function codexSizedBody(): string {
  const text = (n: number, seed: string) => `${seed} `.repeat(Math.ceil(n / (seed.length + 1)))
  const tools = Array.from({ length: 12 }, (_, i) => ({
    type: 'function',
    name: `tool_${i}`,
    description: text(600, 'Runs a command in the workspace and returns its output.'),
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'array', items: { type: 'string' } },
        workdir: { type: 'string' },
      },
      required: ['command'],
    },
  }))
  const input: unknown[] = []
  for (let turn = 0; turn < 30; turn++) {
    input.push({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: text(400, 'please fix the failing test') }],
    })
    input.push({
      type: 'function_call',
      name: 'tool_0',
      call_id: `call_${turn}`,
      arguments: JSON.stringify({ command: ['bash', '-lc', 'npm test'] }),
    })
    input.push({
      type: 'function_call_output',
      call_id: `call_${turn}`,
      output: text(2400, 'PASS src/module.test.ts ok'),
    })
    input.push({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'output_text', text: text(500, 'The test now passes.') }],
    })
  }
  return JSON.stringify({
    model: 'gpt-5.5',
    instructions: text(12_000, 'You are Codex, a coding agent.'),
    input,
    tools,
    tool_choice: 'auto',
    parallel_tool_calls: true,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: 'bench-session',
  })
}

/** One request read to its last byte: time to the first body chunk and to the end. */
export async function once(agent: Agent, target: Target): Promise<Sample> {
  const start = performance.now()
  const res = await request(target.url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${target.token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
    },
    body: target.body ?? RESPONSES_BODY,
  })
  let ttfb = 0
  for await (const _chunk of res.body) if (!ttfb) ttfb = performance.now() - start
  if (res.statusCode !== 200) throw new Error(`${target.url} answered ${res.statusCode}`)
  return { ttfb, total: performance.now() - start }
}

export async function load(agent: Agent, target: Target, requests: number, concurrency: number) {
  const samples: Sample[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++
        samples.push(await once(agent, target))
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  return { samples, rps: samples.length / seconds }
}

export const totals = (samples: Sample[]) => samples.map((s) => s.total)
export const ttfbs = (samples: Sample[]) => samples.map((s) => s.ttfb)
