import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { prepare } from '../bootstrap.js'
import type { Config } from '../config/index.js'
import { systemClock } from '../lib/clock.js'
import {
  ApiKeyOnlyAuthJsonError,
  InvalidAuthJsonError,
  createAccountsService,
  type AccountSummary,
  type AccountsService,
} from '../modules/accounts/index.js'
import { CliError, type CliIo } from './io.js'

const silentLog = { info: () => undefined, warn: () => undefined }

async function withAccounts<T>(
  config: Config,
  io: CliIo,
  run: (service: AccountsService) => Promise<T>,
): Promise<T> {
  const { database, cipher } = await prepare(config, (m) => io.stderr(`${m}\n`))
  try {
    const service = createAccountsService({
      db: database.db,
      cipher,
      config,
      clock: systemClock,
      log: silentLog,
    })
    return await run(service)
  } finally {
    await database.close()
  }
}

export async function importAccount(config: Config, io: CliIo, path: string): Promise<void> {
  const file = resolve(io.cwd, path)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`)
  }
  try {
    const { account, created } = await withAccounts(config, io, (s) => s.importAuthJson(text))
    const who = account.email ?? `workspace ${account.chatgptAccountId ?? '?'}`
    io.stdout(
      `${created ? 'Imported' : 'Updated'} account ${account.id} (${who}, plan ${account.planType}, ` +
        `status ${account.status})\n`,
    )
  } catch (err) {
    if (err instanceof ApiKeyOnlyAuthJsonError) {
      throw new CliError(`${err.message}: codex-lb accounts login`)
    }
    if (err instanceof InvalidAuthJsonError) throw new CliError(`invalid auth.json: ${err.message}`)
    throw err
  }
}

function percent(value: number): string {
  return `${Math.round(value)}%`
}

function minuteIso(iso: string | null): string {
  return iso === null ? '-' : iso.slice(0, 16).replace('T', ' ') + 'Z'
}

/** A plain table: one row per account, columns padded to their widest cell. */
export function formatAccountsTable(accounts: AccountSummary[]): string {
  if (accounts.length === 0) {
    return 'No accounts. Add one with: codex-lb accounts login (or accounts import PATH)\n'
  }
  const header = ['ID', 'EMAIL', 'PLAN', 'STATUS', '5H LEFT', 'WEEK LEFT', 'ACCESS EXPIRES']
  const rows = accounts.map((a) => [
    a.accountId,
    a.email || '-',
    a.planType,
    a.deactivationReason ? `${a.status} (${a.deactivationReason})` : a.status,
    percent(a.usage.primaryRemainingPercent),
    percent(a.usage.secondaryRemainingPercent),
    minuteIso(a.auth.access.expiresAt),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [header, ...rows].map(line).join('\n') + '\n'
}

export async function listAccounts(config: Config, io: CliIo, json: boolean): Promise<void> {
  const accounts = await withAccounts(config, io, (s) => s.listSummaries())
  io.stdout(json ? JSON.stringify({ accounts }, null, 2) + '\n' : formatAccountsTable(accounts))
}
