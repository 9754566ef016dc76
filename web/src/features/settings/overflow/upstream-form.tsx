import type { OverflowUpstream, OverflowUpstreamInput } from '@codex-lb/shared'
import { useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/api-client'
import { modelLines, parseModelLines, useSaveOverflowUpstream } from './api'

const price = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v))
const priceValue = (text: string) => (text.trim() === '' ? null : Number(text))

function Field({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
    </div>
  )
}

/**
 * Add or edit one overflow upstream. The key is write-only: editing leaves it blank, and a blank
 * key keeps the stored one. The server checks the URL and key and names a bad field (422).
 */
export function UpstreamForm({
  upstream,
  onDone,
}: {
  upstream?: OverflowUpstream
  onDone(): void
}) {
  const save = useSaveOverflowUpstream()
  const [name, setName] = useState(upstream?.name ?? '')
  const [baseUrl, setBaseUrl] = useState(upstream?.baseUrl ?? 'https://api.openai.com/v1')
  const [apiKey, setApiKey] = useState('')
  const [models, setModels] = useState(modelLines(upstream?.models ?? []))
  const [input, setInput] = useState(price(upstream?.inputPrice))
  const [cached, setCached] = useState(price(upstream?.cachedInputPrice))
  const [output, setOutput] = useState(price(upstream?.outputPrice))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const body: OverflowUpstreamInput = {
      name,
      baseUrl,
      models: parseModelLines(models),
      inputPrice: priceValue(input),
      cachedInputPrice: priceValue(cached),
      outputPrice: priceValue(output),
      ...(apiKey.trim() !== '' ? { apiKey } : {}),
    }
    save.mutate({ ...(upstream ? { id: upstream.id } : {}), input: body }, { onSuccess: onDone })
  }

  const prefix = upstream ? 'overflow-edit' : 'overflow-new'
  return (
    <form
      onSubmit={submit}
      aria-label={upstream ? `Edit ${upstream.name}` : 'New overflow upstream'}
      className="space-y-3 rounded-md border p-3"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`${prefix}-name`} label="Name">
          <Input id={`${prefix}-name`} value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field id={`${prefix}-url`} label="Base URL">
          <Input
            id={`${prefix}-url`}
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
          />
        </Field>
      </div>
      <Field id={`${prefix}-key`} label="API key">
        <Input
          id={`${prefix}-key`}
          type="password"
          autoComplete="off"
          placeholder={upstream ? `${upstream.apiKeyPrefix} (leave blank to keep)` : 'sk-…'}
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
        />
      </Field>
      <Field id={`${prefix}-models`} label="Models (one per line; model -> name there)">
        <Textarea
          id={`${prefix}-models`}
          rows={3}
          placeholder="Empty: every model. e.g. gpt-5.5 -> gpt-5.1"
          value={models}
          onChange={(e) => setModels(e.target.value)}
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        {(
          [
            ['input', 'Input $/1M', input, setInput],
            ['cached', 'Cached input $/1M', cached, setCached],
            ['output', 'Output $/1M', output, setOutput],
          ] as const
        ).map(([key, label, value, set]) => (
          <Field key={key} id={`${prefix}-${key}`} label={label}>
            <Input
              id={`${prefix}-${key}`}
              inputMode="decimal"
              placeholder="built-in"
              value={value}
              onChange={(e) => set(e.target.value)}
            />
          </Field>
        ))}
      </div>
      {save.isError ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(save.error)}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending}>
          {upstream ? 'Save' : 'Add upstream'}
        </Button>
      </div>
    </form>
  )
}
