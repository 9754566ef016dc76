import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const CODEX_BIN = join(require.resolve('@openai/codex/package.json'), '..', 'bin', 'codex.js')

/** The API key the CLI sends (codex-lb runs without key auth in tests, so any value passes). */
export const CODEX_KEY = 'sk-clb-test'

export interface CodexRun {
  code: number | null
  /** The `--json` event lines (thread.started, item.completed, turn.completed, …). */
  events: Array<Record<string, unknown>>
  stderr: string
  /** Text of the last `agent_message` item, what the user reads as the answer. */
  answer: string | undefined
}

export interface CodexRunOptions {
  /** Sets the provider's `supports_websockets` (off: the CLI only POSTs). */
  websockets?: boolean
  /**
   * A CODEX_HOME (and working directory) kept across runs, so a later run can resume the session.
   * Without it the run is `--ephemeral` in a temporary home removed afterwards.
   */
  home?: string
  /** `codex exec resume --last <prompt>`: continues the newest session recorded in `home`. */
  resumeLast?: boolean
  timeoutMs?: number
}

/** A directory for `CodexRunOptions.home`; remove it with `rmSync(dir, {recursive:true})`. */
export function makeCodexHome(): string {
  return mkdtempSync(join(tmpdir(), 'codex-home-'))
}

/** `-c` overrides for a custom provider `codexlb` pointing at codex-lb, with retries off. */
function providerArgs(baseUrl: string, websockets: boolean): string[] {
  const settings = [
    'model_provider=codexlb',
    'model=gpt-5.5',
    'model_providers.codexlb.name="codex-lb"',
    `model_providers.codexlb.base_url="${baseUrl}/backend-api/codex"`,
    'model_providers.codexlb.wire_api="responses"',
    'model_providers.codexlb.env_key="CODEX_LB_KEY"',
    'model_providers.codexlb.request_max_retries=0',
    'model_providers.codexlb.stream_max_retries=0',
    ...(websockets ? ['model_providers.codexlb.supports_websockets=true'] : []),
  ]
  return settings.flatMap((s) => ['-c', s])
}

function parseEvents(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

function lastAnswer(events: Array<Record<string, unknown>>): string | undefined {
  const messages = events
    .filter((e) => e['type'] === 'item.completed')
    .map((e) => e['item'] as { type?: string; text?: string })
    .filter((item) => item.type === 'agent_message')
  return messages.at(-1)?.text
}

/** Runs the real Codex CLI (`codex exec --json`) against codex-lb at `baseUrl`, fully offline. */
export function runCodex(
  baseUrl: string,
  prompt: string,
  options: CodexRunOptions = {},
): Promise<CodexRun> {
  const home = options.home ?? makeCodexHome()
  const command = options.resumeLast ? ['exec', 'resume', '--last'] : ['exec']
  const args = [
    CODEX_BIN,
    ...command,
    '--skip-git-repo-check',
    ...(options.home ? [] : ['--ephemeral']),
    '--json',
    ...providerArgs(baseUrl, options.websockets ?? false),
    prompt,
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: home,
      env: { ...process.env, CODEX_HOME: home, CODEX_LB_KEY: CODEX_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (!options.home) rmSync(home, { recursive: true, force: true })
      const events = parseEvents(out)
      resolve({ code, events, stderr: err, answer: lastAnswer(events) })
    })
  })
}
