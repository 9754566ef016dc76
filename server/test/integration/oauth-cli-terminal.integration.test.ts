import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { accountsListResponseSchema } from '../../src/modules/accounts/index.js'
import { DashboardClient } from '../support/dashboard-client.js'
import { authorizeParams, callbackUrl, visit } from '../support/oauth.js'
import { AUTHORIZE_URL, cliLoginFixture } from '../support/oauth-cli.js'
import { startTestApp } from '../support/test-app.js'

// The CLI as a user runs it: its own process (the bin's entry, through tsx so no build is needed),
// its own stdout, and the same data dir as the server.

const require = createRequire(import.meta.url)
const TSX = pathToFileURL(require.resolve('tsx')).href
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

interface Run {
  child: ChildProcess
  out: () => string
  err: () => string
  exit: Promise<number | null>
  /** Resolves with the first stdout match. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>
}

function codexLb(args: string[], env: Record<string, string>, cwd: string): Run {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, CODEX_LB_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
  return {
    child,
    out: () => out,
    err: () => err,
    exit,
    async waitFor(pattern) {
      const deadline = Date.now() + 20_000
      for (;;) {
        const match = pattern.exec(out)
        if (match) return match
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no ${pattern} in:\n${out}\n${err}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
  }
}

describe('codex-lb accounts from a terminal', () => {
  const cli = cliLoginFixture('codex-lb-terminal-')

  it('login (browser and --device) and list share the data dir with the server', async () => {
    // Browser: the URL is printed, the redirect lands on the CLI's own listener.
    const browserAccount = cli.fake.addAccount({
      email: 'term-browser@example.com',
      planType: 'pro',
    })
    const login = codexLb(['accounts', 'login'], cli.env, cli.dir)
    const [, url] = await login.waitFor(AUTHORIZE_URL)
    const { redirectUri, state } = authorizeParams(url!)
    cli.fake.registerAuthCode('terminal-code', browserAccount)
    expect((await visit(callbackUrl(redirectUri, { code: 'terminal-code', state }))).status).toBe(
      200,
    )
    expect(await login.exit, login.err()).toBe(0)
    expect(login.out()).toMatch(/Signed in: account \S+ \(term-browser@example\.com, plan pro/)

    // Device code: the code is printed and the CLI polls until approval.
    const deviceAccount = cli.fake.addAccount({ email: 'term-device@example.com' })
    cli.fake.scriptDevice({ account: deviceAccount, intervalSeconds: 1, pendingPolls: 0 })
    const device = codexLb(['accounts', 'login', '--device'], cli.env, cli.dir)
    expect(await device.exit, device.err()).toBe(0)
    const userCode = cli.fake.deviceSessions.at(-1)!.userCode
    expect(device.out()).toContain(`/codex/device and enter this code:\n\n  ${userCode}\n`)
    expect(device.out()).toMatch(/Signed in: account \S+ \(term-device@example\.com/)

    for (const run of [login, device]) {
      for (const token of [
        ...Object.values(cli.fake.tokens(browserAccount)),
        ...Object.values(cli.fake.tokens(deviceAccount)),
      ]) {
        if (typeof token === 'string') expect(run.out() + run.err()).not.toContain(token)
      }
    }

    // Another process lists both.
    const list = codexLb(['accounts', 'list'], cli.env, cli.dir)
    expect(await list.exit, list.err()).toBe(0)
    expect(list.out()).toMatch(/term-browser@example\.com\s+pro\s+active/)
    expect(list.out()).toMatch(/term-device@example\.com\s+plus\s+active/)

    // And the server on the same data dir serves them.
    const server = await startTestApp({
      dataDir: cli.env.CODEX_LB_DATA_DIR!,
      env: { AUTH_BASE_URL: cli.fake.authBaseUrl },
    })
    try {
      const res = await new DashboardClient(server.url).get('/api/accounts')
      const emails = accountsListResponseSchema.parse(res.body).accounts.map((a) => a.email)
      expect(emails).toEqual(['term-browser@example.com', 'term-device@example.com'])
    } finally {
      await server.close()
    }
  })
})
