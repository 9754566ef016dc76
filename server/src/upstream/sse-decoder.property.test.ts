import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzParams } from '../../test/support/fuzz.js'
import { SseDecoder, SseEventTooLargeError, type SseEvent } from './sse-decoder.js'
import { SseFramer } from './sse-framer.js'

const enc = new TextEncoder()

// A stream is a list of blocks, each a list of lines; rendering adds line endings and the blank
// line that ends each block. The model (`expected`) reads the lines, never the bytes.
type Line =
  | { kind: 'data'; value: string; bare: boolean }
  | { kind: 'event'; value: string }
  | { kind: 'comment'; text: string }
  | { kind: 'other'; name: string; value: string }
type Ending = '\n' | '\r\n' | '\r'
interface Stream {
  blocks: Line[][]
  /** The last block has no blank line after it; `bareTail` also drops its last line's ending. */
  openTail: boolean
  bareTail: boolean
}

const text = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 6 }),
    fc.json({ maxDepth: 1 }),
  )
  .map((s) => s.replace(/[\r\n]/g, ''))
const value = fc.tuple(fc.boolean(), text).map(([space, v]) => (space ? ` ${v}` : v))
const line: fc.Arbitrary<Line> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('data'), value, bare: fc.boolean() }) },
  fc.record({ kind: fc.constant('event'), value }),
  fc.record({ kind: fc.constant('comment'), text }),
  fc.record({
    kind: fc.constant('other'),
    name: fc.constantFrom('id', 'retry', 'Data', 'EVENT', 'x-y'),
    value,
  }),
)
const stream: fc.Arbitrary<Stream> = fc.record({
  blocks: fc.array(fc.array(line, { maxLength: 4 }), { maxLength: 6 }),
  openTail: fc.boolean(),
  bareTail: fc.boolean(),
})
const ending = fc.constantFrom<Ending>('\n', '\r\n', '\r')

function renderLine(l: Line): string {
  if (l.kind === 'data') return l.bare && l.value === '' ? 'data' : `data:${l.value}`
  if (l.kind === 'event') return `event:${l.value}`
  if (l.kind === 'comment') return `:${l.text}`
  return `${l.name}:${l.value}`
}

/** Renders with one ending per line, taken in turn from `endings` (cycled). */
function render(s: Stream, endings: Ending[]): string {
  let out = ''
  let n = 0
  let prev: Ending | undefined
  s.blocks.forEach((block, b) => {
    const last = b === s.blocks.length - 1
    const lines = block.map(renderLine)
    if (!(last && s.openTail)) lines.push('')
    lines.forEach((l, i) => {
      if (last && s.bareTail && i === lines.length - 1 && l !== '') return void (out += l)
      let end = endings[n++ % endings.length]!
      // "\r" then a blank "\n" line would read as one CRLF: the blank line ends in "\r\n" instead.
      if (prev === '\r' && l === '' && end === '\n') end = '\r\n'
      out += l + end
      prev = end
    })
  })
  return out
}

function fieldValue(v: string): string {
  return v.startsWith(' ') ? v.slice(1) : v
}

function expected(s: Stream): Array<{ event?: string; data: string }> {
  const out: Array<{ event?: string; data: string }> = []
  for (const block of s.blocks) {
    let event: string | undefined
    const data: string[] = []
    for (const l of block) {
      if (l.kind === 'data') data.push(fieldValue(l.value))
      if (l.kind === 'event') event = fieldValue(l.value)
    }
    if (data.length > 0)
      out.push(event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') })
  }
  return out
}

/** Cut positions: random ones, optionally after every CR (tearing CRLF) or every byte. */
const cuts = fc.record({
  at: fc.array(fc.nat(), { maxLength: 8 }),
  afterCr: fc.boolean(),
  everyByte: fc.boolean(),
})

function split(bytes: Uint8Array, c: { at: number[]; afterCr: boolean; everyByte: boolean }) {
  const pos = new Set(c.at.map((p) => p % (bytes.length + 1)))
  bytes.forEach((b, i) => {
    if (c.everyByte || (c.afterCr && b === 0x0d)) pos.add(i + 1)
  })
  const sorted = [0, ...[...pos].sort((a, b) => a - b), bytes.length]
  return sorted.slice(1).map((end, i) => bytes.subarray(sorted[i], end))
}

interface Outcome {
  events: SseEvent[]
  tooLarge: boolean
}

/** Decodes chunk by chunk; only the decoder's own error may escape a push or end. */
function decode(chunks: Uint8Array[], maxEventBytes?: number): Outcome {
  const decoder = new SseDecoder(maxEventBytes === undefined ? {} : { maxEventBytes })
  const events: SseEvent[] = []
  try {
    for (const c of chunks) events.push(...decoder.push(c))
    events.push(...decoder.end())
    return { events, tooLarge: false }
  } catch (err) {
    if (!(err instanceof SseEventTooLargeError)) throw err
    return { events: [...events, ...err.events], tooLarge: true }
  }
}

/**
 * The spec's algorithm over the whole input at once: split at CRLF, CR or LF, decode each line on
 * its own, dispatch at blank lines and at the end. Sizes run from the previous event's end.
 */
function reference(bytes: Uint8Array): SseEvent[] {
  const out: SseEvent[] = []
  let data: string[] = []
  let event: string | undefined
  let since = 0
  const dispatch = () => {
    if (data.length > 0) {
      out.push({ ...(event === undefined ? {} : { event }), data: data.join('\n'), size: since })
      since = 0
    }
    data = []
    event = undefined
  }
  const lines = /([^\r\n]*)(\r\n|\r|\n|$)/gy
  const latin1 = Buffer.from(bytes).toString('latin1')
  for (let m = lines.exec(latin1), first = true; m && m[0] !== ''; m = lines.exec(latin1)) {
    since += m[0].length
    if (m[1] === '') {
      dispatch()
      first = false
      continue
    }
    let line = new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.from(m[1]!, 'latin1'))
    if (first && line.startsWith('\ufeff')) line = line.slice(1)
    first = false
    if (line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const name = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : fieldValue(line.slice(colon + 1))
    if (name === 'data') data.push(value)
    if (name === 'event') event = value
  }
  dispatch()
  return out
}

const strip = (events: SseEvent[]) => events.map(({ size: _size, ...rest }) => rest)

describe('SseDecoder properties', () => {
  it('decodes a valid stream to the modelled events, whatever the chunking or line endings', () => {
    const prop = fc.property(
      stream,
      fc.array(ending, { minLength: 1, maxLength: 5 }),
      cuts,
      (s, ends, c) => {
        const bytes = enc.encode(render(s, ends))
        const whole = decode([bytes])
        expect(strip(whole.events)).toEqual(expected(s))
        expect(whole.events).toEqual(reference(bytes))
        expect(decode(split(bytes, c))).toEqual(whole)
        // Sizes cover every byte up to the last event's end.
        const sized = whole.events.reduce((n, e) => n + e.size, 0)
        expect(sized).toBeLessThanOrEqual(bytes.length)
      },
    )
    fc.assert(prop, fuzzParams(200))
  })

  it('gives the same events for LF, CRLF and CR line endings', () => {
    const prop = fc.property(stream, (s) => {
      const [lf, crlf, cr] = (['\n', '\r\n', '\r'] as const).map((e) =>
        strip(decode([enc.encode(render(s, [e]))]).events),
      )
      expect(crlf).toEqual(lf)
      expect(cr).toEqual(lf)
    })
    fc.assert(prop, fuzzParams(200))
  })

  // Tokens the decoder branches on (field names, endings, a BOM, torn and whole UTF-8), and any byte.
  const tokens = ['data:', 'event:', 'data', ':', ' ', '\r', '\n', '\r\n', '\ufeff', '\u{1f600}']
  const hostile = fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...tokens.map((t) => enc.encode(t))) },
        fc
          .constantFrom([0xf0, 0x9f], [0x98, 0x80], [0xef, 0xbb], [0xc3])
          .map((b) => Uint8Array.from(b)),
        fc.uint8Array({ minLength: 1, maxLength: 4 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])))

  it('never throws anything but SseEventTooLargeError on arbitrary bytes, and splits change nothing', () => {
    const limit = fc.option(fc.integer({ min: 0, max: 64 }), { nil: undefined })
    const prop = fc.property(hostile, limit, cuts, (bytes, max, c) => {
      const whole = decode([bytes], max)
      expect(decode(split(bytes, c), max)).toEqual(whole)
      // Past the limit, the events completed before it are a prefix of the unlimited decoding.
      const ref = reference(bytes)
      expect(whole.events).toEqual(whole.tooLarge ? ref.slice(0, whole.events.length) : ref)
      if (!whole.tooLarge)
        expect(whole.events.reduce((n, e) => n + e.size, 0)).toBeLessThanOrEqual(bytes.length)
    })
    fc.assert(prop, fuzzParams(300))
  })
})

describe('SseFramer properties', () => {
  it('forwards the same bytes and events for any chunking, never more than it received', () => {
    const prop = fc.property(
      stream,
      fc.array(ending, { minLength: 1, maxLength: 3 }),
      cuts,
      (s, ends, c) => {
        const bytes = Buffer.from(render(s, ends))
        const run = (chunks: Uint8Array[]) => {
          const framer = new SseFramer(1 << 20)
          const out: Buffer[] = []
          const events: SseEvent[] = []
          for (const f of [...chunks.map((ch) => framer.push(ch)), framer.end()]) {
            expect(f.overflow).toBeUndefined()
            if (f.bytes) out.push(Buffer.from(f.bytes))
            events.push(...f.events)
          }
          return { bytes: Buffer.concat(out), events }
        }
        const whole = run([bytes])
        expect(strip(whole.events)).toEqual(expected(s))
        const parts = run(split(bytes, c))
        expect(parts.events).toEqual(whole.events)
        expect(parts.bytes.equals(whole.bytes)).toBe(true)
        // What goes out is the input unchanged, plus at most the "\n\n" that ends a torn last event.
        const sent = whole.bytes.subarray(0, Math.min(whole.bytes.length, bytes.length))
        expect(sent.equals(bytes.subarray(0, sent.length))).toBe(true)
        expect(whole.bytes.length).toBeLessThanOrEqual(bytes.length + 2)
      },
    )
    fc.assert(prop, fuzzParams(100))
  })
})
