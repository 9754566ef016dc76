import {
  overflowUpstreamSchema,
  type DashboardSettings,
  type OverflowMode,
  type OverflowUpstreamInput,
} from '@codex-lb/shared'
import { useMutation, useQueryClient, queryOptions } from '@tanstack/react-query'
import { toast } from 'sonner'
import { z } from 'zod'
import { apiRequest, errorMessage } from '@/lib/api-client'
import { updateSettings } from '../api'
import { settingsKeys } from '../queries'

const PATH = '/api/overflow-upstreams'

export const overflowKeys = { all: ['overflow-upstreams'] as const }

export const overflowQuery = () =>
  queryOptions({
    queryKey: overflowKeys.all,
    queryFn: () => apiRequest(PATH, z.array(overflowUpstreamSchema)),
  })

/** Create (no id) or edit one upstream; the list reloads after. */
export function useSaveOverflowUpstream() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: OverflowUpstreamInput }) =>
      id
        ? apiRequest(`${PATH}/${id}`, overflowUpstreamSchema, { method: 'PATCH', json: input })
        : apiRequest(PATH, overflowUpstreamSchema, { method: 'POST', json: input }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: overflowKeys.all })
      toast.success(`Overflow upstream “${saved.name}” saved`)
    },
  })
}

export function useDeleteOverflowUpstream() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => apiRequest(`${PATH}/${id}`, null, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: overflowKeys.all }),
    onError: (error) => toast.error(errorMessage(error)),
  })
}

/** Saves the mode; PUT needs both routing flags every time, the rest keep their value. */
export function useSaveOverflowMode() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (overflowMode: OverflowMode) => {
      const current = queryClient.getQueryData<DashboardSettings>(settingsKeys.detail())
      if (!current) throw new Error('Settings are not loaded yet')
      return updateSettings({
        stickyThreadsEnabled: current.stickyThreadsEnabled,
        preferEarlierResetAccounts: current.preferEarlierResetAccounts,
        overflowMode,
      })
    },
    onSuccess: (data) => {
      queryClient.setQueryData(settingsKeys.detail(), data)
      toast.success('Overflow mode saved')
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
}

/** `model` or `model -> upstream-model`, one per line. */
export function parseModelLines(
  text: string,
): Array<{ model: string; upstreamModel: string | null }> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [model = '', upstream] = line.split(/\s*(?:->|=>|→)\s*/)
      return { model: model.trim(), upstreamModel: upstream?.trim() || null }
    })
}

export function modelLines(
  models: Array<{ model: string; upstreamModel?: string | null | undefined }>,
): string {
  return models
    .map((m) => (m.upstreamModel ? `${m.model} -> ${m.upstreamModel}` : m.model))
    .join('\n')
}
