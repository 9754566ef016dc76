import type { AccountSummary } from '@codex-lb/shared'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Card, CardContent } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { errorMessage } from '@/lib/api-client'
import { setAccountEgressProxy } from '../api'
import { accountKeys } from '../queries'

/**
 * The proxy this account's upstream, token refresh and usage calls leave through. The stored URL
 * comes back with its password as `***`, so the field starts empty: typing a new URL replaces it.
 */
export function EgressProxyField({ account }: { account: AccountSummary }) {
  const queryClient = useQueryClient()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const current = account.egressProxy ?? null
  const save = useMutation({
    mutationFn: (url: string | null) => setAccountEgressProxy(account.accountId, url),
    onSuccess: async (answer) => {
      setText('')
      setError(null)
      toast.success(answer.egressProxy ? 'Egress proxy saved' : 'Egress proxy cleared')
      await queryClient.invalidateQueries({ queryKey: accountKeys.all })
    },
    onError: (err) => setError(errorMessage(err)),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (text.trim() === '') {
      setError('Enter a proxy URL, or use Clear')
      return
    }
    save.mutate(text.trim())
  }
  return (
    <Card>
      <CardContent>
        <form onSubmit={submit} className="space-y-2" noValidate>
          <Label htmlFor="egress-proxy">Egress proxy</Label>
          <p className="text-sm text-muted-foreground" data-testid="egress-proxy-current">
            {current ? (
              <>
                Through <span className="font-mono text-xs">{current}</span>
              </>
            ) : (
              'None set: the default proxy (CODEX_LB_EGRESS_PROXY) if any, else direct.'
            )}
          </p>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Input
              id="egress-proxy"
              placeholder="http://host:3128 or socks5://user:pass@host:1080"
              autoComplete="off"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'egress-proxy-error' : undefined}
              value={text}
              onChange={(e) => setText(e.target.value)}
              className="font-mono text-xs"
            />
            <div className="flex gap-2">
              <Button type="submit" size="sm" disabled={save.isPending}>
                Save
              </Button>
              <Button
                type="button"
                size="sm"
                variant="outline"
                disabled={save.isPending || current === null}
                onClick={() => save.mutate(null)}
              >
                Clear
              </Button>
            </div>
          </div>
          {error ? (
            <p id="egress-proxy-error" className="text-sm text-destructive">
              {error}
            </p>
          ) : null}
        </form>
      </CardContent>
    </Card>
  )
}
