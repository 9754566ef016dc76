import { describe, expect, it } from 'vitest'
import { SseDecoder, SseEventTooLargeError, parseJsonEvent, type SseEvent } from './sse-decoder.js'

const enc = new TextEncoder()

function decodeChunks(chunks: Uint8Array[], opts?: { maxEventBytes?: number }): SseEvent[] {
  const decoder = new SseDecoder(opts)
  const events = chunks.flatMap((c) => decoder.push(c))
  return [...events, ...decoder.end()]
}

function decode(text: string): SseEvent[] {
  return decodeChunks([enc.encode(text)])
}

function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size))
  return out
}

const SAMPLE =
  ': keep-alive\n\n' +
  'event: response.created\ndata: {"type":"response.created"}\n\n' +
  'event: response.output_text.delta\r\ndata: {"delta":"caf\u00e9 \ud83d\ude00"}\r\n\r\n' +
  'data: line one\rdata:line two\r\r' +
  'event: response.completed\ndata: {"type":"response.completed"}\n\n' +
  'data: [DONE]'

describe('SseDecoder', () => {
  it.each([
    ['LF', 'event: a\ndata: 1\n\n', [{ event: 'a', data: '1', size: 18 }]],
    ['CRLF', 'event: a\r\ndata: 1\r\n\r\n', [{ event: 'a', data: '1', size: 21 }]],
    ['CR', 'event: a\rdata: 1\r\r', [{ event: 'a', data: '1', size: 18 }]],
    ['mixed endings', 'data: a\r\ndata: b\rdata: c\n\r\n', [{ data: 'a\nb\nc', size: 27 }]],
    ['multi-line data', 'data: a\ndata: b\n\n', [{ data: 'a\nb', size: 17 }]],
    ['only one leading space stripped', 'data:  x\n\n', [{ data: ' x', size: 10 }]],
    ['no space after colon', 'data:x\n\n', [{ data: 'x', size: 8 }]],
    ['empty data', 'data\n\n', [{ data: '', size: 6 }]],
    ['comment lines', ': hi\ndata: 1\n: mid\n\n', [{ data: '1', size: 20 }]],
    [
      'comment-only block counts towards the next event',
      ': ping\n\ndata: 1\n\n',
      [{ data: '1', size: 17 }],
    ],
    ['event without data', 'event: a\n\ndata: 1\n\n', [{ data: '1', size: 19 }]],
    [
      'extra blank lines',
      'data: 1\n\n\n\ndata: 2\n\n',
      [
        { data: '1', size: 9 },
        { data: '2', size: 11 },
      ],
    ],
    [
      'last event field wins',
      'event: a\nevent: b\ndata: 1\n\n',
      [{ event: 'b', data: '1', size: 27 }],
    ],
    ['id and retry ignored', 'id: 7\nretry: 10\ndata: 1\n\n', [{ data: '1', size: 25 }]],
    [
      'unterminated trailing event',
      'data: 1\n\ndata: 2',
      [
        { data: '1', size: 9 },
        { data: '2', size: 7 },
      ],
    ],
    ['trailing event with one LF', 'data: 2\n', [{ data: '2', size: 8 }]],
    ['trailing CR', 'data: 2\r', [{ data: '2', size: 8 }]],
    ['leading BOM', '\ufeffdata: 1\n\n', [{ data: '1', size: 12 }]],
    ['nothing', '', []],
  ])('%s', (_name, input, expected) => {
    expect(decode(input)).toEqual(expected)
  })

  it('gives identical events for every split position of a sample stream', () => {
    const bytes = enc.encode(SAMPLE)
    const whole = decodeChunks([bytes])
    expect(whole.map((e) => e.event ?? e.data)).toEqual([
      'response.created',
      'response.output_text.delta',
      'line one\nline two',
      'response.completed',
      '[DONE]',
    ])
    expect(whole.reduce((n, e) => n + e.size, 0)).toBe(bytes.length)
    for (let i = 0; i <= bytes.length; i++) {
      expect(decodeChunks([bytes.subarray(0, i), bytes.subarray(i)]), `split at ${i}`).toEqual(
        whole,
      )
    }
    for (let i = 0; i < bytes.length; i++) {
      for (let j = i; j <= bytes.length; j += 7) {
        const chunks = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]
        expect(decodeChunks(chunks), `split at ${i},${j}`).toEqual(whole)
      }
    }
    expect(decodeChunks(splitEvery(bytes, 1))).toEqual(whole)
  })

  it('joins a CRLF split between \\r and \\n', () => {
    const decoder = new SseDecoder()
    expect(decoder.push(enc.encode('data: 1\r'))).toEqual([])
    expect(decoder.push(enc.encode('\n\r'))).toEqual([])
    expect(decoder.push(enc.encode('\ndata: 2\r\n\r'))).toEqual([{ data: '1', size: 11 }])
    expect(decoder.push(enc.encode('\n'))).toEqual([{ data: '2', size: 11 }])
    expect(decoder.end()).toEqual([])
  })

  it('ends a CR line on the next chunk even when no LF follows', () => {
    const decoder = new SseDecoder()
    expect(decoder.push(enc.encode('data: 1\r'))).toEqual([])
    expect(decoder.push(enc.encode('\r'))).toEqual([])
    expect(decoder.push(enc.encode('data: 2\n'))).toEqual([{ data: '1', size: 9 }])
  })

  it.each([
    ['é', '\u00e9'],
    ['😀', '\ud83d\ude00'],
    ['mixed', 'a\u00e9\u4e2d\ud83d\ude00z'],
  ])('keeps a UTF-8 character split across chunks intact (%s)', (_name, text) => {
    const bytes = enc.encode(`data: ${text}\n\n`)
    for (let i = 0; i <= bytes.length; i++) {
      const events = decodeChunks([bytes.subarray(0, i), bytes.subarray(i)])
      expect(events).toEqual([{ data: text, size: bytes.length }])
    }
  })

  it('decodes a 5 MB event fed in 64-byte chunks', () => {
    const payload = 'x'.repeat(5 * 1024 * 1024)
    const bytes = enc.encode(`event: big\ndata: ${payload}\ndata: tail\n\ndata: after\n\n`)
    const events = decodeChunks(splitEvery(bytes, 64), { maxEventBytes: 6 * 1024 * 1024 })
    expect(events).toHaveLength(2)
    expect(events[0]?.event).toBe('big')
    expect(events[0]?.data).toBe(`${payload}\ntail`)
    expect(events[1]?.data).toBe('after')
  })

  it('throws SseEventTooLargeError with the events completed before it', () => {
    const decoder = new SseDecoder({ maxEventBytes: 32 })
    const chunk = enc.encode(`data: ok\n\ndata: ${'y'.repeat(40)}\n\n`)
    let caught: unknown
    try {
      decoder.push(chunk)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(SseEventTooLargeError)
    const err = caught as SseEventTooLargeError
    expect(err.code).toBe('stream_event_too_large')
    expect(err.limit).toBe(32)
    expect(err.events).toEqual([{ data: 'ok', size: 10 }])
    expect(() => decoder.push(enc.encode('data: 1\n\n'))).toThrow(SseEventTooLargeError)
    expect(() => decoder.end()).toThrow(SseEventTooLargeError)
  })

  it('bounds memory: an unterminated line over the limit throws before it ends', () => {
    const decoder = new SseDecoder({ maxEventBytes: 100 })
    expect(decoder.push(enc.encode(`data: ${'z'.repeat(60)}`))).toEqual([])
    expect(() => decoder.push(enc.encode('z'.repeat(60)))).toThrow(SseEventTooLargeError)
  })

  it('applies the limit per block, so keep-alive comments never add up', () => {
    const keepAlives = ': ping\n\n'.repeat(100)
    const events = decodeChunks([enc.encode(`${keepAlives}data: 1\n\n`)], { maxEventBytes: 16 })
    expect(events).toEqual([{ data: '1', size: keepAlives.length + 9 }])
  })

  it('accepts an event of exactly maxEventBytes', () => {
    expect(decodeChunks([enc.encode('data: 1\n\n')], { maxEventBytes: 9 })).toEqual([
      { data: '1', size: 9 },
    ])
    expect(() => decodeChunks([enc.encode('data: 1\n\n')], { maxEventBytes: 8 })).toThrow(
      SseEventTooLargeError,
    )
  })

  it('does not depend on the caller keeping its buffer', () => {
    const decoder = new SseDecoder()
    const buf = enc.encode('data: abc')
    decoder.push(buf)
    buf.fill(0x41)
    expect(decoder.push(enc.encode('\n\n'))).toEqual([{ data: 'abc', size: 11 }])
  })
})

describe('parseJsonEvent', () => {
  it.each([
    ['object', '{"type":"response.created"}', { type: 'response.created' }],
    ['[DONE]', '[DONE]', undefined],
    ['empty', '', undefined],
    ['not JSON', 'hello', undefined],
    ['array', '[1,2]', undefined],
    ['null', 'null', undefined],
    ['number', '42', undefined],
  ])('%s', (_name, data, expected) => {
    expect(parseJsonEvent({ data, size: 0 })).toEqual(expected)
  })
})
