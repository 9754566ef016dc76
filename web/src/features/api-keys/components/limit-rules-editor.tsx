import { LIMIT_TYPES, LIMIT_WINDOWS } from '@codex-lb/shared'
import { Plus, Trash2 } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { LIMIT_TYPE_LABELS, LIMIT_WINDOW_LABELS, newDraft, type LimitDraft } from '../limits'

export function LimitRulesEditor({
  drafts,
  onChange,
  models,
}: {
  drafts: LimitDraft[]
  onChange(drafts: LimitDraft[]): void
  models: { id: string; name: string }[]
}) {
  const update = (key: string, patch: Partial<LimitDraft>) =>
    onChange(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)))
  return (
    <div className="space-y-2">
      {drafts.length === 0 ? (
        <p className="text-sm text-muted-foreground">No limits: the key can use the pool freely.</p>
      ) : null}
      {drafts.map((d, index) => (
        <div
          key={d.key}
          className="grid grid-cols-2 gap-2 rounded-lg border bg-muted/30 p-2 sm:grid-cols-[1.2fr_1fr_1fr_1.2fr_auto]"
          data-testid="limit-rule"
        >
          <NativeSelect
            aria-label={`Rule ${index + 1} type`}
            value={d.limitType}
            onChange={(e) =>
              update(d.key, { limitType: e.target.value as LimitDraft['limitType'] })
            }
          >
            {LIMIT_TYPES.map((t) => (
              <option key={t} value={t}>
                {LIMIT_TYPE_LABELS[t]}
              </option>
            ))}
          </NativeSelect>
          <NativeSelect
            aria-label={`Rule ${index + 1} window`}
            value={d.limitWindow}
            onChange={(e) =>
              update(d.key, { limitWindow: e.target.value as LimitDraft['limitWindow'] })
            }
          >
            {LIMIT_WINDOWS.map((w) => (
              <option key={w} value={w}>
                {LIMIT_WINDOW_LABELS[w]}
              </option>
            ))}
          </NativeSelect>
          <Input
            aria-label={`Rule ${index + 1} maximum`}
            type="number"
            min={0}
            // "any": browser step validation would block submit on values like 5 with min 0.01.
            step="any"
            placeholder={d.limitType === 'cost_usd' ? 'Max USD' : 'Max tokens'}
            value={d.max}
            onChange={(e) => update(d.key, { max: e.target.value })}
          />
          <NativeSelect
            aria-label={`Rule ${index + 1} model`}
            value={d.modelFilter}
            onChange={(e) => update(d.key, { modelFilter: e.target.value })}
          >
            <option value="">All models</option>
            {d.modelFilter && !models.some((m) => m.id === d.modelFilter) ? (
              <option value={d.modelFilter}>{d.modelFilter}</option>
            ) : null}
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </NativeSelect>
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Remove rule ${index + 1}`}
            onClick={() => onChange(drafts.filter((x) => x.key !== d.key))}
          >
            <Trash2 />
          </Button>
        </div>
      ))}
      <div className="flex items-center justify-between gap-2">
        <Button variant="outline" size="sm" onClick={() => onChange([...drafts, newDraft()])}>
          <Plus /> Add limit
        </Button>
        {drafts.length > 1 ? (
          <span className="text-xs text-muted-foreground">All limits apply together.</span>
        ) : null}
      </div>
    </div>
  )
}
