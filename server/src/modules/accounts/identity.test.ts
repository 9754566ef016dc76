import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { InvalidAuthJsonError } from './errors.js'
import { accountIdFor, coercePlanType, resolveIdentity } from './identity.js'

const sha = (s: string) => createHash('sha256').update(s).digest('hex')

describe('identity', () => {
  it.each([
    ['ws-1', 'a@x.com', `ws-1_${sha('a@x.com').slice(0, 8)}`],
    ['ws-1', null, 'ws-1'],
    [null, 'a@x.com', `email_${sha('a@x.com').slice(0, 12)}`],
  ])('accountIdFor(%j, %j)', (ws, email, id) => {
    expect(accountIdFor(ws, email)).toBe(id)
  })

  it('keeps the same email in two workspaces apart', () => {
    const claims = { email: 'same@x.com', chatgptAccountId: null, planType: null }
    const a = resolveIdentity('ws-a', claims)
    const b = resolveIdentity('ws-b', claims)
    expect(a.id).not.toBe(b.id)
    expect(a.email).toBe(b.email)
  })

  it('prefers tokens.account_id over the claim and lower-cases the email', () => {
    const identity = resolveIdentity('file-ws', {
      email: ' Mixed@Example.COM ',
      chatgptAccountId: 'claim-ws',
      planType: null,
    })
    expect(identity).toEqual({
      id: `file-ws_${sha('mixed@example.com').slice(0, 8)}`,
      email: 'mixed@example.com',
      chatgptAccountId: 'file-ws',
    })
    expect(resolveIdentity(null, { email: null, chatgptAccountId: 'c', planType: null }).id).toBe(
      'c',
    )
  })

  it('rejects an account with neither email nor workspace id', () => {
    expect(() =>
      resolveIdentity(null, { email: null, chatgptAccountId: null, planType: null }),
    ).toThrow(InvalidAuthJsonError)
    expect(() => accountIdFor(null, null)).toThrow(/no email claim/)
  })

  it.each([
    ['Plus', 'plus'],
    [' PRO ', 'pro'],
    ['enterprise', 'enterprise'],
    ['Edu', 'edu'],
    ['SomethingNew', 'SomethingNew'],
    [' ', 'unknown'],
    [null, 'unknown'],
  ])('coercePlanType(%j) = %j', (raw, plan) => {
    expect(coercePlanType(raw)).toBe(plan)
  })
})
