import { join } from 'node:path'
import { runCli, type CliIo } from '../../../src/cli/run-cli.js'
import { openDatabase, type DatabaseHandle } from '../../../src/db/index.js'

/** A run of `codex-lb migrate-from-python` in-process, with what it printed. */
export interface MigrateRun {
  code: number
  out: string
  err: string
}

/** Runs the command with `args` in `cwd`; `env` names the target (CODEX_LB_DATA_DIR, …). */
export async function migrate(
  cwd: string,
  env: Record<string, string>,
  args: string[],
): Promise<MigrateRun> {
  let out = ''
  let err = ''
  const io: CliIo = {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env: { CODEX_LB_LOG_LEVEL: 'silent', ...env },
    cwd,
  }
  const code = await runCli(['migrate-from-python', ...args], io)
  return { code, out, err }
}

/** The target the env points at (PostgreSQL when CODEX_LB_DATABASE_URL is set), to read back. */
export function openTarget(env: Record<string, string>): Promise<DatabaseHandle> {
  const url = env.CODEX_LB_DATABASE_URL
  return openDatabase(
    url
      ? { kind: 'postgres', url, poolSize: 2 }
      : { kind: 'sqlite', path: join(env.CODEX_LB_DATA_DIR!, 'store.db') },
  )
}

/** Rows of a table in the target (0 when the target has no such table yet). */
export async function countRows(
  target: DatabaseHandle,
  table: 'accounts' | 'api_keys' | 'request_logs' | 'usage_history' | 'python_import',
): Promise<number> {
  try {
    const row = await target.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  } catch (err) {
    if (/no such table|does not exist/.test((err as Error).message)) return 0
    throw err
  }
}
