import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, wsUrl } from '../support/ws-client.js'

const MODEL = 'gpt-5.5'
const user = (text: string) => ({ role: 'user', content: [{ type: 'input_text', text }] })
type Json = Record<string, unknown>

// HTTP requests may continue a turn this server produced (over HTTP or a WebSocket) by its id.
describe('HTTP continuity by previous_response_id', () => {
  let h: ProxyHarness
  const postedInputs = () =>
    h.fake
      .requestsTo('/backend-api/codex/responses', 'POST')
      .map((r) => (r.body as Json)['input'] as Json[])

  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount()
  })
  afterEach(() => h.fake.reset())
  afterAll(async () => h.close())

  it('expands a follow-up of an HTTP turn (streaming and not) into the full input', async () => {
    const sdk = h.sdk()
    const one = await sdk.responses.create({ model: MODEL, input: [user('one')] as never })
    const two = await sdk.responses.create({
      model: MODEL,
      previous_response_id: one.id,
      input: [user('two')] as never,
    })
    expect(two.output_text).toBe('Hi from fake upstream!')
    const stream = await sdk.responses.create({
      model: MODEL,
      previous_response_id: two.id,
      input: [user('three')] as never,
      stream: true,
    })
    for await (const event of stream) void event
    const inputs = postedInputs()
    expect(inputs.map((i) => i.length)).toEqual([1, 3, 5])
    expect(inputs[2]!.at(-1)).toEqual(user('three'))
    expect(inputs[2]![1]).toMatchObject({ type: 'message', role: 'assistant' })
    expect(
      h.fake.requestsTo('/backend-api/codex/responses').every((r) => {
        return (r.body as Json)['previous_response_id'] === undefined
      }),
    ).toBe(true)
  })

  it('continues a WebSocket turn over HTTP while its socket is open, not after', async () => {
    const ws = await connectWs(wsUrl(h.t.url), {})
    const frames = await ws.turn({ model: MODEL, input: [user('over ws')] })
    const id = (frames.at(-1)!['response'] as Json)['id'] as string
    const follow = () =>
      fetch(`${h.t.url}/backend-api/codex/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: MODEL,
          previous_response_id: id,
          input: [user('over http')],
        }),
      })
    const res = await follow()
    expect(res.status).toBe(200)
    await res.text()
    // The record of a socket is freed when it closes.
    await ws.close()
    await expect.poll(async () => (await follow()).status).toBe(400)
    expect(
      postedInputs()[0]!.map((i) => (i['content'] as Json[] | undefined)?.[0]?.['text']),
    ).toEqual(['over ws', 'Hi from fake upstream!', 'over http'])
  })

  it('answers an unknown previous_response_id with 400 previous_response_not_found naming the parameter', async () => {
    await expect(
      h.sdk().responses.create({ model: MODEL, previous_response_id: 'resp_nope', input: 'x' }),
    ).rejects.toMatchObject({
      status: 400,
      error: { code: 'previous_response_not_found', param: 'previous_response_id' },
    })
    expect(postedInputs()).toHaveLength(0)
  })
})
