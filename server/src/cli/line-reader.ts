import { createInterface } from 'node:readline'

/** Lines from an input stream, one `next()` at a time; null once the input ended or was closed. */
export interface LineReader {
  next(): Promise<string | null>
  close(): void
}

/**
 * Reads lines from stdin (a pasted redirect URL). Lines that arrive before anyone asks are queued;
 * `close()` releases stdin so the process can exit while a `next()` is still waiting.
 */
export function stdinLines(input: NodeJS.ReadableStream = process.stdin): LineReader {
  const rl = createInterface({ input, terminal: false })
  const queued: string[] = []
  const waiting: Array<(line: string | null) => void> = []
  let ended = false
  rl.on('line', (line) => {
    const take = waiting.shift()
    if (take) take(line)
    else queued.push(line)
  })
  rl.on('close', () => {
    ended = true
    for (const take of waiting.splice(0)) take(null)
  })
  return {
    next: () => {
      const line = queued.shift()
      if (line !== undefined) return Promise.resolve(line)
      if (ended) return Promise.resolve(null)
      return new Promise((resolve) => waiting.push(resolve))
    },
    close: () => rl.close(),
  }
}
