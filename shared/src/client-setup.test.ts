import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { codexConfigToml, openAiSdkSnippet } from './client-setup.js'

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const DEFAULT = { origin: 'http://127.0.0.1:2455', apiKeyRequired: false }

/** The first fenced block of `lang` after `heading` in README.md. */
function readmeBlock(heading: string, lang: string): string {
  const section = README.indexOf(`\n${heading}\n`)
  expect(section, `README.md has no "${heading}"`).toBeGreaterThan(-1)
  const open = README.indexOf(`\`\`\`${lang}\n`, section)
  const start = open + lang.length + 4
  return README.slice(start, README.indexOf('\n```', start))
}

describe('README "Client setup" is what the dashboard renders for the default address', () => {
  it('the Codex CLI config.toml', () => {
    expect(readmeBlock('### Codex CLI', 'toml')).toBe(codexConfigToml(DEFAULT))
  })

  it('the OpenAI SDK snippet', () => {
    expect(readmeBlock('### OpenAI SDK (and OpenCode, LangChain, the `ai` SDK…)', 'ts')).toBe(
      openAiSdkSnippet(DEFAULT),
    )
  })

  it('the key-required lines README tells the reader to use are the rendered ones', () => {
    const toml = codexConfigToml({ ...DEFAULT, apiKeyRequired: true })
    expect(toml.split('\n').at(-1)).toMatch(/^env_key = "CODEX_LB_API_KEY" +# /)
    expect(README).toMatch(/replace the last line with\s+`env_key = "CODEX_LB_API_KEY"`/)
    expect(openAiSdkSnippet({ ...DEFAULT, apiKeyRequired: true })).toContain(
      '  apiKey: process.env.CODEX_LB_API_KEY,',
    )
    expect(README).toMatch(/pass\s+`apiKey: process.env.CODEX_LB_API_KEY`\s+instead/)
  })
})

describe('codexConfigToml', () => {
  it('points Codex at the origin and asks for a key only when keys are required', () => {
    const open = codexConfigToml({ origin: 'https://lb.example:8443', apiKeyRequired: false })
    expect(open).toContain('base_url = "https://lb.example:8443/backend-api/codex"')
    expect(open).toContain('requires_openai_auth = true')
    expect(open).not.toContain('env_key')

    const keyed = codexConfigToml({ origin: 'https://lb.example:8443', apiKeyRequired: true })
    expect(keyed).toContain('env_key = "CODEX_LB_API_KEY"')
    expect(keyed).not.toContain('requires_openai_auth')
  })
})
