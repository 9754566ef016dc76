import type { AccountGate } from '../balancer/index.js'
import { planCanUseModel } from '../models/index.js'
import type { RequestAccess } from './access.js'

/** The API key's account list: any other account is `not_allowed` for this key's requests. */
export function keyAccountsGate(ids: readonly string[]): AccountGate {
  const allowed = new Set(ids)
  return (account) => (allowed.has(account.id) ? null : { reason: 'not_allowed' })
}

/** A plan-restricted model: accounts on other plans are `model_unavailable` for it. */
export function modelPlanGate(plans: readonly string[]): AccountGate {
  return (account) =>
    planCanUseModel(account.planType, plans) ? null : { reason: 'model_unavailable' }
}

/** The gates a request's API key adds to routing (every transport passes these as `gates`). */
export function accessGates(access: Pick<RequestAccess, 'allowedAccountIds'>): AccountGate[] {
  return access.allowedAccountIds ? [keyAccountsGate(access.allowedAccountIds)] : []
}
