import type { FastifyBaseLogger } from 'fastify'
import { costUsd } from '../request-logs/pricing.js'
import type { UsageTicket } from './access.js'

/** Waits between settlement retries; after the last one the reservation sweeper releases it. */
const SETTLE_RETRY_MS = [1000, 2000, 4000, 8000, 16000, 30000]

/**
 * Settles the API-key reservation with the actual usage (releases it when none is known). Never
 * fails the response: a database error is retried in the background, and settling is exactly-once
 * by its conditional updates, so a retry of one that did land is a no-op.
 */
export async function settleTicket(
  ticket: UsageTicket,
  model: string,
  usage: Parameters<typeof costUsd>[1] | undefined,
  log: FastifyBaseLogger,
  /** The attempt's own pricing (an overflow upstream's prices); the model's price otherwise. */
  costOf: (u: NonNullable<typeof usage>) => number | undefined = (u) => costUsd(model, u),
): Promise<void> {
  const run = () => (usage ? ticket.settle({ ...usage, costUsd: costOf(usage) }) : ticket.release())
  try {
    await run()
  } catch (err) {
    log.warn({ err }, 'API key usage settlement failed; retrying in the background')
    retrySettle(run, log, 0)
  }
}

function retrySettle(run: () => Promise<void>, log: FastifyBaseLogger, attempt: number): void {
  const delay = SETTLE_RETRY_MS[attempt]
  if (delay === undefined) {
    log.error('API key usage settlement gave up; the reservation sweeper will release it')
    return
  }
  setTimeout(() => {
    run().catch(() => retrySettle(run, log, attempt + 1))
  }, delay).unref()
}
