import { asRecord } from '../../lib/json.js'
import { parsePlans } from './model-plans.js'

/** A model as the registry keeps it: the upstream entry, minus prompts we never serve. */
export interface ModelInfo {
  id: string
  displayName: string
  supportedInApi: boolean
  /** Plans that can use it (`available_in_plans`); null: every plan. */
  plans: readonly string[] | null
  /** The upstream entry (snake_case), for the Codex CLI which reads it as is. */
  raw: Record<string, unknown>
}

const STRIPPED = ['base_instructions', 'model_messages']

/** Parses `{models:[...]}` from `/codex/models`; throws when the shape is not that. */
export function parseModels(body: unknown): ModelInfo[] {
  const list = asRecord(body)?.['models']
  if (!Array.isArray(list)) throw new Error('models response has no `models` array')
  const out: ModelInfo[] = []
  for (const entry of list) {
    const m = asRecord(entry)
    const slug = m?.['slug']
    if (!m || typeof slug !== 'string' || !slug) continue
    const raw = Object.fromEntries(Object.entries(m).filter(([k]) => !STRIPPED.includes(k)))
    out.push({
      id: slug,
      displayName: typeof m['display_name'] === 'string' ? m['display_name'] : slug,
      supportedInApi: m['supported_in_api'] !== false,
      plans: parsePlans(m['available_in_plans']),
      raw,
    })
  }
  return out
}

const METADATA_KEYS = [
  'display_name',
  'description',
  'context_window',
  'input_modalities',
  'supported_reasoning_levels',
  'default_reasoning_level',
  'supports_reasoning_summaries',
  'support_verbosity',
  'default_verbosity',
  'prefer_websockets',
  'supports_parallel_tool_calls',
  'supported_in_api',
  'minimal_client_version',
  'priority',
]

/** OpenAI `models.list()` entry (reference §1.6). */
export function toOpenAiModel(m: ModelInfo, created: number) {
  const metadata = Object.fromEntries(
    METADATA_KEYS.filter((k) => m.raw[k] !== undefined).map((k) => [k, m.raw[k]]),
  )
  return { id: m.id, object: 'model', created, owned_by: 'codex-lb', metadata }
}

const levels = [
  { effort: 'low', description: 'Fast responses with lighter reasoning' },
  { effort: 'medium', description: 'Balances speed and reasoning depth' },
  { effort: 'high', description: 'Greater reasoning depth for complex problems' },
]

function boot(slug: string, display: string, priority: number): ModelInfo {
  return {
    id: slug,
    displayName: display,
    supportedInApi: true,
    plans: null,
    raw: {
      slug,
      display_name: display,
      context_window: 272000,
      input_modalities: ['text', 'image'],
      supported_reasoning_levels: levels,
      default_reasoning_level: 'medium',
      supports_parallel_tool_calls: true,
      supported_in_api: true,
      priority,
    },
  }
}

/** Served until the first successful fetch, so clients can list models on a cold or offline start. */
export const BOOTSTRAP_MODELS: readonly ModelInfo[] = [
  boot('gpt-5.5', 'GPT-5.5', 1),
  boot('gpt-5.2-codex', 'GPT-5.2 Codex', 2),
  boot('gpt-5.1-codex-max', 'GPT-5.1 Codex Max', 3),
  boot('gpt-5.1-codex-mini', 'GPT-5.1 Codex Mini', 4),
  boot('gpt-5.2', 'GPT-5.2', 5),
]
