import { isExpectedStartupError, loadRuntimeConfig, serve } from '../bootstrap.js'
import { importAccount, listAccounts } from './accounts-commands.js'
import { parseArgs } from './commands.js'
import { loginAccount } from './login-command.js'
import { migrateFromPython } from './migrate-command.js'
import { CliError, type CliIo } from './io.js'

export type { CliIo } from './io.js'
export { USAGE } from './commands.js'

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const invocation = parseArgs(argv)
  if (invocation.kind === 'help') {
    io.stdout(invocation.text)
    return 0
  }
  const { command, args, flags, options } = invocation
  const config = loadRuntimeConfig(io.env, io.cwd)
  if (command === 'serve') await serve(config)
  else if (command === 'migrate-from-python') {
    await migrateFromPython(config, io, {
      dryRun: flags.has('--dry-run'),
      skipBadRows: flags.has('--skip-bad-rows'),
      options,
    })
  } else if (command === 'accounts import') await importAccount(config, io, args[0]!)
  else if (command === 'accounts list') await listAccounts(config, io, flags.has('--json'))
  else
    await loginAccount(config, io, { device: flags.has('--device'), paste: flags.has('--paste') })
  return 0
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
