/**
 * Client-setup snippets. The dashboard renders them for its own origin and settings, and README.md's
 * "Client setup" holds them rendered for the default address; a test keeps the two the same.
 */

export interface ClientSetupOptions {
  /** Where clients reach this server, without a trailing slash: `http://127.0.0.1:2455`. */
  origin: string
  /** The "Require API keys" setting: clients must then send an `sk-clb-…` key. */
  apiKeyRequired: boolean
}

export const API_KEY_ENV = 'CODEX_LB_API_KEY'

/** Pads `line` so trailing comments start in one column, as a person would write the file. */
function commented(line: string, comment: string): string {
  return `${line.padEnd(36)} # ${comment}`
}

/** `~/.codex/config.toml` for Codex CLI. */
export function codexConfigToml({ origin, apiKeyRequired }: ClientSetupOptions): string {
  return [
    'model_provider = "codex-lb"',
    '',
    '[model_providers.codex-lb]',
    // Codex enables remote /compact and its usage display only for a provider named "OpenAI".
    commented('name = "OpenAI"', '"OpenAI" keeps /compact and the usage display working'),
    `base_url = "${origin}/backend-api/codex"`,
    'wire_api = "responses"',
    apiKeyRequired
      ? commented(`env_key = "${API_KEY_ENV}"`, 'export an sk-clb-… key from API keys')
      : commented('requires_openai_auth = true', 'uses your `codex login`; no codex-lb key needed'),
  ].join('\n')
}

/** The OpenAI SDK (and anything built on it): base URL `/v1`. */
export function openAiSdkSnippet({ origin, apiKeyRequired }: ClientSetupOptions): string {
  return [
    "import OpenAI from 'openai'",
    '',
    'const client = new OpenAI({',
    `  baseURL: '${origin}/v1',`,
    apiKeyRequired
      ? `  apiKey: process.env.${API_KEY_ENV}, // an sk-clb-… key from API keys`
      : "  apiKey: 'unused', // the SDK wants one; codex-lb does not check it",
    '})',
    "const stream = await client.responses.create({ model: 'gpt-5.5', input: 'hello', stream: true })",
  ].join('\n')
}
