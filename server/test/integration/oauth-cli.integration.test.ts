import { tmpdir } from 'node:os'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LineReader } from '../../src/cli/line-reader.js'
import { runCli, type CliIo } from '../../src/cli/run-cli.js'
import { authorizeParams, callbackUrl, visit } from '../support/oauth.js'
import { AUTHORIZE_URL, cliLoginFixture } from '../support/oauth-cli.js'

/** A stdin the test types into. */
class TypedInput implements LineReader {
  readonly #lines: string[] = []
  #waiting: ((line: string | null) => void) | undefined
  closed = false

  type(line: string): void {
    if (this.#waiting) {
      this.#waiting(line)
      this.#waiting = undefined
    } else this.#lines.push(line)
  }
  next(): Promise<string | null> {
    const line = this.#lines.shift()
    if (line !== undefined) return Promise.resolve(line)
    if (this.closed) return Promise.resolve(null)
    return new Promise((resolve) => (this.#waiting = resolve))
  }
  close(): void {
    this.closed = true
    this.#waiting?.(null)
  }
}

interface Session {
  io: CliIo
  out: () => string
  err: () => string
  /** Resolves with the first stdout match. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>
}

function session(env: Record<string, string>, stdin?: TypedInput): Session {
  let out = ''
  let err = ''
  return {
    io: {
      stdout: (text) => (out += text),
      stderr: (text) => (err += text),
      env: { CODEX_LB_LOG_LEVEL: 'silent', ...env },
      cwd: tmpdir(),
      ...(stdin ? { openStdin: () => stdin } : {}),
    },
    out: () => out,
    err: () => err,
    async waitFor(pattern) {
      const deadline = Date.now() + 5_000
      for (;;) {
        const match = pattern.exec(out)
        if (match) return match
        if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${out}\n${err}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
  }
}

describe('codex-lb accounts login', () => {
  const cli = cliLoginFixture('codex-lb-login-')
  beforeEach(() => cli.fake.reset())

  it('prints the authorization URL, takes the callback in-process, stores the account', async () => {
    const account = cli.fake.addAccount({ email: 'cli-login@example.com', planType: 'pro' })
    const s = session(cli.env)
    const exit = runCli(['accounts', 'login'], s.io)
    const [, url] = await s.waitFor(AUTHORIZE_URL)
    const { redirectUri, state } = authorizeParams(url!)
    expect(s.out()).toContain(`Waiting for the redirect to ${redirectUri} (expires in 10 minutes)`)
    cli.fake.registerAuthCode('cli-code', account)
    expect((await visit(callbackUrl(redirectUri, { code: 'cli-code', state }))).status).toBe(200)
    expect(await exit).toBe(0)
    expect(s.out()).toMatch(
      /\nSigned in: account [\w-]+_[0-9a-f]{8} \(cli-login@example\.com, plan pro, status active\)\n$/,
    )
    for (const token of Object.values(cli.fake.tokens(account))) {
      if (typeof token === 'string') expect(s.out() + s.err()).not.toContain(token)
    }

    const list = session(cli.env)
    expect(await runCli(['accounts', 'list'], list.io)).toBe(0)
    expect(list.out()).toMatch(/cli-login@example\.com\s+pro\s+active/)
  })

  it('--device prints the code and polls until approval', async () => {
    const account = cli.fake.addAccount({ email: 'cli-device@example.com' })
    cli.fake.scriptDevice({ account, intervalSeconds: 1, pendingPolls: 0 })
    const s = session(cli.env)
    expect(await runCli(['accounts', 'login', '--device'], s.io)).toBe(0)
    const session0 = cli.fake.deviceSessions.at(-1)!
    expect(s.out()).toContain(
      `Open ${cli.fake.authBaseUrl}/codex/device and enter this code:\n\n  ${session0.userCode}\n`,
    )
    expect(s.out()).toMatch(/Signed in: account \S+ \(cli-device@example\.com, plan plus/)
  })

  it('--paste completes from a pasted redirect URL and explains bad pastes', async () => {
    const account = cli.fake.addAccount({ email: 'cli-paste@example.com' })
    const stdin = new TypedInput()
    const s = session(cli.env, stdin)
    const exit = runCli(['accounts', 'login', '--paste'], s.io)
    const [, url] = await s.waitFor(AUTHORIZE_URL)
    expect(s.out()).toContain('paste the address it shows here and press Enter')
    const { redirectUri, state } = authorizeParams(url!)
    cli.fake.registerAuthCode('paste-code', account)
    stdin.type('')
    stdin.type('what is this')
    stdin.type(callbackUrl(redirectUri, { code: 'paste-code', state }))
    expect(await exit).toBe(0)
    expect(s.err()).toContain('codex-lb: callbackUrl is not a URL')
    expect(s.out()).toMatch(/Signed in: account \S+ \(cli-paste@example\.com/)
    expect(stdin.closed).toBe(true)
  })

  it('exits 1 with the reason when the sign-in fails', async () => {
    const s = session(cli.env)
    const exit = runCli(['accounts', 'login'], s.io)
    const [, url] = await s.waitFor(AUTHORIZE_URL)
    const { redirectUri, state } = authorizeParams(url!)
    await visit(callbackUrl(redirectUri, { error: 'access_denied', state }))
    expect(await exit).toBe(1)
    expect(s.err()).toBe('codex-lb: sign-in failed: The sign-in was not completed: access_denied\n')
  })

  it('rejects conflicting or unknown login options with exit 2', async () => {
    const s = session(cli.env)
    expect(await runCli(['accounts', 'login', '--device', '--paste'], s.io)).toBe(2)
    expect(s.err()).toMatch(/^codex-lb: --paste and --device cannot be combined\n/)
    const unknown = session(cli.env)
    expect(await runCli(['accounts', 'login', '--browser'], unknown.io)).toBe(2)
    expect(unknown.err()).toMatch(/^codex-lb: unknown flag: --browser\n/)
  })
})
