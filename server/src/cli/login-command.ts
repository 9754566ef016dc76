import { prepare } from '../bootstrap.js'
import type { Config } from '../config/index.js'
import { AppError } from '../errors/index.js'
import { systemClock } from '../lib/clock.js'
import { createAccountsService, type AccountsService } from '../modules/accounts/index.js'
import {
  createOAuthService,
  type OAuthService,
  type OAuthStartResponse,
} from '../modules/oauth/index.js'
import { CliError, type CliIo } from './io.js'

export interface LoginOptions {
  /** Device code instead of the browser + local callback. */
  device: boolean
  /** Also accept the redirect URL pasted on stdin (SSH: the browser cannot reach this machine). */
  paste: boolean
}

const quietLog = { info: () => undefined, warn: () => undefined }

function minutes(seconds: number | null): string {
  const m = Math.max(1, Math.round((seconds ?? 0) / 60))
  return `${m} minute${m === 1 ? '' : 's'}`
}

function printStart(io: CliIo, start: OAuthStartResponse, paste: boolean): void {
  if (start.method === 'device') {
    io.stdout(
      `Open ${start.verificationUrl} and enter this code:\n\n  ${start.userCode}\n\n` +
        `Waiting for approval (the code expires in ${minutes(start.expiresInSeconds)})...\n`,
    )
    return
  }
  io.stdout(
    `Open this URL in a browser and sign in with ChatGPT:\n\n  ${start.authorizationUrl}\n\n` +
      `Waiting for the redirect to ${start.callbackUrl} ` +
      `(expires in ${minutes(start.expiresInSeconds)})...\n`,
  )
  if (paste) {
    io.stdout(
      'If that page cannot load (remote machine), paste the address it shows here and press Enter.\n',
    )
  }
}

/** Feeds pasted lines to the flow until it ends or stdin does; bad pastes are explained. */
async function acceptPastes(io: CliIo, oauth: OAuthService, flowDone: Promise<unknown>) {
  const reader = io.openStdin?.()
  if (!reader) return
  let finished = false
  void flowDone.finally(() => {
    finished = true
    reader.close()
  })
  for (let line = await reader.next(); line !== null && !finished; line = await reader.next()) {
    if (line.trim() === '') continue
    try {
      await oauth.complete({ callbackUrl: line })
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      io.stderr(`codex-lb: ${err.message}\n`)
    }
  }
}

async function signIn(
  io: CliIo,
  oauth: OAuthService,
  accounts: AccountsService,
  options: LoginOptions,
): Promise<void> {
  const start = await oauth.start(options.device ? 'device' : 'browser')
  if (!options.device && start.method === 'device') {
    io.stderr('codex-lb: the callback port is in use; signing in with a device code instead\n')
  }
  printStart(io, start, options.paste)
  const done = oauth.waitFor(start.flowId)
  if (options.paste && start.method === 'browser') {
    acceptPastes(io, oauth, done).catch(() => io.stderr('codex-lb: could not read stdin\n'))
  }
  const result = await done
  if (result.status !== 'success' || result.accountId === null) {
    throw new CliError(`sign-in failed: ${result.errorMessage ?? 'unknown error'}`)
  }
  const account = await accounts.get(result.accountId)
  const who = account.email ?? `workspace ${account.chatgptAccountId ?? '?'}`
  io.stdout(
    `Signed in: account ${account.id} (${who}, plan ${account.planType}, ` +
      `status ${account.status})\n`,
  )
}

/**
 * Runs a sign-in in this process: the callback listener (or device poll) lives here until the
 * flow ends, and the account lands in the same database the server uses.
 */
export async function loginAccount(config: Config, io: CliIo, options: LoginOptions) {
  const { database, cipher } = await prepare(config, (m) => io.stderr(`${m}\n`))
  const deps = { config, clock: systemClock, log: quietLog }
  const accounts = createAccountsService({ ...deps, db: database.db, cipher })
  const oauth = createOAuthService({ ...deps, accounts })
  try {
    await signIn(io, oauth, accounts, options)
  } catch (err) {
    if (err instanceof AppError) throw new CliError(`sign-in failed: ${err.message}`)
    throw err
  } finally {
    await oauth.close()
    await database.close()
  }
}
