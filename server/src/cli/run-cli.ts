import { isExpectedStartupError, loadRuntimeConfig, serve } from '../bootstrap.js'
import { importAccount, listAccounts } from './accounts-commands.js'
import { loginAccount, parseLoginArgs } from './login-command.js'
import { CliError, type CliIo } from './io.js'

export type { CliIo } from './io.js'

export const USAGE = `Usage: codex-lb [command]

Commands:
  serve                      start the server (the default)
  accounts import PATH       import a Codex CLI auth.json (e.g. ~/.codex/auth.json)
  accounts list [--json]     list pooled accounts
  accounts login [--paste]   add an account by signing in with ChatGPT in a browser;
                             --paste also reads the redirect URL from stdin (SSH)
  accounts login --device    sign in with a device code instead
  help                       show this text

Configuration comes from CODEX_LB_* variables and ./.env.local, as for the server.
`

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command = 'serve', ...rest] = argv
  if (command === 'help' || command === '--help' || command === '-h') {
    io.stdout(USAGE)
    return 0
  }
  if (command === 'serve' && rest.length === 0) {
    await serve(loadRuntimeConfig(io.env, io.cwd))
    return 0
  }
  if (command === 'accounts') {
    const [sub, ...args] = rest
    if (sub === 'import' && args.length === 1) {
      await importAccount(loadRuntimeConfig(io.env, io.cwd), io, args[0]!)
      return 0
    }
    const login = sub === 'login' ? parseLoginArgs(args) : undefined
    if (login) {
      await loginAccount(loadRuntimeConfig(io.env, io.cwd), io, login)
      return 0
    }
    if (sub === 'list' && (args.length === 0 || (args.length === 1 && args[0] === '--json'))) {
      await listAccounts(loadRuntimeConfig(io.env, io.cwd), io, args.length === 1)
      return 0
    }
  }
  throw new CliError(`unknown command: ${argv.join(' ')}\n\n${USAGE}`, 2)
}

/** Runs one CLI invocation and returns the exit code; `serve` resolves once listening. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (err) {
    if (err instanceof CliError || isExpectedStartupError(err)) {
      io.stderr(`codex-lb: ${err.message}\n`)
      return err instanceof CliError ? err.exitCode : 1
    }
    io.stderr(
      `codex-lb: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    )
    return 1
  }
}
