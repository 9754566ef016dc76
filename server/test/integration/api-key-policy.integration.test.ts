import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DashboardClient, startDialectApp } from '../support/dashboard-client.js'
import { dialects } from '../support/dialects.js'
import { makeAuthJson, makeTokenSet } from '../support/jwt.js'
import type { TestApp } from '../support/test-app.js'

const DIALECTS = await dialects()

// Issue 11 item 6: the policy fields of an API key, as the dashboard sets and reads them.
describe.each(DIALECTS)('API key policy over /api/api-keys ($name)', (dialect) => {
  let t: TestApp
  let api: DashboardClient
  let accountId: string

  beforeAll(async () => {
    t = await startDialectApp(dialect)
    api = new DashboardClient(t.url)
    const chatgptId = randomUUID()
    const tokens = makeTokenSet({
      email: 'pol@example.com',
      chatgptAccountId: chatgptId,
      planType: 'plus',
    })
    const imported = await t.app.services.accounts.importAuthJson(
      JSON.stringify(makeAuthJson(tokens, chatgptId)),
    )
    accountId = imported.account.id
  })
  afterAll(async () => t.close())

  it('stores the policy on create (normalised) and returns it on create and list', async () => {
    const created = await api.post('/api/api-keys/', {
      name: 'policy',
      allowedReasoningEfforts: [' Low', 'medium', 'low'],
      allowedServiceTiers: ['default', 'fast'],
      allowedAccountIds: [accountId],
      maxConcurrentRequests: 2,
    })
    expect(created.status).toBe(200)
    const policy = {
      allowedReasoningEfforts: ['low', 'medium'],
      allowedServiceTiers: ['default', 'priority'],
      allowedAccountIds: [accountId],
      maxConcurrentRequests: 2,
    }
    expect(created.body).toMatchObject(policy)
    const listed = (await api.get('/api/api-keys/')).body.find(
      (k: { id: string }) => k.id === created.body.id,
    )
    expect(listed).toMatchObject(policy)
  })

  it('a key without policy shows nulls; PATCH changes only the fields it names; [] clears', async () => {
    const { body: key } = await api.post('/api/api-keys/', { name: 'open' })
    expect(key).toMatchObject({
      allowedReasoningEfforts: null,
      allowedServiceTiers: null,
      allowedAccountIds: null,
      maxConcurrentRequests: null,
    })
    const patched = await api.patch(`/api/api-keys/${key.id}`, {
      allowedServiceTiers: ['flex'],
      maxConcurrentRequests: 5,
    })
    expect(patched.body).toMatchObject({
      allowedReasoningEfforts: null,
      allowedServiceTiers: ['flex'],
      maxConcurrentRequests: 5,
    })
    const renamed = await api.patch(`/api/api-keys/${key.id}`, { name: 'renamed' })
    expect(renamed.body).toMatchObject({ allowedServiceTiers: ['flex'], maxConcurrentRequests: 5 })
    const cleared = await api.patch(`/api/api-keys/${key.id}`, {
      allowedServiceTiers: [],
      maxConcurrentRequests: null,
    })
    expect(cleared.body).toMatchObject({ allowedServiceTiers: null, maxConcurrentRequests: null })
  })

  it('answers 422 naming the field for bad policy input, on create and on PATCH', async () => {
    const { body: key } = await api.post('/api/api-keys/', { name: 'target' })
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [
        { allowedReasoningEfforts: ['low', 'turbo'] },
        'allowedReasoningEfforts[1]',
        /must be one of/,
      ],
      [{ allowedServiceTiers: ['premium'] }, 'allowedServiceTiers[0]', /must be one of/],
      [
        { allowedAccountIds: [accountId, 'no-such-account'] },
        'allowedAccountIds[1]',
        /unknown account "no-such-account"/,
      ],
      [{ maxConcurrentRequests: 0 }, 'maxConcurrentRequests', /positive/],
      [{ maxConcurrentRequests: -3 }, 'maxConcurrentRequests', /positive/],
      [{ maxConcurrentRequests: 1.5 }, 'maxConcurrentRequests', /integer/],
    ]
    for (const [body, field, message] of cases) {
      for (const res of [
        await api.post('/api/api-keys/', { name: 'bad', ...body }),
        await api.patch(`/api/api-keys/${key.id}`, body),
      ]) {
        expect(res.status, JSON.stringify(body)).toBe(422)
        expect(res.body.error.code).toBe('validation_error')
        expect(res.body.error.message).toContain(`${field}:`)
        expect(res.body.error.message).toMatch(message)
      }
    }
    // Nothing was created or changed by the refusals.
    const keys = (await api.get('/api/api-keys/')).body as Array<{ name: string }>
    expect(keys.some((k) => k.name === 'bad')).toBe(false)
    expect(
      (await api.get('/api/api-keys/')).body.find((k: { id: string }) => k.id === key.id),
    ).toMatchObject({ allowedReasoningEfforts: null, maxConcurrentRequests: null })
  })
})
