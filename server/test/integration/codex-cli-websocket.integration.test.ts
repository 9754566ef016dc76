import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCodexHome, runCodex, type CodexRun } from '../support/codex-cli.js'
import {
  previousResponseNotFound,
  type FakeAccount,
  type WsTurnBehaviour,
  type WsTurnRecord,
} from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

type Json = Record<string, unknown>
/** One CLI run; the test's own limit is a little longer so a stuck run reports its stderr. */
const RUN_MS = 35_000
const TEST_MS = 45_000

/** The model asks for a shell command; the CLI runs it and sends its output as the next create. */
const toolCall = (responseId?: string): WsTurnBehaviour => ({
  kind: 'tool-calls',
  calls: [{ name: 'exec_command', arguments: { cmd: 'echo tool-ran' } }],
  ...(responseId ? { responseId } : {}),
})
const answer = (text: string): WsTurnBehaviour => ({ kind: 'ok', text })

const lastInput = (turn: WsTurnRecord) => (turn.body['input'] as Json[]).at(-1)!
/** Upstream turns as [account, incremental, input items], the facts each scenario is about. */
const shape = (turns: WsTurnRecord[]) =>
  turns.map((t) => [t.account.email, t.incremental, t.inputItems])

function expectAnswered(run: CodexRun, text: string): void {
  expect(run.code, run.stderr).toBe(0)
  expect(run.answer).toBe(text)
  expect(run.events.some((e) => e['type'] === 'turn.failed' || e['type'] === 'error')).toBe(false)
}

/**
 * The real Codex CLI with `supports_websockets=true` through codex-lb to the WebSocket fake: one
 * session (one CODEX_HOME, continued with `codex exec resume --last`), so the three runs are one
 * conversation and depend on each other in order.
 */
describe('Codex CLI over WebSocket', () => {
  let h: ProxyHarness
  let home: string
  let first: FakeAccount
  let second: FakeAccount
  const run = (prompt: string, resumeLast = false) =>
    runCodex(h.t.url, prompt, { websockets: true, home, resumeLast, timeoutMs: RUN_MS })

  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'a@example.com' })
    await h.addAccount({ email: 'b@example.com' })
    home = makeCodexHome()
  })
  afterAll(async () => {
    await h.close()
    rmSync(home, { recursive: true, force: true })
  })

  it(
    'runs a tool call as a second, incremental create on the same socket',
    { timeout: TEST_MS },
    async () => {
      h.fake.ws.scriptDefault(toolCall(), answer('Done one.'))
      const result = await run('run the tool')
      expectAnswered(result, 'Done one.')

      const turns = h.fake.ws.turns
      expect(turns).toHaveLength(2)
      first = turns[0]!.account
      second = h.fake.accounts().find((a) => a.email !== first.email)!
      // The first create is full upstream (its anchor is codex-lb's own prewarm answer); the tool
      // output rides the same upstream socket as new items only.
      expect(shape(turns)).toEqual([
        [first.email, false, turns[0]!.inputItems],
        [first.email, true, 1],
      ])
      expect(turns[1]!.connectionId).toBe(turns[0]!.connectionId)
      expect(turns[1]!.previousResponseId).toBe(turns[0]!.responseId)
      expect(lastInput(turns[1]!)).toMatchObject({
        type: 'function_call_output',
        call_id: 'call_1',
      })

      // Client → codex-lb was a WebSocket too: no HTTP POST anywhere, both rows logged as websocket.
      expect(h.fake.requestsTo('/backend-api/codex/responses', 'POST')).toHaveLength(0)
      const rows = await h.logs()
      expect(rows.map((r) => [r['transport'], r['status']])).toEqual([
        ['websocket', 'success'],
        ['websocket', 'success'],
      ])
    },
  )

  it(
    'continues the session when its account is used up mid-turn: rebuilt in full elsewhere',
    { timeout: TEST_MS },
    async () => {
      h.fake.ws.script(first, toolCall())
      h.fake.ws.script(second, answer('Done two.'))
      const before = h.fake.ws.turns.length
      const resumed = run('second task', true)
      // The resumed session is sticky to its account, which answers with a tool call and is then
      // used up while the CLI runs the command.
      const toolTurn = await h.fake.ws.waitForTurnEnd(before + 1, 20_000)
      h.fake.limitAccount(first)
      expectAnswered(await resumed, 'Done two.')

      const turns = h.fake.ws.turns.slice(before)
      const full = toolTurn.inputItems
      // The CLI's incremental follow-up went to the owner first, which answered 429 (codex-lb can't
      // know earlier); then to the other account as one full create: the whole conversation, the
      // tool call and its output included, and no anchor.
      expect(shape(turns)).toEqual([
        [first.email, false, full],
        [first.email, true, 1],
        [second.email, false, full + 2],
      ])
      expect([turns[1]!.outcome, turns[1]!.status]).toEqual(['error', 429])
      const rebuilt = turns[2]!
      expect(rebuilt.previousResponseId).toBeUndefined()
      expect(rebuilt.outcome).toBe('completed')
      const items = rebuilt.body['input'] as Json[]
      expect(items.at(-2)).toMatchObject({ type: 'function_call', call_id: 'call_1' })
      expect(items.at(-1)).toMatchObject({ type: 'function_call_output', call_id: 'call_1' })
      const rows = (await h.logs()).slice(2)
      expect(rows.map((r) => [r['transport'], r['status'], r['error_code']])).toEqual([
        ['websocket', 'success', null],
        ['websocket', 'error', 'usage_limit_reached'],
        ['websocket', 'success', null],
      ])
    },
  )

  it(
    'resends a turn in full when the backend lost its anchor, and the CLI never sees it',
    { timeout: TEST_MS },
    async () => {
      // The first account stays used up, so the session now lives on the second.
      h.fake.ws.script(
        second,
        toolCall('resp_anchor_3'),
        previousResponseNotFound('resp_anchor_3'),
        answer('Done three.'),
      )
      const before = h.fake.ws.turns.length
      expectAnswered(await run('third task', true), 'Done three.')

      const turns = h.fake.ws.turns.slice(before).filter((t) => t.account.email === second.email)
      expect(turns.map((t) => [t.incremental, t.outcome, t.errorCode])).toEqual([
        [false, 'completed', undefined],
        [true, 'error', 'previous_response_not_found'],
        [false, 'completed', undefined],
      ])
      expect(turns[1]!.previousResponseId).toBe('resp_anchor_3')
      expect(turns[2]!.inputItems).toBe(turns[0]!.inputItems + 2)
      expect(lastInput(turns[2]!)).toMatchObject({ type: 'function_call_output' })
    },
  )
})
