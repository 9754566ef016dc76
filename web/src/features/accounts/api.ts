import {
  accountHistorySchema,
  accountCheckSchema,
  accountConcurrencySchema,
  accountEgressProxySchema,
  accountRefreshSchema,
  accountHeadroomSchema,
  accountImportResponseSchema,
  accountRouteOrderSchema,
  accountTrendsSchema,
  accountsListSchema,
  oauthCompleteResponseSchema,
  oauthStartResponseSchema,
  oauthStatusSchema,
  statusResponseSchema,
  type AccountHeadroomUpdate,
  type AccountHistoryRange,
  type AuthJsonExportBody,
  type OauthCompleteBody,
  type OauthMethod,
} from '@codex-lb/shared'
import { apiDownload, apiRequest } from '@/lib/api-client'

const id = (accountId: string) => encodeURIComponent(accountId)

export const listAccounts = () => apiRequest('/api/accounts', accountsListSchema)

export const pauseAccount = (accountId: string) =>
  apiRequest(`/api/accounts/${id(accountId)}/pause`, statusResponseSchema, { method: 'POST' })

export const reactivateAccount = (accountId: string) =>
  apiRequest(`/api/accounts/${id(accountId)}/reactivate`, statusResponseSchema, { method: 'POST' })

export const deleteAccount = (accountId: string) =>
  apiRequest(`/api/accounts/${id(accountId)}`, null, { method: 'DELETE' })

export const setAccountRouteOrder = (accountId: string, routeOrder: number | null) =>
  apiRequest(`/api/accounts/${id(accountId)}`, accountRouteOrderSchema, {
    method: 'PATCH',
    json: { routeOrder },
  })

/** The account's display name; null goes back to the email. */
export const setAccountAlias = (accountId: string, alias: string | null) =>
  apiRequest(`/api/accounts/${id(accountId)}`, accountRouteOrderSchema, {
    method: 'PATCH',
    json: { alias },
  })

/** Fetches the account's usage now; a failed fetch is in the answer's `error`. */
export const checkAccount = (accountId: string) =>
  apiRequest(`/api/accounts/${id(accountId)}/check`, accountCheckSchema, { method: 'POST' })

/** Refreshes the account's token now; a failed refresh is in the answer's `error`. */
export const refreshAccountToken = (accountId: string) =>
  apiRequest(`/api/accounts/${id(accountId)}/refresh`, accountRefreshSchema, { method: 'POST' })

export const setAccountHeadroom = (accountId: string, body: AccountHeadroomUpdate) =>
  apiRequest(`/api/accounts/${id(accountId)}/headroom`, accountHeadroomSchema, {
    method: 'PUT',
    json: body,
  })

/** The account's own stream cap; null follows the global one from Settings. */
export const setAccountMaxStreams = (accountId: string, maxStreams: number | null) =>
  apiRequest(`/api/accounts/${id(accountId)}/concurrency`, accountConcurrencySchema, {
    method: 'PUT',
    json: { maxStreams },
  })

/** The account's own egress proxy URL; null clears it (the default proxy, if any, applies). */
export const setAccountEgressProxy = (accountId: string, url: string | null) =>
  apiRequest(`/api/accounts/${id(accountId)}/egress-proxy`, accountEgressProxySchema, {
    method: 'PUT',
    json: { url },
  })

export function importAuthJson(file: Blob, filename = 'auth.json') {
  const form = new FormData()
  form.append('auth_json', file, filename)
  return apiRequest('/api/accounts/import', accountImportResponseSchema, {
    method: 'POST',
    form,
  })
}

export const startOauth = (forceMethod: OauthMethod) =>
  apiRequest('/api/oauth/start', oauthStartResponseSchema, {
    method: 'POST',
    json: { forceMethod },
  })

export const fetchOauthStatus = (flowId?: string | null) =>
  apiRequest('/api/oauth/status', oauthStatusSchema, { query: { flowId } })

export const completeOauth = (body: OauthCompleteBody) =>
  apiRequest('/api/oauth/complete', oauthCompleteResponseSchema, { method: 'POST', json: body })

export const fetchAccountTrends = (accountId: string, signal?: AbortSignal) =>
  apiRequest(`/api/accounts/${id(accountId)}/trends`, accountTrendsSchema, {
    ...(signal ? { signal } : {}),
  })

/** The account page: window history, last errors and share of traffic over `range`. */
export const fetchAccountHistory = (
  accountId: string,
  range: AccountHistoryRange,
  signal?: AbortSignal,
) =>
  apiRequest(`/api/accounts/${id(accountId)}/history`, accountHistorySchema, {
    query: { range },
    ...(signal ? { signal } : {}),
  })

/** The account's tokens as a Codex `auth.json`, after the password (and code) are checked again. */
export const exportAuthJson = (accountId: string, body: AuthJsonExportBody) =>
  apiDownload(`/api/accounts/${id(accountId)}/auth-json`, body)
