import {
  sessionStateSchema,
  statusResponseSchema,
  totpSetupStartSchema,
  type SessionState,
} from '@codex-lb/shared'
import { ApiError, apiRequest } from '@/lib/api-client'

const BASE = '/api/dashboard-auth'

/** A server without the auth module yet is an open dashboard, not a broken one. */
const OPEN_SESSION: SessionState = {
  authenticated: true,
  passwordRequired: false,
  totpRequiredOnLogin: false,
  totpConfigured: false,
}

export async function fetchSession(): Promise<SessionState> {
  try {
    return await apiRequest(`${BASE}/session`, sessionStateSchema)
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return OPEN_SESSION
    throw error
  }
}

export const loginWithPassword = (password: string) =>
  apiRequest(`${BASE}/password/login`, sessionStateSchema, { method: 'POST', json: { password } })

export const verifyTotp = (code: string) =>
  apiRequest(`${BASE}/totp/verify`, sessionStateSchema, { method: 'POST', json: { code } })

export const logout = () =>
  apiRequest(`${BASE}/logout`, statusResponseSchema, { method: 'POST', json: {} })

export const setupPassword = (password: string) =>
  apiRequest(`${BASE}/password/setup`, sessionStateSchema, { method: 'POST', json: { password } })

export const changePassword = (currentPassword: string, newPassword: string) =>
  apiRequest(`${BASE}/password/change`, statusResponseSchema, {
    method: 'POST',
    json: { currentPassword, newPassword },
  })

export const removePassword = (password: string) =>
  apiRequest(`${BASE}/password`, statusResponseSchema, { method: 'DELETE', json: { password } })

export const startTotpSetup = () =>
  apiRequest(`${BASE}/totp/setup/start`, totpSetupStartSchema, { method: 'POST', json: {} })

export const confirmTotpSetup = (secret: string, code: string) =>
  apiRequest(`${BASE}/totp/setup/confirm`, statusResponseSchema, {
    method: 'POST',
    json: { secret, code },
  })

export const disableTotp = (code: string) =>
  apiRequest(`${BASE}/totp/disable`, statusResponseSchema, { method: 'POST', json: { code } })
