function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * Far deeper than any dashboard body. Past it values are left as they are (the schemas refuse them):
 * JSON.parse takes bodies nested 100,000 deep, which would overflow the stack here.
 */
const MAX_DEPTH = 64

/**
 * Dashboard request bodies accept snake_case as well as camelCase (the original's clients send both).
 * Keys are renamed recursively; when both spellings are present, the camelCase one wins.
 */
export function camelizeKeys(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value
  if (Array.isArray(value)) return value.map((inner) => camelizeKeys(inner, depth + 1))
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    if (key === '__proto__') continue
    const camel = snakeToCamel(key)
    if (camel !== key && Object.hasOwn(value, camel)) continue
    out[camel] = camelizeKeys(inner, depth + 1)
  }
  return out
}
