import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/db/index.js'
import { AccountsRepository } from '../../src/modules/accounts/repository.js'
import { dialects } from '../support/dialects.js'

const DIALECTS = await dialects()

function account(id: string, workspace: string | null, email: string) {
  return {
    id,
    chatgpt_account_id: workspace,
    email,
    plan_type: 'plus',
    access_token_enc: 'a',
    refresh_token_enc: 'r',
    id_token_enc: 'i',
    access_token_expires_at: null,
    last_refresh_at: 0,
  }
}

describe.each(DIALECTS)('AccountsRepository.listByChatgptAccountId ($name)', (dialect) => {
  let dir: string
  let handle: DatabaseHandle
  let repo: AccountsRepository
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'codex-lb-accounts-repo-'))
    handle = await openDatabase(await dialect.make(dir))
    await migrateToLatest(handle.db, { sqlitePath: handle.sqlitePath })
    repo = new AccountsRepository(handle.db)
    await repo.upsertImported(account('acc-b', 'ws-1', 'b@example.com'), 1)
    await repo.upsertImported(account('acc-a', 'ws-1', 'a@example.com'), 2)
    await repo.upsertImported(account('acc-c', 'ws-2', 'c@example.com'), 3)
    await repo.upsertImported(account('acc-d', null, 'd@example.com'), 4)
  })
  afterAll(async () => {
    await handle.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it("returns exactly the workspace's accounts, ordered by email", async () => {
    expect((await repo.listByChatgptAccountId('ws-1')).map((r) => r.id)).toEqual(['acc-a', 'acc-b'])
    expect((await repo.listByChatgptAccountId('ws-2')).map((r) => r.id)).toEqual(['acc-c'])
    expect(await repo.listByChatgptAccountId('ws-unknown')).toEqual([])
  })

  it('is served by the chatgpt_account_id index', async () => {
    if (dialect.name === 'sqlite') {
      const plan = await sql<{
        detail: string
      }>`explain query plan select * from accounts where chatgpt_account_id = ${'ws-1'}`.execute(
        handle.db,
      )
      expect(plan.rows.map((r) => r.detail).join('\n')).toContain('idx_accounts_chatgpt_account_id')
    } else {
      const idx = await sql<{ indexdef: string }>`select indexdef from pg_indexes
        where schemaname = current_schema() and indexname = 'idx_accounts_chatgpt_account_id'`.execute(
        handle.db,
      )
      expect(idx.rows[0]?.indexdef).toContain('(chatgpt_account_id)')
    }
  })
})
