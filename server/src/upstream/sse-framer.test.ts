import { describe, expect, it } from 'vitest'
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
          // Every emitted piece ends at an event boundary.
          expect(f.bytes.toString()).toMatch(/(\n\n|\r\n\r\n)$/)
        }
        events += f.events.length
      }
      events += framer.end().events.length
      expect(Buffer.concat(out).equals(bytes)).toBe(true)
      expect(events).toBe(3)
    }
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
})
