/** Narrowing helpers for JSON from the outside (upstream bodies, SSE payloads, uploaded files). */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** The value as an object, or undefined. */
export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return isRecord(v) ? v : undefined
}

/** A finite number, also from a numeric string (upstreams send both); else undefined. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return undefined
}

/** A whole token count: truncated finite numbers, 0 for anything else. */
export function toCount(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0
}

/**
 * True when `value` nests objects or arrays more than `limit` levels. Iterative, so any depth is
 * safe: JSON.parse takes 100,000 levels, while JSON.stringify and recursive walkers overflow the
 * stack at a few thousand.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top
    if (v === null || typeof v !== 'object') continue
    if (depth > limit) return true
    for (const child of Object.values(v)) stack.push([child, depth + 1])
  }
  return false
}
