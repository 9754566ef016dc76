import { describe, expect, it } from 'vitest'
import { csvCell, csvLine } from './csv.js'
import type { ExportCursor, ExportRow, RequestLogsExportRepository } from './export-repository.js'
import { RequestLogsExporter, isoTime } from './export-service.js'
import type { LogFilter } from './repository.js'

const FILTER: LogFilter = {
  search: null,
  accountIds: [],
  apiKeyIds: [],
  statuses: [],
  models: [],
  reasoningEfforts: [],
  modelOptions: [],
  since: null,
  until: null,
}

describe('csvCell', () => {
  it('quotes per RFC 4180 and defuses formulas in text only', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('cr\r')).toBe('"cr\r"')
    for (const start of ['=', '+', '-', '@']) expect(csvCell(`${start}1`)).toBe(`'${start}1`)
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`)
    expect(csvCell(-3)).toBe('-3')
    expect(csvCell(null)).toBe('')
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n')
  })
})

describe('RequestLogsExporter', () => {
  /** `total` rows, newest first, read in keyset batches like the database does. */
  function fakeRepo(total: number) {
    const calls: Array<{ after: ExportCursor | null; size: number }> = []
    const all = Array.from({ length: total }, (_, i) => ({
      id: total - i,
      requested_at: 1_000_000 + total - i,
      request_id: `r${total - i}`,
      model: 'gpt-5',
      endpoint: '/v1/responses',
      status: 'success',
    })) as unknown as ExportRow[]
    const repo = {
      async names() {
        return { accountEmails: new Map(), apiKeyNames: new Map(), overflowNames: new Map() }
      },
      async batch(_: LogFilter, after: ExportCursor | null, size: number) {
        calls.push({ after, size })
        const from = after === null ? 0 : all.findIndex((r) => r.id < after.id)
        return from < 0 ? [] : all.slice(from, from + size)
      },
    } as unknown as RequestLogsExportRepository
    return { repo, calls }
  }

  const lines = async (gen: AsyncGenerator<string>) => {
    let text = ''
    for await (const chunk of gen) text += chunk
    return text.split('\r\n').slice(1, -1)
  }

  it('stops at the row limit, reading no further', async () => {
    const { repo, calls } = fakeRepo(10)
    const exporter = new RequestLogsExporter(repo, { rowLimit: 5, batchSize: 2 })
    const rows = await lines(exporter.csv(FILTER))
    expect(rows.map((l) => l.split(',')[1])).toEqual(['r10', 'r9', 'r8', 'r7', 'r6'])
    expect(calls.map((c) => c.size)).toEqual([2, 2, 1])
    expect(calls[1]?.after).toEqual({ requestedAt: 1_000_009, id: 9 })
  })

  it('reads one batch at a time, as the consumer pulls', async () => {
    const { repo, calls } = fakeRepo(10)
    const gen = new RequestLogsExporter(repo, { batchSize: 3 }).csv(FILTER)
    await gen.next() // the header: nothing read yet
    expect(calls).toHaveLength(0)
    await gen.next()
    expect(calls).toHaveLength(1)
    await gen.return(undefined) // the client went away
    expect(calls).toHaveLength(1)
  })
})

describe('isoTime', () => {
  it('formats like Date.toISOString, in and out of time order', () => {
    const day = Date.UTC(2026, 11, 5)
    const times = [0, 1, 59_999, 60_000, day, day + 7, day + 61_001, day + 86_399_999]
    for (let i = 0; i < 2000; i++) times.push(Math.floor(day + ((i * 7_919_993) % 2_592_000_000)))
    times.push(-1, -86_400_001, 253_402_300_800_000) // before 1970, past year 9999
    for (const t of times) expect(isoTime(t), String(t)).toBe(new Date(t).toISOString())
  })
})
