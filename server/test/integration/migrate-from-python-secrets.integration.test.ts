import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateFernetKeyFile } from '../support/python-original/fernet.js'
import { migrate, openTarget, type MigrateRun } from '../support/python-original/cli.js'
import {
  plainApiKey,
  writeSqliteOriginal,
  type OriginalAccount,
} from '../support/python-original/fixture.js'

const PASSWORD = 'dashboard-password-4f9a'
const TOTP_SECRET = 'KRUGS4ZANFZSAYJAONSWG4TFOQQHI33U'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'codex-lb-pymig-secrets-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const account = (id: string, extra: Partial<OriginalAccount> = {}): OriginalAccount => ({
  id,
  email: `${id}@example.com`,
  chatgptAccountId: `ws-${id}`,
  tokens: { access: `eyJ-access-${id}-x1`, refresh: `rt-${id}-y2-opaque`, id: `eyJ-id-${id}-z3` },
  ...extra,
})

/** Every secret of an original: plaintexts, and what the file stores (ciphertexts, hashes, the key). */
function secretsOf(from: string, plain: string[]): string[] {
  const db = new SQLite(join(from, 'store.db'), { readonly: true })
  try {
    const stored = [
      ...db
        .prepare(
          'select access_token_encrypted a, refresh_token_encrypted r, id_token_encrypted i from accounts',
        )
        .all(),
      ...db
        .prepare('select password_hash p, totp_secret_encrypted t from dashboard_settings')
        .all(),
      ...db.prepare('select key_hash h from api_keys').all(),
    ].flatMap((row) => Object.values(row as Record<string, unknown>))
    return [
      ...plain,
      readFileSync(join(from, 'encryption.key'), 'utf8').trim(),
      ...stored
        .filter((v) => v !== null)
        .map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))),
    ]
  } finally {
    db.close()
  }
}

function expectNoSecret(runs: MigrateRun[], secrets: string[]): void {
  const printed = runs.map((r) => r.out + r.err).join('\n')
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8)
    // Also a distinctive middle piece: a secret cut or wrapped in a message still counts.
    for (const piece of [secret, secret.slice(4, 24)]) expect(printed).not.toContain(piece)
  }
}

describe('migrate-from-python prints no token, key or secret', () => {
  it('in the dry run, the import, a re-run, and runs that stop on bad input', async () => {
    const key = plainApiKey()
    const from = join(dir, 'old')
    const accounts = [account('s1'), account('s2', { status: 'reauth_required' })]
    writeSqliteOriginal(from, {
      era: 'newest',
      accounts,
      apiKeys: [
        {
          id: '8d2c3e4f-0000-4000-8000-00000000000a',
          name: 'ci',
          key,
          reservations: ['reserved', 'finalized'],
          limits: [
            {
              type: 'cost_usd',
              window: 'weekly',
              max: 10_000_000,
              current: 4_000_000,
              resetAt: new Date(Date.now() + 86_400_000),
            },
          ],
        },
      ],
      settings: { password: PASSWORD, totpSecret: TOTP_SECRET, totpRequired: true, lastStep: 9 },
    })
    const bad = join(dir, 'bad')
    writeSqliteOriginal(bad, {
      era: 'newest',
      accounts: [account('b1'), account('b2', { corruptToken: true })],
    })
    writeFileSync(join(dir, 'wrong.key'), generateFernetKeyFile())
    const env = { CODEX_LB_DATA_DIR: join(dir, 'new') }

    const dry = await migrate(dir, env, ['--from', from, '--dry-run'])
    expect(dry.out).toContain(
      '1 open reservation(s) are not copied: their amounts stay counted in current usage',
    )
    const run = await migrate(dir, env, ['--from', from])
    const again = await migrate(dir, env, ['--from', from])
    const stopped = await migrate(dir, { CODEX_LB_DATA_DIR: join(dir, 'new-bad') }, ['--from', bad])
    const skipped = await migrate(dir, { CODEX_LB_DATA_DIR: join(dir, 'new-skip') }, [
      '--from',
      bad,
      '--skip-bad-rows',
      '--dry-run',
    ])
    const wrongKey = await migrate(dir, { CODEX_LB_DATA_DIR: join(dir, 'new-wrong') }, [
      '--from',
      from,
      '--key-file',
      'wrong.key',
    ])
    expect([dry, run, again, stopped, skipped, wrongKey].map((r) => r.code)).toEqual([
      0, 0, 0, 1, 0, 1,
    ])
    expect(stopped.err).toContain('b2: access token does not decrypt')

    const target = await openTarget(env)
    try {
      const limit = await target.db
        .selectFrom('api_key_limits')
        .select(['limit_type', 'max_value', 'current_value'])
        .executeTakeFirstOrThrow()
      // Microdollars as they were, the open reservation's amount still in them.
      expect(limit).toEqual({
        limit_type: 'cost_usd',
        max_value: 10_000_000,
        current_value: 4_000_000,
      })
    } finally {
      await target.close()
    }
    const targetKey = readFileSync(join(dir, 'new', 'encryption.key'), 'utf8').trim()
    expectNoSecret(
      [dry, run, again, stopped, skipped, wrongKey],
      [
        key,
        PASSWORD,
        TOTP_SECRET,
        targetKey,
        readFileSync(join(dir, 'wrong.key'), 'utf8').trim(),
        ...accounts.flatMap((a) => Object.values(a.tokens)),
        ...secretsOf(from, []),
        ...secretsOf(bad, ['eyJ-access-b2-x1', 'rt-b2-y2-opaque', 'eyJ-id-b2-z3']),
      ],
    )
  })
})
