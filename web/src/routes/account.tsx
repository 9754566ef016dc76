import { useParams } from 'wouter'
import { AccountDetail } from '@/features/accounts'

function decoded(id: string): string {
  try {
    return decodeURIComponent(id)
  } catch {
    return id
  }
}

/** /accounts/:id — one account's page. */
export function AccountPage() {
  const { id = '' } = useParams<{ id: string }>()
  return <AccountDetail accountId={decoded(id)} />
}
