import type { RoutingStrategy } from '@codex-lb/shared'
import { useQuery } from '@tanstack/react-query'
import { settingsQuery, useUpdateSettings } from '../queries'
import { ROUTING_STRATEGY_OPTIONS } from '../routing-strategies'

/** The routing strategy, as radio options that each say what they do. Saved on change. */
export function RoutingStrategyField() {
  const settings = useQuery(settingsQuery())
  const update = useUpdateSettings()
  if (!settings.data) return null
  // The choice being saved shows at once (a controlled radio would otherwise snap back until the
  // save lands); a server that predates strategies routes by most remaining quota.
  const pending = update.isPending ? update.variables?.routingStrategy : undefined
  const current: RoutingStrategy = pending ?? settings.data.routingStrategy ?? 'most_remaining'
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
              onChange={() => update.mutate({ routingStrategy: name })}
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
