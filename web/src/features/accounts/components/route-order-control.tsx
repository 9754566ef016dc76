import type { AccountSummary } from '@codex-lb/shared'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { ListOrdered } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { toast } from 'sonner'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { errorMessage } from '@/lib/api-client'
import { setAccountRouteOrder } from '../api'
import { accountKeys } from '../queries'

const MAX = 9999

/** '' unsets the position; anything but a whole number from 1 to MAX is refused here already. */
function parsePosition(text: string): number | null | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return null
  const n = Number(trimmed)
  return Number.isInteger(n) && n >= 1 && n <= MAX ? n : undefined
}

/**
 * The account's place in the order that fill_first (and round_robin) follow: shown as "#2" in the
 * row, edited in a small popover. Accounts without a place come after the numbered ones.
 */
export function RouteOrderControl({ account }: { account: AccountSummary }) {
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const [text, setText] = useState('')
  const [invalid, setInvalid] = useState(false)
  const position = account.routeOrder ?? null
  const save = useMutation({
    mutationFn: (routeOrder: number | null) => setAccountRouteOrder(account.accountId, routeOrder),
    onSuccess: (data) => {
      setOpen(false)
      toast.success(
        data.routeOrder === null
          ? `${account.email} has no position`
          : `${account.email} is #${data.routeOrder}`,
      )
      return queryClient.invalidateQueries({ queryKey: accountKeys.all })
    },
    onError: (error) => toast.error(errorMessage(error)),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const value = parsePosition(text)
    setInvalid(value === undefined)
    if (value !== undefined) save.mutate(value)
  }
  const inputId = `route-order-${account.accountId}`
  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        setOpen(next)
        if (next) {
          setText(position === null ? '' : String(position))
          setInvalid(false)
        }
      }}
    >
      <PopoverTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="h-6 px-1.5 text-xs text-muted-foreground"
          aria-label={`Routing position of ${account.email || account.accountId}: ${position === null ? 'none' : position}`}
          title="Position in the fill-first order"
        >
          <ListOrdered className="size-3.5" />
          {position === null ? '–' : `#${position}`}
        </Button>
      </PopoverTrigger>
      <PopoverContent align="start">
        <form className="space-y-3" onSubmit={submit}>
          <div className="space-y-1.5">
            <Label htmlFor={inputId}>Routing position</Label>
            <Input
              id={inputId}
              inputMode="numeric"
              value={text}
              placeholder="none"
              aria-invalid={invalid}
              aria-describedby={`${inputId}-hint`}
              onChange={(e) => setText(e.target.value)}
              autoFocus
            />
            <p id={`${inputId}-hint`} className="text-xs text-muted-foreground">
              {invalid
                ? `Enter a whole number from 1 to ${MAX}, or leave it empty.`
                : 'Fill first uses #1 until it is limited, then #2, … Empty: after the numbered accounts, oldest first.'}
            </p>
          </div>
          <div className="flex justify-end gap-2">
            <Button
              type="button"
              variant="ghost"
              size="sm"
              disabled={save.isPending || position === null}
              onClick={() => save.mutate(null)}
            >
              Clear
            </Button>
            <Button type="submit" size="sm" disabled={save.isPending}>
              Save
            </Button>
          </div>
        </form>
      </PopoverContent>
    </Popover>
  )
}
