import {
  dashboardSettingsSchema,
  type DashboardSettings,
  type DashboardSettingsUpdate,
} from '@codex-lb/shared'
import { apiRequest } from '@/lib/api-client'

export const fetchSettings = () => apiRequest('/api/settings', dashboardSettingsSchema)

export const updateSettings = (body: DashboardSettingsUpdate): Promise<DashboardSettings> =>
  apiRequest('/api/settings', dashboardSettingsSchema, { method: 'PUT', json: body })
