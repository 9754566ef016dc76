import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'
import { connectWs, wsUrl } from '../support/ws-client.js'

const PROMPT = 'the secret plan is tangerine-7741'

// Every WebSocket path at trace level: no token, key or prompt text may reach a log line.
describe('WebSocket transport: logs', () => {
  const lines: string[] = []
  let h: ProxyHarness
  let key: string
  let account: Awaited<ReturnType<ProxyHarness['addAccount']>>

  beforeAll(async () => {
    h = await startProxyHarness({
      env: { LOG_LEVEL: 'trace' },
      logStream: { write: (line) => void lines.push(line) },
    })
    account = await h.addAccount()
    key = (await h.requireApiKey()).key
  })
  afterAll(async () => h.close())

  it('keeps tokens, keys and prompts out of every line', async () => {
    const url = wsUrl(h.t.url)
    const ws = await connectWs(url, { authorization: `Bearer ${key}` })
    const input = [{ role: 'user', content: [{ type: 'input_text', text: PROMPT }] }]
    const one = await ws.turn({ model: 'gpt-5.5', input })
    const id = (one.at(-1)!['response'] as Record<string, unknown>)['id']
    await ws.turn({ model: 'gpt-5.5', previous_response_id: id, input })
    ws.send('{broken')
    await ws.next()
    h.fake.ws.scriptDefault({ kind: 'ws-close', afterEvents: 2 })
    await ws.turn({ model: 'gpt-5.5', input })
    h.fake.ws.scriptUpgrade({ kind: 'refuse', status: 503, body: { detail: PROMPT } })
    await ws.turn({ model: 'gpt-5.5', input })
    await ws.close()
    await h.t.app.services.logWriter.flush()
    const text = lines.join('')
    expect(lines.length).toBeGreaterThan(3)
    for (const secret of [key, account.accessToken, account.refreshToken, PROMPT, 'tangerine']) {
      expect(text).not.toContain(secret)
    }
  })
})
