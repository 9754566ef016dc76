import { readFileSync } from 'node:fs'

/** Reads KEY=VALUE lines of an optional env file (`.env.local`); a missing file yields {}. */
export function readEnvFile(path: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return {}
  }
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!m) continue
    let value = m[2]!
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1)
    out[m[1]!] = value
  }
  return out
}
