import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { runCli, type CliIo } from '../../src/cli/run-cli.js'
import { dialects, freshPostgresUrl } from '../support/dialects.js'
import { generateFernetKeyFile } from '../support/python-original/fernet.js'
import { writePostgresOriginal } from '../support/python-original/fixture.js'

const DIALECTS = await dialects()
const PASSWORD = 'old-dashboard-pw'

function capture(cwd: string, env: Record<string, string>) {
  let out = ''
  let err = ''
  const io: CliIo = {
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env: { CODEX_LB_LOG_LEVEL: 'silent', ...env },
    cwd,
  }
  return { io, out: () => out, err: () => err }
}

describe.runIf(DIALECTS.some((d) => d.name === 'postgres'))(
  'migrate-from-python from PostgreSQL',
  () => {
    it('reads a PostgreSQL original (native enums, BYTEA tokens, naive-UTC timestamps)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'codex-lb-pymig-pg-'))
      try {
        const url = await freshPostgresUrl()
        const keyFile = generateFernetKeyFile()
        writeFileSync(join(dir, 'old.key'), keyFile)
        const requestedAt = new Date(Date.UTC(2026, 5, 1, 12, 30, 45, 123))
        const accountId = 'ws-pg_1'
        await writePostgresOriginal(
          url,
          {
            era: 'newest',
            accounts: [
              {
                id: accountId,
                email: 'pg@example.com',
                chatgptAccountId: 'ws-pg',
                status: 'quota_exceeded',
                tokens: { access: 'pg-access', refresh: 'pg-refresh', id: 'pg-id' },
              },
            ],
            logs: [
              {
                accountId,
                requestId: 'pg-req',
                requestedAt,
                status: 'success',
                inputTokens: 5,
                outputTokens: 6,
              },
            ],
            settings: { password: PASSWORD },
          },
          keyFile,
        )
        // The original's own URL form (with its async driver) is accepted.
        const source = url.replace('postgresql://', 'postgresql+asyncpg://')
        const run = capture(dir, { CODEX_LB_DATA_DIR: join(dir, 'new') })
        const code = await runCli(
          ['migrate-from-python', '--database-url', source, '--key-file', 'old.key'],
          run.io,
        )
        expect(run.err()).toBe('')
        expect(code).toBe(0)
        expect(run.out()).toMatch(/accounts: 1 imported\n/)
        const target = new SQLite(join(dir, 'new', 'store.db'), { readonly: true })
        try {
          expect(target.prepare('select id, status from accounts').all()).toEqual([
            { id: accountId, status: 'quota_exceeded' },
          ])
          expect(target.prepare('select requested_at from request_logs').get()).toEqual({
            requested_at: requestedAt.getTime(),
          })
        } finally {
          target.close()
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  },
)
