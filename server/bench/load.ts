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
