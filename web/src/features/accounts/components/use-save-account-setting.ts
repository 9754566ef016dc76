import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from 'sonner'
import { errorMessage } from '@/lib/api-client'
import { accountKeys } from '../queries'

/**
 * Saves one account setting: on success a toast with `saved`, the account list refetched and the
 * dialog closed; on failure a toast with the server's reason (the dialog stays open).
 */
export function useSaveAccountSetting<T>(
  save: (value: T) => Promise<unknown>,
  saved: string,
  onClose: () => void,
) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: save,
    onSuccess: async () => {
      toast.success(saved)
      await queryClient.invalidateQueries({ queryKey: accountKeys.all })
      onClose()
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
}
