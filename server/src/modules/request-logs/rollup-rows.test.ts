import { describe, expect, it } from 'vitest'
import { logRow } from '../../../test/support/log-rows.js'
import { rollupDeltas } from './rollup-rows.js'

const H = 3_600_000

describe('rollupDeltas', () => {
  it('folds rows into one delta per hour and dimensions, NULLs as empty strings', () => {
    const deltas = rollupDeltas([
      logRow({ requested_at: 5 * H + 1, input_tokens: 10, output_tokens: 5, cost_usd: 0.5 }),
      logRow({ requested_at: 6 * H - 1, input_tokens: 1, reasoning_tokens: 7, latency_ms: 40 }),
      logRow({ requested_at: 6 * H, account_id: 'a', reasoning_effort: 'high', latency_ms: 3 }),
      logRow({ requested_at: 6 * H + 9, status: 'error', error_code: 'rate_limit_exceeded' }),
    ])
    expect(deltas).toEqual([
      {
        hour_start: 5 * H,
        account_id: '',
        api_key_id: '',
        model: 'gpt-5.1',
        reasoning_effort: '',
        overflow_upstream_id: '',
        status: 'success',
        error_code: '',
        requests: 2,
        errors: 0,
        input_tokens: 11,
        cached_input_tokens: 0,
        output_tokens: 5,
        reasoning_tokens: 7,
        // 10 + 5, then 1 + 7 (reasoning stands in for the unknown output).
        total_tokens: 23,
        latency_ms_sum: 40,
        latency_count: 1,
        cost_usd: 0.5,
      },
      expect.objectContaining({ hour_start: 6 * H, account_id: '', status: 'error', errors: 1 }),
      expect.objectContaining({ hour_start: 6 * H, account_id: 'a', reasoning_effort: 'high' }),
    ])
  })

  it('sorts by key, so concurrent writers lock rows in one order', () => {
    const rows = ['c', 'a', 'b'].map((id) => logRow({ requested_at: H, account_id: id }))
    expect(rollupDeltas(rows).map((d) => d.account_id)).toEqual(['a', 'b', 'c'])
  })
})
