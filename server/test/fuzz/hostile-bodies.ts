import { gzipSync } from 'node:zlib'
import fc from 'fast-check'

/** A request body as bytes, printed by fast-check as its short description (not 1 MB of it). */
export interface Body {
  describe: string
  bytes: Buffer
  /** What the client says it is (undefined: no content-type header). */
  contentType: string | undefined
  contentEncoding?: string
}

function body(describe: string, bytes: Buffer | string, contentType?: string): Body {
  const value: Body = {
    describe,
    bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
    contentType,
  }
  return Object.assign(value, { [fc.toStringMethod]: () => `Body(${describe})` })
}

const MB = 1024 * 1024
const DEPTH = 10_000
/** Built once: fast-check would take seconds to generate strings this big. */
const HUGE_ASCII = 'a'.repeat(MB)
const HUGE_UNICODE = '\u00e9\u{1F600}\u0000\u202e'.repeat(MB / 8)
const DEEP_ARRAY = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`
const DEEP_OBJECT = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`
/** 40 MB of zeros in 40 kB: past the decompressed-body cap. */
const GZIP_BOMB = gzipSync(Buffer.alloc(40 * MB))

/** `sample` as the JSON body a client would send. */
export function sampleBody(sample: Record<string, unknown> | null): Body {
  return body(sample ? 'sample' : 'null', JSON.stringify(sample), 'application/json')
}

/**
 * One body of each heavy kind for a route whose valid body looks like `sample`: its first field
 * 10,000 levels deep, its first field a 1 MB string, and invalid UTF-8 inside a string.
 */
export function heavyBodies(sample: Record<string, unknown>): Body[] {
  const field = Object.keys(sample)[0] ?? 'input'
  const json = 'application/json'
  const text = JSON.stringify(sample)
  return [
    body(`${field}=<deep-array>`, withField(sample, field, DEEP_ARRAY), json),
    body(`${field}=<unicode>`, withField(sample, field, JSON.stringify(HUGE_UNICODE)), json),
    body(
      'utf8 fffe in a string',
      Buffer.concat([
        Buffer.from('{"x":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(`",${text.slice(1)}`),
      ]),
      json,
    ),
  ]
}

/** Values of every JSON type and a few that trip code expecting another one. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, '', ' ', '\u0000', [], {}),
  fc.constantFrom('NaN', '-0', '__proto__', '../../etc/passwd', '<script>x</script>', '%s%n'),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 2 ** 31, 2 ** 64),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 64 }),
)

/** Sample with `field` set to `valueJson` (JSON text), without re-encoding the rest. */
function withField(sample: Record<string, unknown>, field: string, valueJson: string): string {
  const rest = JSON.stringify({ ...sample, [field]: null })
  const key = JSON.stringify(field)
  return rest.replace(`${key}:null`, `${key}:${valueJson}`)
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every path to a value inside `value` (object keys and array indexes), the root excluded. */
function pathsOf(
  value: unknown,
  prefix: Array<string | number> = [],
): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return []
  const entries = Array.isArray(value)
    ? value.map((v, i) => [i, v] as const)
    : Object.entries(value)
  return entries.flatMap(([key, v]) => [[...prefix, key], ...pathsOf(v, [...prefix, key])])
}

/** A deep copy of `value` with the value at `path` replaced (or removed when `next` is undefined). */
function replaced(value: Json, path: Array<string | number>, next: unknown): Json {
  const copy = structuredClone(value) as Record<string | number, unknown>
  let parent = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = path.at(-1) as string | number
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(last as number, 1)
    else delete parent[last]
  } else parent[last] = next
  return copy as Json
}

/** The sample with one nested value given a wrong type, or removed: reaches past the top level. */
function nestedMutation(base: Record<string, unknown>): fc.Arbitrary<Body> | undefined {
  const paths = pathsOf(base)
  if (paths.length === 0) return undefined
  return fc
    .tuple(fc.constantFrom(...paths), fc.option(wrongValue, { freq: 6 }))
    .map(([path, value]) => {
      const next = value === null ? undefined : value
      const text = JSON.stringify(replaced(base as Json, path, next))
      return body(
        `${path.join('.')}=${JSON.stringify(next)?.slice(0, 60) ?? '<removed>'}`,
        text,
        'application/json',
      )
    })
}

/** The bodies to try against a route whose valid body looks like `sample` with `fields`. */
export function hostileBody(
  sample: Record<string, unknown> | undefined,
  extraFields: string[] = [],
): fc.Arbitrary<Body | undefined> {
  const base = sample ?? {}
  const fields = [...new Set([...Object.keys(base), ...extraFields, 'model', 'input'])]
  const field = fc.constantFrom(...fields)
  const json = 'application/json'
  const nested = nestedMutation(base)
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(body('sample', JSON.stringify(base), json)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc
        .jsonValue({ maxDepth: 4 })
        .map((v) => body(`json ${JSON.stringify(v).slice(0, 80)}`, JSON.stringify(v) ?? '', json)),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(field, wrongValue)
        .map(([f, v]) =>
          body(
            `${f}=${JSON.stringify(v)?.slice(0, 60)}`,
            JSON.stringify({ ...base, [f]: v }),
            json,
          ),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(field, fc.constantFrom('ascii', 'unicode', 'deep-array', 'deep-object'))
        .map(([f, kind]) => {
          const value =
            kind === 'ascii'
              ? JSON.stringify(HUGE_ASCII)
              : kind === 'unicode'
                ? JSON.stringify(HUGE_UNICODE)
                : kind === 'deep-array'
                  ? DEEP_ARRAY
                  : DEEP_OBJECT
          return body(`${f}=<${kind}>`, withField(base, f, value), json)
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('deep-array', 'deep-object', 'huge-string', 'wide-array', 'proto')
        .map((kind) =>
          body(
            kind,
            kind === 'deep-array'
              ? DEEP_ARRAY
              : kind === 'deep-object'
                ? DEEP_OBJECT
                : kind === 'huge-string'
                  ? JSON.stringify(HUGE_UNICODE)
                  : kind === 'wide-array'
                    ? `[${'0,'.repeat(200_000)}0]`
                    : `{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},${JSON.stringify(base).slice(1)}`,
            json,
          ),
        ),
    },
    { weight: 2, arbitrary: invalidBytes(base) },
    ...(nested ? [{ weight: 5, arbitrary: nested }] : []),
    { weight: 2, arbitrary: oddContentType(base) },
  )
}

/** Bytes that are not valid JSON or not valid UTF-8. */
function invalidBytes(base: Record<string, unknown>): fc.Arbitrary<Body> {
  const text = JSON.stringify(base)
  const json = 'application/json'
  return fc.oneof(
    fc
      .uint8Array({ maxLength: 256 })
      .map((b) => body(`bytes ${Buffer.from(b).toString('hex')}`, Buffer.from(b), json)),
    fc
      .constantFrom(
        Buffer.from([0xff, 0xfe, 0xfd]),
        Buffer.from([0xc3]),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from([0xf4, 0x90, 0x80, 0x80]),
        Buffer.from([0xc0, 0xaf]),
      )
      .map((bad) =>
        body(
          `utf8 ${bad.toString('hex')} in a string`,
          Buffer.concat([Buffer.from(`{"model":"`), bad, Buffer.from(`",${text.slice(1)}`)]),
          json,
        ),
      ),
    fc
      .constantFrom('"\\ud800"', '"\\udfff\\ud800"', '"\\u0000"', '"\\uFFFF"')
      .map((v) => body(`escape ${v}`, withField(base, 'input', v), json)),
    fc
      .nat({ max: Math.max(0, text.length - 1) })
      .map((n) => body(`cut at ${n}`, text.slice(0, n), json)),
  )
}

/** The sample under a content-type or content-encoding that does not match it. */
function oddContentType(base: Record<string, unknown>): fc.Arbitrary<Body> {
  const text = JSON.stringify(base)
  const types = fc.oneof(
    fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=fuzz',
      'multipart/form-data',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/octet-stream',
      'application/json, text/html',
      'Application/JSON',
      '*/*',
    ),
    fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
  )
  const withEncoding = fc
    .tuple(
      fc.constantFrom('gzip', 'br', 'zstd', 'deflate', 'x-gzip', 'gzip, br', 'bogus'),
      fc.boolean(),
    )
    .map(([encoding, real]) => {
      const bytes = real && encoding === 'gzip' ? gzipSync(text) : Buffer.from(text)
      const value = body(`${encoding} ${real ? 'encoded' : 'plain'}`, bytes, 'application/json')
      value.contentEncoding = encoding
      return value
    })
  return fc.oneof(
    types.map((type) => body(`sample as ${type}`, text, type)),
    withEncoding,
    fc.constant(null).map(() => ({
      ...body('gzip bomb', GZIP_BOMB, 'application/json'),
      contentEncoding: 'gzip',
    })),
  )
}

/** A multipart/form-data body with `content` in the part `name` (as a file or a plain field). */
function multipart(name: string, content: Buffer, asFile: boolean, shape: string): Body {
  const boundary = 'fuzzboundary'
  const file = asFile ? '; filename="auth.json"' : ''
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`
  const end = shape === 'unterminated' ? '' : `\r\n--${boundary}--\r\n`
  const type =
    shape === 'other boundary'
      ? 'multipart/form-data; boundary=other'
      : `multipart/form-data; boundary=${boundary}`
  const text = content.subarray(0, 40).toString('utf8')
  return body(
    `upload ${name}${asFile ? ' file' : ''} ${shape}: ${text}`,
    Buffer.concat([Buffer.from(head), content, Buffer.from(end)]),
    type,
  )
}

/** The auth.json `authJson` uploaded as the import form does it. */
export function uploadBody(field: string, authJson: Record<string, unknown>): Body {
  return multipart(field, Buffer.from(JSON.stringify(authJson)), true, 'ok')
}

/**
 * Uploads to `field`: the real auth.json, the same with a value changed or removed at any depth,
 * random JSON or bytes, past the 256 kB cap, deeply nested; as a file or a field, under another
 * part name, unterminated or under a boundary the body does not use.
 */
export function hostileUpload(
  field: string,
  authJson: Record<string, unknown>,
): fc.Arbitrary<Body> {
  const nested = nestedMutation(authJson)
  const content = fc.oneof(
    fc.constant(Buffer.from(JSON.stringify(authJson))),
    ...(nested ? [nested.map((b) => b.bytes), nested.map((b) => b.bytes)] : []),
    fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? '')),
    fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
    fc.constant(Buffer.from('a'.repeat(300_000))),
    fc.constant(Buffer.from(DEEP_OBJECT)),
  )
  return fc
    .tuple(
      content,
      fc.constantFrom(field, field, field, 'file', ''),
      fc.boolean(),
      fc.constantFrom('ok', 'ok', 'ok', 'unterminated', 'other boundary'),
    )
    .map(([bytes, name, asFile, shape]) => multipart(name, bytes, asFile, shape))
}
