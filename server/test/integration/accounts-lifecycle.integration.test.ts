import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/index.js'
import {
  accountTrendsResponseSchema,
  createAccountsService,
} from '../../src/modules/accounts/index.js'
import { authJsonFor, importOk, list, post, upload } from '../support/accounts-api.js'
import { dialects } from '../support/dialects.js'
import { startTestApp, type TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()

describe.each(DIALECTS)(
  'accounts admin API: state, deletion, trends and restarts on $name',
  (dialect) => {
    let dataDir: string
    let database: Config['database']
    let t: TestApp

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'codex-lb-accounts-'))
      database = await dialect.make(dataDir)
      t = await startTestApp({ dataDir, database })
    })
    afterAll(async () => {
      await t.close()
      rmSync(dataDir, { recursive: true, force: true })
    })

    it('pauses and reactivates, clearing reason and reset', async () => {
      const { accountId } = await importOk(t, authJsonFor('dave@example.com', 'ws-dave').text)
      const pause = await post(t, `/api/accounts/${accountId}/pause`)
      expect(await pause.json()).toEqual({ status: 'paused' })
      expect((await list(t)).find((a) => a.accountId === accountId)!.status).toBe('paused')

      await t.app.services.accounts.updateState(accountId, {
        status: 'rate_limited',
        deactivationReason: 'limit',
        resetAt: Date.now() + 60_000,
        errorCount: 3,
      })
      const reactivate = await post(t, `/api/accounts/${accountId}/reactivate/`)
      expect(await reactivate.json()).toEqual({ status: 'reactivated' })
      const account = await t.app.services.accounts.get(accountId)
      expect(account).toMatchObject({
        status: 'active',
        deactivationReason: null,
        resetAt: null,
        errorCount: 0,
      })
    })

    it('deletes an account with its usage and sticky rows but keeps its request logs', async () => {
      const { accountId } = await importOk(t, authJsonFor('erin@example.com', 'ws-erin').text)
      const db = t.database.db
      const now = Date.now()
      await db
        .insertInto('request_logs')
        .values({
          account_id: accountId,
          api_key_id: null,
          request_id: 'req-keep',
          requested_at: now,
          endpoint: '/v1/responses',
          model: 'gpt-5',
          reasoning_effort: null,
          status: 'success',
          http_status: 200,
          error_code: null,
          error_message: null,
          input_tokens: 1,
          cached_input_tokens: 0,
          output_tokens: 1,
          reasoning_tokens: 0,
          cost_usd: 0,
          latency_ms: 5,
          ttfb_ms: 1,
        })
        .execute()
      await db
        .insertInto('usage_history')
        .values({
          account_id: accountId,
          recorded_at: now,
          window: 'secondary',
          used_percent: 10,
          reset_at: now + 1000,
          window_minutes: 10080,
          credits_has: null,
          credits_unlimited: null,
          credits_balance: null,
        })
        .execute()
      await db
        .insertInto('sticky_sessions')
        .values({ key: `k-${accountId}`, account_id: accountId, created_at: now, updated_at: now })
        .execute()

      const res = await fetch(`${t.url}/api/accounts/${accountId}`, { method: 'DELETE' })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ status: 'deleted' })
      expect((await list(t)).some((a) => a.accountId === accountId)).toBe(false)
      const logs = await db
        .selectFrom('request_logs')
        .select(['account_id', 'request_id'])
        .where('request_id', '=', 'req-keep')
        .execute()
      expect(logs).toEqual([{ account_id: accountId, request_id: 'req-keep' }])
      const usage = await db
        .selectFrom('usage_history')
        .select('id')
        .where('account_id', '=', accountId)
        .execute()
      const sticky = await db
        .selectFrom('sticky_sessions')
        .select('key')
        .where('account_id', '=', accountId)
        .execute()
      expect(usage).toEqual([])
      expect(sticky).toEqual([])
    })

    it('tells its owner about writes that change who may be selected', async () => {
      const changed: string[] = []
      const service = createAccountsService({
        db: t.database.db,
        cipher: t.cipher,
        config: t.config,
        clock: { now: () => Date.now() },
        log: { info: () => undefined, warn: () => undefined },
        onChange: (id) => changed.push(id),
      })
      const { account } = await service.importAuthJson(
        authJsonFor('ivy@example.com', 'ws-ivy').text,
      )
      await service.pause(account.id)
      await service.reactivate(account.id)
      await service.updateState(account.id, { lastSelectedAt: Date.now() })
      await service.delete(account.id)
      expect(changed).toEqual(Array.from({ length: 5 }, () => account.id))
    })

    it('answers 404 account_not_found for unknown ids', async () => {
      const attempts = [
        post(t, '/api/accounts/nope/pause'),
        post(t, '/api/accounts/nope/reactivate'),
        fetch(`${t.url}/api/accounts/nope`, { method: 'DELETE' }),
        fetch(`${t.url}/api/accounts/nope/trends`),
      ]
      for (const res of await Promise.all(attempts)) {
        expect(res.status).toBe(404)
        expect(await res.json()).toEqual({
          error: { code: 'account_not_found', message: 'Account not found' },
        })
      }
    })

    it('accepts trailing-slash forms', async () => {
      const viaSlash = await list(t, '/api/accounts/')
      expect(viaSlash).toEqual(await list(t))
      const res = await upload(
        t,
        authJsonFor('frank@example.com', 'ws-frank').text,
        'auth_json',
        '/api/accounts/import/',
      )
      expect(res.status).toBe(200)
    })

    it('serves 7 days of hourly trends, with usage and reset from the latest samples', async () => {
      const { accountId } = await importOk(t, authJsonFor('gina@example.com', 'ws-gina').text)
      const now = Date.now()
      const reset = now + 3_600_000
      const sample = (
        recorded_at: number,
        window: 'primary' | 'secondary',
        used_percent: number,
      ) => ({
        account_id: accountId,
        recorded_at,
        window,
        used_percent,
        reset_at: reset,
        window_minutes: null,
        credits_has: null,
        credits_unlimited: null,
        credits_balance: null,
      })
      await t.database.db
        .insertInto('usage_history')
        .values([
          sample(now - 7_200_000, 'primary', 10),
          sample(now - 60_000, 'primary', 25.5),
          sample(now - 60_000, 'secondary', 5),
        ])
        .execute()
      const res = await fetch(`${t.url}/api/accounts/${accountId}/trends`)
      const trends = accountTrendsResponseSchema.parse(await res.json())
      expect(trends.accountId).toBe(accountId)
      expect(trends.primary).toHaveLength(168)
      expect(trends.secondary).toHaveLength(168)
      expect(trends.primary.at(-1)!.v).toBe(74.5)
      const summary = (await list(t)).find((a) => a.accountId === accountId)!
      expect(summary.usage).toEqual({
        primaryRemainingPercent: 74.5,
        secondaryRemainingPercent: 95,
      })
      expect(summary.resetAtPrimary).toBe(new Date(reset).toISOString())
    })

    it('survives a restart on the same data dir', async () => {
      const { tokens, text } = authJsonFor('hank@example.com', 'ws-hank')
      const { accountId } = await importOk(t, text)
      const before = await list(t)
      await t.close()
      t = await startTestApp({ dataDir, database })
      expect(await list(t)).toEqual(before)
      const credential = await t.app.services.accounts.getCredential(accountId)
      expect(credential).toEqual({
        accountId,
        accessToken: tokens.accessToken,
        chatgptAccountId: 'ws-hank',
        egressProxy: null,
      })
    })
  },
)
