import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usageLimitReached } from '../support/fake-upstream.js'
import { startProxyHarness, type ProxyHarness } from '../support/proxy-harness.js'

const require = createRequire(import.meta.url)
const CODEX_BIN = join(require.resolve('@openai/codex/package.json'), '..', 'bin', 'codex.js')

interface CodexRun {
  code: number | null
  events: Array<Record<string, unknown>>
  stderr: string
}

/** Runs the real Codex CLI (`codex exec --json`) against codex-lb, with retries off. */
function runCodex(h: ProxyHarness, prompt: string): Promise<CodexRun> {
  const home = mkdtempSync(join(tmpdir(), 'codex-home-'))
  const args = [
    CODEX_BIN,
    'exec',
    '--skip-git-repo-check',
    '--ephemeral',
    '--json',
    '-c',
    'model_provider=codexlb',
    '-c',
    'model=gpt-5.5',
    '-c',
    'model_providers.codexlb.name="codex-lb"',
    '-c',
    `model_providers.codexlb.base_url="${h.t.url}/backend-api/codex"`,
    '-c',
    'model_providers.codexlb.wire_api="responses"',
    '-c',
    'model_providers.codexlb.env_key="CODEX_LB_KEY"',
    '-c',
    'model_providers.codexlb.request_max_retries=0',
    '-c',
    'model_providers.codexlb.stream_max_retries=0',
    prompt,
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: home,
      env: { ...process.env, CODEX_HOME: home, CODEX_LB_KEY: 'sk-clb-test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      rmSync(home, { recursive: true, force: true })
      const events = out
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      resolve({ code, events, stderr: err })
    })
  })
}

describe('Codex CLI end to end', () => {
  let h: ProxyHarness
  beforeAll(async () => {
    h = await startProxyHarness()
    await h.addAccount({ email: 'cli@example.com' })
  })
  afterAll(async () => h.close())

  it('answers `codex exec` through codex-lb and reports the tokens', async () => {
    const run = await runCodex(h, 'say hi')
    expect(run.code, run.stderr).toBe(0)
    const message = run.events.find((e) => e['type'] === 'item.completed')
    expect((message?.['item'] as { text?: string } | undefined)?.text).toBe(
      'Hi from fake upstream!',
    )
    const turn = run.events.find((e) => e['type'] === 'turn.completed')
    expect(turn?.['usage']).toMatchObject({ input_tokens: 42, output_tokens: 7 })
    const upstream = h.fake.requestsTo('/backend-api/codex/responses').at(-1)!
    expect(upstream.headers['originator']).toBe('codex_exec')
    expect(upstream.headers['authorization']).not.toContain('sk-clb-test')
    const logs = await h.logs()
    expect(logs.at(-1)).toMatchObject({
      status: 'success',
      endpoint: '/backend-api/codex/responses',
    })
  })

  it('shows the usual usage-limit message when every account is used up', async () => {
    h.fake.scriptDefault(usageLimitReached({ resetsInSeconds: 3600 }))
    h.fake.script(h.fake.accounts()[0]!, usageLimitReached({ resetsInSeconds: 3600 }))
    const run = await runCodex(h, 'say hi')
    expect(run.code).not.toBe(0)
    const failed = run.events.find((e) => e['type'] === 'turn.failed') as
      { error: { message: string } } | undefined
    expect(failed?.error.message).toMatch(/usage limit/i)
  })
})
