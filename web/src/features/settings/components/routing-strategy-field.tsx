import type { RoutingStrategy } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { settingsQuery, useUpdateSettings } from '../queries'
import { ROUTING_STRATEGY_OPTIONS } from '../routing-strategies'

/** The routing strategy, as radio options that each say what they do. Saved on change. */
export function RoutingStrategyField() {
  const settings = useQuery(settingsQuery())
  const update = useUpdateSettings()
  // The choice being saved shows at once, in the same render as the click (a controlled radio
  // would otherwise snap back until the save lands); a failed save shows the stored one again.
  const [chosen, setChosen] = useState<RoutingStrategy>()
  if (!settings.data) return null
  // A server that predates strategies routes by most remaining quota.
  const current: RoutingStrategy = chosen ?? settings.data.routingStrategy ?? 'most_remaining'
  const choose = (name: RoutingStrategy) => {
    setChosen(name)
    update.mutate({ routingStrategy: name }, { onSettled: () => setChosen(undefined) })
  }
  return (
    <fieldset className="space-y-2 py-3 first:pt-0 last:pb-0" disabled={update.isPending}>
      <legend className="text-sm font-medium">Routing strategy</legend>
      <p className="text-sm text-muted-foreground">
        Which usable account takes a new request. Sticky threads keep a conversation on its account
        whatever the strategy.
      </p>
      <div className="grid gap-2 pt-1">
        {ROUTING_STRATEGY_OPTIONS.map(({ name, title, sentence }) => (
          <label
            key={name}
            className="flex cursor-pointer items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary has-[:checked]:bg-accent/40"
          >
            <input
              type="radio"
              name="routing-strategy"
              value={name}
              checked={current === name}
              onChange={() => choose(name)}
              aria-labelledby={`routing-strategy-${name}`}
              aria-describedby={`routing-strategy-${name}-hint`}
              className="mt-0.5 size-4 accent-primary"
            />
            <span className="space-y-0.5">
              <span id={`routing-strategy-${name}`} className="block text-sm font-medium">
                {title}
              </span>
              <span
                id={`routing-strategy-${name}-hint`}
                className="block text-sm text-muted-foreground"
              >
                {sentence}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}
