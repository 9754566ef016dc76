import { describe, expect, it } from 'vitest'
import { headersAsUsage } from './rate-limit-headers.js'
import { usageRows } from './usage-payload.js'

const NOW = 1_800_000_000_000

/** What one response's headers become in usage_history (the fields routing reads). */
function rows(headers: Record<string, string | string[] | undefined>) {
  const body = headersAsUsage(headers)
  if (!body) return undefined
  return usageRows('acc', body, NOW).rows.map((r) => ({
    window: r.window,
    used: r.used_percent,
    resetAt: r.reset_at,
    minutes: r.window_minutes,
    credits: [r.credits_has, r.credits_unlimited, r.credits_balance],
  }))
}

describe('headersAsUsage', () => {
  const cases: Array<[string, Record<string, string | string[] | undefined>, unknown]> = [
    ['no rate-limit headers', { 'content-type': 'text/event-stream' }, undefined],
    ['a window with no used percent is no sample', { 'x-codex-primary-reset-at': '1' }, undefined],
    ['a used percent that is not a number', { 'x-codex-primary-used-percent': 'n/a' }, undefined],
    [
      'both windows with reset times in Unix seconds',
      {
        'x-codex-primary-used-percent': '25.0',
        'x-codex-primary-window-minutes': '300',
        'x-codex-primary-reset-at': String(NOW / 1000 + 600),
        'x-codex-secondary-used-percent': '85',
        'x-codex-secondary-window-minutes': '10080',
        'x-codex-secondary-reset-at': String(NOW / 1000 + 86_400),
      },
      [
        { window: 'primary', used: 25, resetAt: NOW + 600_000, minutes: 300 },
        { window: 'secondary', used: 85, resetAt: NOW + 86_400_000, minutes: 10080 },
      ].map((w) => ({ ...w, credits: [null, null, null] })),
    ],
    [
      'reset given as seconds from now, one window only',
      { 'x-codex-primary-used-percent': '100', 'x-codex-primary-reset-after-seconds': '90' },
      [
        {
          window: 'primary',
          used: 100,
          resetAt: NOW + 90_000,
          minutes: null,
          credits: [null, null, null],
        },
      ],
    ],
    [
      'credits ride on the primary row',
      {
        'x-codex-primary-used-percent': '10',
        'x-codex-credits-has-credits': 'true',
        'x-codex-credits-unlimited': 'False',
        'x-codex-credits-balance': '12.50',
      },
      [{ window: 'primary', used: 10, resetAt: null, minutes: null, credits: [1, 0, 12.5] }],
    ],
    [
      'a repeated header counts once (the first)',
      { 'x-codex-secondary-used-percent': ['40', '99'] },
      [
        {
          window: 'secondary',
          used: 40,
          resetAt: null,
          minutes: null,
          credits: [null, null, null],
        },
      ],
    ],
  ]
  it.each(cases)('%s', (_name, headers, expected) => {
    expect(rows(headers)).toEqual(expected)
  })
})
