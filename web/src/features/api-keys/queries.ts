import { queryOptions } from '@tanstack/react-query'
import { listApiKeys, listModels } from './api'

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: () => [...apiKeyKeys.all, 'list'] as const,
  models: () => ['models'] as const,
}

export const apiKeysQuery = () =>
  queryOptions({ queryKey: apiKeyKeys.list(), queryFn: listApiKeys, refetchInterval: 60_000 })

export const modelsQuery = () =>
  queryOptions({
    queryKey: apiKeyKeys.models(),
    queryFn: listModels,
    select: (data) => data.models,
    staleTime: 5 * 60_000,
  })
