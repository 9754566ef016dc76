import { createHash } from 'node:crypto'
import {
  oauthFlowStatusSchema,
  oauthStartResponseSchema,
  type OAuthFlowStatus,
  type OAuthStartResponse,
} from '../../src/modules/oauth/index.js'
import type { DashboardClient } from './dashboard-client.js'
import type { FakeAccount, FakeUpstream } from './fake-upstream.js'

/** What a browser would read off the authorization URL. */
export interface AuthorizeParams {
  url: URL
  state: string
  redirectUri: string
  codeChallenge: string
}

export function authorizeParams(authorizationUrl: string): AuthorizeParams {
  const url = new URL(authorizationUrl)
  const get = (name: string) => {
    const value = url.searchParams.get(name)
    if (value === null) throw new Error(`authorization URL without ${name}`)
    return value
  }
  return {
    url,
    state: get('state'),
    redirectUri: get('redirect_uri'),
    codeChallenge: get('code_challenge'),
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

export async function startOAuth(
  api: DashboardClient,
  body: Record<string, unknown> = {},
): Promise<OAuthStartResponse> {
  const res = await api.post('/api/oauth/start', body)
  if (res.status !== 200) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`)
  return oauthStartResponseSchema.parse(res.body)
}

export async function oauthStatus(api: DashboardClient, query = ''): Promise<OAuthFlowStatus> {
  const res = await api.get(`/api/oauth/status${query}`)
  if (res.status !== 200) throw new Error(`status: ${res.status} ${JSON.stringify(res.body)}`)
  return oauthFlowStatusSchema.parse(res.body)
}

/** Polls /api/oauth/status until the flow is no longer pending. */
export async function waitForFlow(
  api: DashboardClient,
  flowId: string,
  timeoutMs = 5_000,
): Promise<OAuthFlowStatus> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const status = await oauthStatus(api, `?flowId=${encodeURIComponent(flowId)}`)
    if (status.status !== 'pending') return status
    if (Date.now() > deadline) throw new Error(`flow ${flowId} still pending`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The browser following the auth server's redirect to the callback listener. */
export async function visit(
  url: string,
): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(url)
  return { status: res.status, html: await res.text(), headers: res.headers }
}

/** The callback URL the auth server would redirect to, with the given query. */
export function callbackUrl(redirectUri: string, query: Record<string, string>): string {
  return `${redirectUri}?${new URLSearchParams(query).toString()}`
}

let codes = 0

/** Starts a browser sign-in and lets the fake accept a fresh code for `account`. */
export async function beginSignIn(api: DashboardClient, fake: FakeUpstream, account: FakeAccount) {
  const start = await startOAuth(api)
  const params = authorizeParams(start.authorizationUrl!)
  codes += 1
  const code = `code-${codes}`
  fake.registerAuthCode(code, account)
  return {
    start,
    params,
    code,
    url: callbackUrl(params.redirectUri, { code, state: params.state }),
  }
}
