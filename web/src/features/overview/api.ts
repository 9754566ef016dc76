import { dashboardOverviewSchema, type DashboardOverview } from '@codex-lb/shared'
import { ApiError, apiRequest } from '@/lib/api-client'

/** `null` when the server has no overview endpoint: the page then derives what it can. */
export async function fetchOverview(signal?: AbortSignal): Promise<DashboardOverview | null> {
  try {
    return await apiRequest('/api/dashboard/overview', dashboardOverviewSchema, {
      ...(signal ? { signal } : {}),
    })
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 501)) return null
    throw error
  }
}
