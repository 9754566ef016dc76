import fc from 'fast-check'

/**
 * Values a hostile or broken client can put anywhere in a JSON body, for unit-level property tests:
 * every JSON type, huge and odd strings, and nesting deep enough to overflow a naive recursion
 * (JSON.parse takes 100k levels; JSON.stringify and recursive walkers do not).
 */

const DEPTH = 20_000

/** Named for fast-check's reports, which would otherwise print (or overflow on) the whole value. */
function described<T extends object>(value: T, text: string): T {
  return Object.assign(value, { [fc.toStringMethod]: () => text })
}

function deepArray(depth: number): unknown {
  let v: unknown[] = []
  for (let i = 0; i < depth; i++) v = [v]
  return described(v, `[…${depth} deep…]`)
}

function deepObject(depth: number, key: string): unknown {
  let v: object = {}
  for (let i = 0; i < depth; i++) v = { [key]: v }
  return described(v, `{${key}:…${depth} deep…}`)
}

/** Built once: deep values and a megabyte string cost too much to generate per case. */
const BIG = [
  deepArray(DEPTH),
  deepObject(DEPTH, 'items'),
  deepObject(DEPTH, 'a'),
  { properties: { a: deepObject(DEPTH, 'not') } },
  { anyOf: [deepObject(DEPTH, 'additionalProperties')] },
  'x'.repeat(1 << 20),
  // A huge key: anything that names the path of a bad value would quote it.
  described({ ['k'.repeat(1 << 16)]: 5 }, '{k…64 kB…: 5}'),
  '\u00e9\u{1F600}\u0000\u202e\ud800'.repeat(1 << 14),
]

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, '', ' ', '\u0000'),
  fc.constantFrom([], {}, [null], { type: 'function' }, { type: null }, ['text']),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'NaN', 'data:', 'text', 'function'),
  // Own `__proto__` keys, as JSON.parse makes them.
  fc.constant(JSON.parse('{"__proto__":{"polluted":1},"type":"text"}') as unknown),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...BIG),
)

/** Paths to every node of a JSON value, the root (`[]`) first. */
export function pathsOf(
  value: unknown,
  at: Array<string | number> = [],
): Array<Array<string | number>> {
  const out = [at]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])))
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]))
  }
  return out
}

/** A copy of `value` with the node at `path` replaced (the root when `path` is empty). */
export function replaceAt(
  value: unknown,
  path: ReadonlyArray<string | number>,
  next: unknown,
): unknown {
  if (path.length === 0) return next
  const [head, ...rest] = path as [string | number, ...Array<string | number>]
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >
  // defineProperty, not assignment: a `__proto__` key stays an own property, as JSON.parse makes it.
  Object.defineProperty(copy, head, {
    value: replaceAt(copy[head], rest, next),
    enumerable: true,
    writable: true,
    configurable: true,
  })
  return copy
}

/** A valid value from `valid` with one node (or the whole) replaced by a hostile one. */
export function corrupted<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), hostileValue).map(([v, pick, bad]) => {
    const paths = pathsOf(v)
    return replaceAt(v, paths[pick % paths.length]!, bad)
  })
}
