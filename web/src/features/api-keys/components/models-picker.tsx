import { Checkbox } from '@/components/ui/checkbox'
import { Input } from '@/components/ui/input'
import { useState } from 'react'

/** Empty selection means "all models", as on the server. */
export function ModelsPicker({
  models,
  selected,
  onChange,
  unavailable,
}: {
  models: { id: string; name: string }[]
  selected: string[]
  onChange(selected: string[]): void
  unavailable?: boolean
}) {
  const [filter, setFilter] = useState('')
  // Keep models the key already allows even if the registry no longer lists them.
  const all = [
    ...models,
    ...selected.filter((id) => !models.some((m) => m.id === id)).map((id) => ({ id, name: id })),
  ]
  const visible = all.filter((m) =>
    `${m.id} ${m.name}`.toLowerCase().includes(filter.trim().toLowerCase()),
  )
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...selected, id] : selected.filter((x) => x !== id))

  if (all.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        {unavailable
          ? 'The model list is unavailable; the key will allow all models.'
          : 'No models known yet; the key will allow all models.'}
      </p>
    )
  }
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between gap-2 text-xs text-muted-foreground">
        <span>{selected.length === 0 ? 'All models allowed' : `${selected.length} selected`}</span>
        {selected.length > 0 ? (
          <button
            type="button"
            className="underline underline-offset-4"
            onClick={() => onChange([])}
          >
            Allow all
          </button>
        ) : null}
      </div>
      {all.length > 8 ? (
        <Input
          placeholder="Filter models"
          aria-label="Filter models"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className="h-8"
        />
      ) : null}
      <div className="max-h-40 space-y-0.5 overflow-y-auto rounded-md border p-1">
        {visible.map((m) => {
          const id = `model-${m.id}`
          return (
            <label
              key={m.id}
              htmlFor={id}
              className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-sm hover:bg-muted/60"
            >
              <Checkbox
                id={id}
                aria-label={m.name}
                checked={selected.includes(m.id)}
                onCheckedChange={(v) => toggle(m.id, v === true)}
              />
              <span className="truncate">{m.name}</span>
              {m.name !== m.id ? (
                <span className="ml-auto truncate font-mono text-xs text-muted-foreground">
                  {m.id}
                </span>
              ) : null}
            </label>
          )
        })}
      </div>
    </div>
  )
}
