import { describe, expect, it, vi } from 'vitest'
import { SseFramer } from './sse-framer.js'

const STREAM =
  'event: response.created\ndata: {"type":"response.created"}\n\n' +
  ': comment\r\ndata: {"type":"response.output_text.delta","delta":"h\u00e9llo \ud83d\ude00"}\r\n\r\n' +
  'event: response.completed\ndata: {"type":"response.completed"}\n\n'

describe('SseFramer', () => {
  it('re-emits the exact bytes at every split position, whole events only', () => {
    const bytes = Buffer.from(STREAM)
    for (let split = 0; split <= bytes.length; split++) {
      const framer = new SseFramer(1 << 20)
      const out: Buffer[] = []
      let events = 0
      for (const part of [bytes.subarray(0, split), bytes.subarray(split)]) {
        const f = framer.push(part)
        if (f.bytes) {
          out.push(f.bytes)
          // Every emitted piece ends at an event boundary or after a whole comment line.
          expect(f.bytes.toString()).toMatch(/(\n\n|\r\n\r\n|^:[^\n]*\r?\n|\n:[^\n]*\r?\n)$/)
        }
        events += f.events.length
      }
      events += framer.end().events.length
      expect(Buffer.concat(out).equals(bytes)).toBe(true)
      expect(events).toBe(3)
    }
  })

  it('sends keep-alive comments at once, without tearing the event that follows', () => {
    const framer = new SseFramer(1 << 20)
    const a = framer.push(Buffer.from(': keep-alive\n\n: ping\r\n'))
    expect(a.bytes?.toString()).toBe(': keep-alive\n\n: ping\r\n')
    expect(a.events).toEqual([])
    const b = framer.push(Buffer.from('data: {"x":1}'))
    expect(b.bytes).toBeNull()
    expect(framer.heldBytes).toBe(13)
    const c = framer.push(Buffer.from('\n\n: after\n'))
    expect(c.events).toHaveLength(1)
    expect(c.bytes?.toString()).toBe('data: {"x":1}\n\n: after\n')
    // A trailing CR may be the first half of a CRLF: it waits.
    const d = framer.push(Buffer.from(': half\r'))
    expect(d.bytes).toBeNull()
    expect(framer.push(Buffer.from('\ndata: 2\n\n')).bytes?.toString()).toBe(
      ': half\r\ndata: 2\n\n',
    )
  })

  it('holds back a torn event and terminates it at the end', () => {
    const framer = new SseFramer(1 << 20)
    expect(framer.push(Buffer.from('data: {"a":1}\n\ndata: {"b"')).bytes?.toString()).toBe(
      'data: {"a":1}\n\n',
    )
    expect(framer.heldBytes).toBe(10)
    const end = framer.end()
    expect(end.events).toHaveLength(1)
    expect(end.bytes?.toString()).toBe('data: {"b"\n\n')
  })

  it('joins the pieces of a large event once, when it completes, not at every push', () => {
    const framer = new SseFramer(8 << 20)
    const event = Buffer.from(`data: {"text":"${'x'.repeat(1 << 20)}"}\n\n`)
    const concat = vi.spyOn(Buffer, 'concat')
    let out: Buffer | null = null
    for (let at = 0; at < event.length; at += 1000) {
      const framed = framer.push(event.subarray(at, at + 1000))
      out = framed.bytes ?? out
      if (at + 1000 < event.length) expect(framed.events).toEqual([])
    }
    expect(concat.mock.calls.length).toBeLessThanOrEqual(1)
    concat.mockRestore()
    expect(out?.equals(event)).toBe(true)
  })
})
