import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readSse, type ResponseBehaviour } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const DROPPED = 'Upstream connection dropped before the response completed'
const user = [{ role: 'user', content: 'hi' }]

type Surface = 'responses' | 'chat'

/** The same request on `/v1/responses` or Chat Completions, streamed or not. */
function post(h: ProxyHarness, surface: Surface, stream: boolean) {
  const [path, body] =
    surface === 'responses'
      ? ['/v1/responses', { model: 'gpt-5.5', input: 'hi', stream }]
      : ['/v1/chat/completions', { model: 'gpt-5.5', messages: user, stream }]
  return fetch(`${h.t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** The answer's text, from a Responses object or a Chat completion. */
function textOf(surface: Surface, body: Record<string, unknown>): string {
  if (surface === 'chat') {
    return (body as { choices: Array<{ message: { content: string } }> }).choices[0]!.message
      .content
  }
  const output = body['output'] as Array<{ content: Array<{ text: string }> }>
  return output[0]!.content[0]!.text
}

const accountRow = (h: ProxyHarness, id: string) =>
  h.t.database.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

const drops: Array<[string, ResponseBehaviour, string]> = [
  ['drops the connection', { kind: 'drop-mid-stream', afterEvents: 3 }, 'upstream_error'],
  ['ends without a terminal event', { kind: 'no-terminal' }, 'stream_incomplete'],
]

describe('proxy: a non-streaming request whose upstream stream breaks fails over', () => {
  let h: ProxyHarness
  beforeEach(async () => {
    h = await startProxyHarness()
  })
  afterEach(async () => h.close())

  describe.each<Surface>(['responses', 'chat'])('%s', (surface) => {
    it.each(drops)('moves on when the stream %s, and marks that account', async (_, how, code) => {
      const a = await h.addAccount({ email: 'a@example.com' })
      const b = await h.addAccount({ email: 'b@example.com' })
      h.fake.script(a, how)
      h.fake.script(b, { kind: 'ok', text: 'served by b' })
      for (let i = 0; i < 3; i++) {
        const res = await post(h, surface, false)
        expect(res.status).toBe(200)
        expect(textOf(surface, (await res.json()) as Record<string, unknown>)).toBe('served by b')
      }
      // The dropping account cools down: it took at most one of the three requests.
      const rowA = await accountRow(h, a.id)
      expect(rowA.status).toBe('active')
      expect(rowA.cooldown_until).toBeGreaterThan(Date.now())
      const toA = h.fake
        .requestsTo('/backend-api/codex/responses')
        .filter((r) => r.account?.email === a.email)
      expect(toA).toHaveLength(1)
      const rows = await h.logs()
      expect(rows.filter((r) => r['status'] === 'error')).toMatchObject([
        { account_id: a.id, error_code: code },
      ])
      expect(rows.filter((r) => r['status'] === 'success')).toHaveLength(3)
    })
  })

  it('answers the same 502 on both surfaces when the only account drops', async () => {
    await h.addAccount({ email: 'a@example.com' })
    h.fake.scriptDefault({ kind: 'drop-mid-stream', afterEvents: 3 })
    const bodies = []
    for (const surface of ['responses', 'chat'] as const) {
      // Each request finds the account fresh: the first one's cooldown is lifted.
      await h.t.database.db.updateTable('accounts').set({ cooldown_until: null }).execute()
      h.t.app.services.pool.invalidate()
      const res = await post(h, surface, false)
      expect(res.status).toBe(502)
      bodies.push(await res.json())
    }
    expect(bodies[0]).toEqual({
      error: { message: DROPPED, type: 'server_error', code: 'upstream_error' },
    })
    expect(bodies[1]).toEqual(bodies[0])
  })
})

describe('proxy: a stream that drops after the first byte reads the same on both surfaces', () => {
  let h: ProxyHarness
  beforeEach(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'a@example.com' })
  })
  afterEach(async () => h.close())

  it.each([
    ['drops the connection', 'drop-mid-stream', 'upstream_error', DROPPED],
    [
      'ends without a terminal event',
      'no-terminal',
      'stream_incomplete',
      'Upstream closed stream without completion',
    ],
  ] as const)('when the upstream %s', async (_, kind, code, message) => {
    h.fake.scriptDefault(
      kind === 'drop-mid-stream' ? { kind, afterEvents: 4 } : { kind: 'no-terminal' },
    )
    const responses = await readSse(await post(h, 'responses', true))
    const failed = responses.json.at(-1) as { type: string; response: { error: unknown } }
    expect(failed.type).toBe('response.failed')
    expect(failed.response.error).toEqual({ code, message, type: 'server_error' })

    const chat = await readSse(await post(h, 'chat', true))
    expect(chat.events.at(-1)?.data).toBe('[DONE]')
    expect(chat.json.at(-2)).toEqual({
      error: { code, message, type: 'server_error', param: null },
    })
    const rows = await h.logs()
    expect(rows.map((r) => [r['error_code'], r['error_message']])).toEqual([
      [code, message],
      [code, message],
    ])
  })
})
