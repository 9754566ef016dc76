import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliIo } from '../../src/cli/run-cli.js'
import { dialects, freshPostgresUrl } from '../support/dialects.js'
import { makeAuthJson, makeTokenSet } from '../support/jwt.js'

const DIALECTS = await dialects()

interface Captured {
  io: CliIo
  out: () => string
  err: () => string
}

function capture(cwd: string, env: Record<string, string>): Captured {
  let out = ''
  let err = ''
  return {
    io: {
      stdout: (text) => (out += text),
      stderr: (text) => (err += text),
      env: { CODEX_LB_LOG_LEVEL: 'silent', ...env },
      cwd,
    },
    out: () => out,
    err: () => err,
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function writeAuthJson(dir: string, name: string, email: string, workspace: string): string {
  const tokens = makeTokenSet({ email, chatgptAccountId: workspace, planType: 'pro' })
  writeFileSync(join(dir, name), JSON.stringify(makeAuthJson(tokens, workspace)))
  return name
}

describe.each(DIALECTS)('codex-lb accounts CLI on $name', (dialect) => {
  let dir: string
  let env: Record<string, string>

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'codex-lb-cli-'))
    env = { CODEX_LB_DATA_DIR: join(dir, 'data') }
    if (dialect.name === 'postgres') env.CODEX_LB_DATABASE_URL = await freshPostgresUrl()
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('imports an auth.json, then updates it in place on re-import', async () => {
    const file = writeAuthJson(dir, 'auth.json', 'cli@example.com', 'ws-cli')
    const first = capture(dir, env)
    expect(await runCli(['accounts', 'import', file], first.io)).toBe(0)
    expect(first.out()).toMatch(
      /^Imported account ws-cli_[0-9a-f]{8} \(cli@example\.com, plan pro, status active\)\n$/,
    )
    const second = capture(dir, env)
    expect(await runCli(['accounts', 'import', join(dir, file)], second.io)).toBe(0)
    expect(second.out()).toMatch(/^Updated account ws-cli_/)
  })

  it('lists accounts as a table and as JSON', async () => {
    writeAuthJson(dir, 'other.json', 'another@example.com', 'ws-other')
    expect(await runCli(['accounts', 'import', 'other.json'], capture(dir, env).io)).toBe(0)
    const table = capture(dir, env)
    expect(await runCli(['accounts', 'list'], table.io)).toBe(0)
    const lines = table.out().trimEnd().split('\n')
    expect(lines[0]).toMatch(/^ID\s+EMAIL\s+PLAN\s+STATUS\s+5H LEFT\s+WEEK LEFT\s+ACCESS EXPIRES$/)
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual([
      'another@example.com',
      'cli@example.com',
    ])
    expect(lines[2]).toMatch(/pro\s+active\s+100%\s+100%/)
    const json = capture(dir, env)
    expect(await runCli(['accounts', 'list', '--json'], json.io)).toBe(0)
    const parsed = JSON.parse(json.out()) as { accounts: Array<{ email: string }> }
    expect(parsed.accounts.map((a) => a.email)).toEqual(['another@example.com', 'cli@example.com'])
  })

  it('explains a bad or missing file and exits 1', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ tokens: { id_token: 'x' } }))
    const bad = capture(dir, env)
    expect(await runCli(['accounts', 'import', 'bad.json'], bad.io)).toBe(1)
    expect(bad.err()).toBe(
      'codex-lb: invalid auth.json: tokens.access_token is missing; tokens.refresh_token is missing\n',
    )
    const missing = capture(dir, env)
    expect(await runCli(['accounts', 'import', 'nope.json'], missing.io)).toBe(1)
    expect(missing.err()).toMatch(/cannot read .*nope\.json: ENOENT/)
  })

  it('says an API-key-only auth.json has no account and points to accounts login', async () => {
    const secret = 'sk-proj-never-echoed-1234'
    writeFileSync(join(dir, 'key.json'), JSON.stringify({ OPENAI_API_KEY: secret, tokens: null }))
    const keyOnly = capture(dir, env)
    expect(await runCli(['accounts', 'import', 'key.json'], keyOnly.io)).toBe(1)
    expect(keyOnly.err()).toBe(
      'codex-lb: auth.json holds only an API key (OPENAI_API_KEY), no ChatGPT sign-in tokens: ' +
        'codex-lb pools ChatGPT accounts, so sign in with ChatGPT instead: codex-lb accounts login\n',
    )
    expect(keyOnly.out()).toBe('')
  })
})

describe('codex-lb CLI usage', () => {
  it('prints help, and rejects unknown commands with exit 2', async () => {
    const help = capture(tmpdir(), {})
    expect(await runCli(['--help'], help.io)).toBe(0)
    expect(help.out()).toContain('accounts import PATH')
    const unknown = capture(tmpdir(), {})
    expect(await runCli(['accounts', 'frobnicate'], unknown.io)).toBe(2)
    expect(unknown.err()).toMatch(/^codex-lb: unknown command: accounts frobnicate\n\nUsage:/)
  })

  it.each([
    [['serve', '--help'], 'Usage: codex-lb serve\n'],
    [['accounts', 'import', '--help'], 'Usage: codex-lb accounts import PATH\n'],
    [['accounts', 'list', '-h'], 'Usage: codex-lb accounts list [--json]\n'],
    [
      ['accounts', 'login', '--device', '--help'],
      'Usage: codex-lb accounts login [--paste | --device]\n',
    ],
    [['accounts', '--help'], 'Usage: codex-lb accounts <import PATH | list [--json] | login'],
  ])(
    "%j prints that command's help and exits 0 without touching a database",
    async (argv, first) => {
      const dir = mkdtempSync(join(tmpdir(), 'codex-lb-cli-help-'))
      try {
        const help = capture(dir, { CODEX_LB_DATA_DIR: join(dir, 'data') })
        expect(await runCli(argv, help.io)).toBe(0)
        expect(help.out().startsWith(first)).toBe(true)
        expect(help.out()).toContain('--help')
        expect(help.err()).toBe('')
        expect(existsSync(join(dir, 'data'))).toBe(false)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )

  it("calls an unknown flag an unknown flag, with the command's help, exit 2", async () => {
    for (const [argv, flag, usage] of [
      [['accounts', 'list', '--jsn'], '--jsn', 'Usage: codex-lb accounts list [--json]'],
      [['accounts', 'login', '--browser'], '--browser', 'Usage: codex-lb accounts login'],
      [['serve', '--port=8080'], '--port=8080', 'Usage: codex-lb serve'],
      [['--verbose'], '--verbose', 'Usage: codex-lb [command]'],
    ] as const) {
      const bad = capture(tmpdir(), {})
      expect(await runCli([...argv], bad.io), argv.join(' ')).toBe(2)
      expect(bad.err()).toMatch(new RegExp(`^codex-lb: unknown flag: ${flag}\n\n${escape(usage)}`))
    }
    const both = capture(tmpdir(), {})
    expect(await runCli(['accounts', 'login', '--paste', '--device'], both.io)).toBe(2)
    expect(both.err()).toMatch(/^codex-lb: --paste and --device cannot be combined\n/)
    const noPath = capture(tmpdir(), {})
    expect(await runCli(['accounts', 'import'], noPath.io)).toBe(2)
    expect(noPath.err()).toMatch(/^codex-lb: missing PATH\n\nUsage: codex-lb accounts import PATH/)
  })

  it('says how to add an account when there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-lb-cli-empty-'))
    try {
      const empty = capture(dir, { CODEX_LB_DATA_DIR: join(dir, 'data') })
      expect(await runCli(['accounts', 'list'], empty.io)).toBe(0)
      expect(empty.out()).toBe(
        'No accounts. Add one with: codex-lb accounts login (or accounts import PATH)\n',
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reports a bad configuration without a stack', async () => {
    const bad = capture(tmpdir(), { CODEX_LB_PORT: 'many' })
    expect(await runCli(['accounts', 'list'], bad.io)).toBe(1)
    expect(bad.err()).toMatch(/^codex-lb: Invalid configuration:\n {2}- CODEX_LB_PORT: /)
  })
})
