import { describe, expect, it } from 'vitest'
import { FailureRateLimiter } from './rate-limiter.js'

describe('FailureRateLimiter', () => {
  it('allows 8 failures in 60 s, refuses the 9th attempt, and forgets old failures', () => {
    const limiter = new FailureRateLimiter()
    for (let i = 0; i < 8; i += 1) {
      expect(limiter.retryAfterSeconds('ip', 1000 + i)).toBeNull()
      limiter.recordFailure('ip', 1000 + i)
    }
    expect(limiter.retryAfterSeconds('ip', 2000)).toBe(59)
    expect(limiter.retryAfterSeconds('other', 2000)).toBeNull()
    expect(limiter.retryAfterSeconds('ip', 60_999)).toBe(1)
    // The oldest failure has left the window: 7 remain, so an attempt is allowed again.
    expect(limiter.retryAfterSeconds('ip', 61_000)).toBeNull()
  })

  it('reset clears a key', () => {
    const limiter = new FailureRateLimiter(1, 60_000)
    limiter.recordFailure('ip', 0)
    expect(limiter.retryAfterSeconds('ip', 1)).toBe(60)
    limiter.reset('ip')
    expect(limiter.retryAfterSeconds('ip', 1)).toBeNull()
  })
})
