import {
  apiKeyCreatedSchema,
  apiKeyListSchema,
  apiKeySchema,
  modelsListSchema,
  type ApiKeyCreateBody,
  type ApiKeyUpdateBody,
} from '@codex-lb/shared'
import { apiRequest } from '@/lib/api-client'

// The collection lives at `/api/api-keys/` (with the slash) in the original contract.
const BASE = '/api/api-keys'
const item = (id: string) => `${BASE}/${encodeURIComponent(id)}`

export const listApiKeys = () => apiRequest(`${BASE}/`, apiKeyListSchema)

export const createApiKey = (body: ApiKeyCreateBody) =>
  apiRequest(`${BASE}/`, apiKeyCreatedSchema, { method: 'POST', json: body })

export const updateApiKey = (id: string, body: ApiKeyUpdateBody) =>
  apiRequest(item(id), apiKeySchema, { method: 'PATCH', json: body })

export const deleteApiKey = (id: string) => apiRequest(item(id), null, { method: 'DELETE' })

export const regenerateApiKey = (id: string) =>
  apiRequest(`${item(id)}/regenerate`, apiKeyCreatedSchema, { method: 'POST' })

export const listModels = () => apiRequest('/api/models', modelsListSchema)
