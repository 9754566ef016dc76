import type { AccountSummary, ApiKey, DashboardSettings, SessionState } from '@codex-lb/shared'

export function makeAccount(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return {
    accountId: 'acc_1',
    email: 'alice@example.com',
    displayName: 'alice@example.com',
    planType: 'plus',
    status: 'active',
    deactivationReason: null,
    usage: { primaryRemainingPercent: 80, secondaryRemainingPercent: 60 },
    resetAtPrimary: new Date(Date.now() + 2 * 3_600_000).toISOString(),
    resetAtSecondary: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    auth: {
      access: { expiresAt: new Date(Date.now() + 86_400_000).toISOString(), state: null },
      refresh: { expiresAt: null, state: 'stored' },
      idToken: { expiresAt: null, state: 'parsed' },
    },
    ...overrides,
  }
}

export function makeApiKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: 'key_1',
    name: 'laptop',
    keyPrefix: 'sk-clb-abcd1234',
    allowedModels: null,
    expiresAt: null,
    isActive: true,
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    limits: [],
    ...overrides,
  }
}

export const openSession: SessionState = {
  authenticated: true,
  passwordRequired: false,
  totpRequiredOnLogin: false,
  totpConfigured: false,
}

export const defaultSettings: DashboardSettings = {
  stickyThreadsEnabled: true,
  preferEarlierResetAccounts: false,
  totpRequiredOnLogin: false,
  totpConfigured: false,
  apiKeyAuthEnabled: true,
}
