import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { LogOut } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { logout } from '../api'
import { isOpen } from '../access'
import { authKeys, sessionQuery } from '../queries'

/** Only shown when the dashboard is protected: in open mode there is nothing to log out of. */
export function LogoutButton() {
  const queryClient = useQueryClient()
  const session = useQuery(sessionQuery())
  const mutation = useMutation({
    mutationFn: logout,
    onSettled: () => {
      // Drop every cached answer: the next user must not see the previous session's data.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.all[0] })
      void queryClient.invalidateQueries({ queryKey: authKeys.session() })
    },
  })
  if (!session.data || isOpen(session.data)) return null
  return (
    <Button
      variant="ghost"
      size="sm"
      onClick={() => mutation.mutate()}
      disabled={mutation.isPending}
      className="text-muted-foreground"
    >
      <LogOut /> Log out
    </Button>
  )
}
