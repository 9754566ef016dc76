import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import {
  accountsListResponseSchema,
  importAccountResponseSchema,
  type AccountSummary,
} from '../../src/modules/accounts/index.js'
import { makeAuthJson, makeTokenSet } from './jwt.js'
import type { TestApp } from './test-app.js'

// The accounts admin API as its integration tests drive it: upload an auth.json, list, post.

export function authJsonFor(
  email: string,
  workspace: string,
  planType = 'plus',
  lastRefresh?: Date,
) {
  const tokens = makeTokenSet({ email, chatgptAccountId: workspace, planType })
  return { tokens, text: JSON.stringify(makeAuthJson(tokens, workspace, lastRefresh)) }
}

export async function upload(
  t: TestApp,
  content: string,
  field = 'auth_json',
  path = '/api/accounts/import',
) {
  const form = new FormData()
  form.append(field, new Blob([content], { type: 'application/json' }), 'auth.json')
  return fetch(`${t.url}${path}`, { method: 'POST', body: form })
}

/** Uploads and expects success; the body is parsed with the wire schema. */
export async function importOk(t: TestApp, content: string, path?: string) {
  const res = await upload(t, content, 'auth_json', path)
  expect(res.status).toBe(200)
  return importAccountResponseSchema.parse(await res.json())
}

export async function list(t: TestApp, path = '/api/accounts'): Promise<AccountSummary[]> {
  const res = await fetch(`${t.url}${path}`)
  expect(res.status).toBe(200)
  return accountsListResponseSchema.parse(await res.json()).accounts
}

export async function post(t: TestApp, path: string) {
  return fetch(`${t.url}${path}`, { method: 'POST' })
}

/** Files of the data dir whose bytes could hold a secret (db, wal, shm, backups). */
export function dataDirBytes(dir: string): Buffer[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('store.db'))
    .map((name) => readFileSync(join(dir, name)))
}
