import type { DashboardSettings } from '@codex-lb/shared'
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { errorMessage } from '@/lib/api-client'
import { fetchSettings, updateSettings } from './api'

export const settingsKeys = {
  all: ['settings'] as const,
  detail: () => [...settingsKeys.all, 'detail'] as const,
}

export const settingsQuery = () =>
  queryOptions({ queryKey: settingsKeys.detail(), queryFn: fetchSettings })

type SettingsPatch = Partial<
  Pick<
    DashboardSettings,
    | 'stickyThreadsEnabled'
    | 'preferEarlierResetAccounts'
    | 'totpRequiredOnLogin'
    | 'apiKeyAuthEnabled'
    | 'routingStrategy'
  >
>

/**
 * PUT needs both routing booleans every time; the TOTP flag is sent only when it is the thing being
 * changed, because re-sending it in a "flag set but no secret" state makes every save fail.
 */
export function useUpdateSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (patch: SettingsPatch) => {
      const current = queryClient.getQueryData<DashboardSettings>(settingsKeys.detail())
      if (!current) throw new Error('Settings are not loaded yet')
      return updateSettings({
        stickyThreadsEnabled: patch.stickyThreadsEnabled ?? current.stickyThreadsEnabled,
        preferEarlierResetAccounts:
          patch.preferEarlierResetAccounts ?? current.preferEarlierResetAccounts,
        apiKeyAuthEnabled: patch.apiKeyAuthEnabled ?? current.apiKeyAuthEnabled,
        ...(patch.totpRequiredOnLogin !== undefined
          ? { totpRequiredOnLogin: patch.totpRequiredOnLogin }
          : {}),
        // Sent only when chosen: absent keeps the saved strategy (or the environment default).
        ...(patch.routingStrategy !== undefined ? { routingStrategy: patch.routingStrategy } : {}),
      })
    },
    onMutate: async (patch) => {
      await queryClient.cancelQueries({ queryKey: settingsKeys.detail() })
      const previous = queryClient.getQueryData<DashboardSettings>(settingsKeys.detail())
      if (previous) queryClient.setQueryData(settingsKeys.detail(), { ...previous, ...patch })
      return { previous }
    },
    onError: (error, _patch, context) => {
      if (context?.previous) queryClient.setQueryData(settingsKeys.detail(), context.previous)
      toast.error(errorMessage(error))
    },
    onSuccess: (data) => {
      queryClient.setQueryData(settingsKeys.detail(), data)
      toast.success('Settings saved')
    },
  })
}
