import { isRecord } from '../../lib/json.js'

/** A model an overflow upstream serves, optionally under another name there (`gpt-5.5` → `gpt-5.1`). */
export interface OverflowModelRoute {
  model: string
  /** The name sent upstream; null sends the requested name. */
  upstreamModel: string | null
}

/** USD per million tokens; a null part falls back to the built-in price of the model. */
export interface OverflowPrices {
  input: number | null
  cachedInput: number | null
  output: number | null
}

/** An overflow upstream as the dashboard sees it: never the key, only its first characters. */
export interface OverflowUpstream {
  id: string
  name: string
  baseUrl: string
  apiKeyPrefix: string
  /** Empty: every model, under its own name. */
  models: OverflowModelRoute[]
  prices: OverflowPrices
  /** `env`: from CODEX_LB_OVERFLOW_BASE_URL/API_KEY, read-only in the dashboard. */
  source: 'dashboard' | 'env'
  createdAt: number
  updatedAt: number
}

/** Enough of the key to tell two apart in a list, far too little to use it. */
export function keyPrefix(key: string): string {
  return key.slice(0, Math.min(10, Math.floor(key.length / 3)))
}

export function parseModels(json: string): OverflowModelRoute[] {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(raw)) return []
  return raw.flatMap((r) =>
    isRecord(r) && typeof r['model'] === 'string'
      ? [
          {
            model: r['model'],
            upstreamModel: typeof r['upstreamModel'] === 'string' ? r['upstreamModel'] : null,
          },
        ]
      : [],
  )
}

/**
 * How an upstream serves `model`: `named` when its list has it (with the name to send), `any` when
 * its list is empty (every model, same name), undefined when it does not serve the model.
 */
export function routeFor(
  upstream: Pick<OverflowUpstream, 'models'>,
  model: string,
): { match: 'named' | 'any'; upstreamModel: string } | undefined {
  if (upstream.models.length === 0) return { match: 'any', upstreamModel: model }
  const wanted = model.toLowerCase()
  const hit = upstream.models.find((m) => m.model.toLowerCase() === wanted)
  return hit ? { match: 'named', upstreamModel: hit.upstreamModel ?? model } : undefined
}
