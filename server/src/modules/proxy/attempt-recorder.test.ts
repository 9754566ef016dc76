import { describe, expect, it } from 'vitest'
import type { NewRequestLogRow } from '../../db/schema.js'
import { AttemptRecorder, type RequestFacts } from './attempt-recorder.js'

const facts: RequestFacts = {
  requestId: 'req_1',
  endpoint: '/v1/responses',
  model: 'gpt-5.5',
  reasoningEffort: null,
  apiKeyId: null,
  clientIp: null,
  userAgent: null,
}

function recorder() {
  const rows: NewRequestLogRow[] = []
  const attempt = new AttemptRecorder(
    facts,
    'acc_1',
    { now: () => 1_000 },
    { enqueue: (r) => rows.push(r) },
  )
  return { attempt, rows }
}

describe('AttemptRecorder', () => {
  it('an attempt whose own code threw is logged once as an internal error, never as a success', () => {
    const { attempt, rows } = recorder()
    attempt.finishThrown(
      new RangeError('Maximum call stack size exceeded (token sk-abcdefghijklmnopqrstuvwx)'),
    )
    attempt.finish()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      status: 'error',
      error_code: 'internal_error',
      http_status: null,
    })
    expect(rows[0]!.error_message).toContain('Maximum call stack size exceeded')
    expect(rows[0]!.error_message).not.toContain('sk-abcdefghijklmnopqrstuvwx')
  })

  it('keeps the first failure: a client that left before the throw stays client_closed', () => {
    const { attempt, rows } = recorder()
    attempt.fail('client_closed', 'The client closed the connection')
    attempt.finishThrown(new Error('write after end'))
    expect(rows[0]).toMatchObject({ status: 'error', error_code: 'client_closed' })
  })
})
