/** Waits between release attempts; after the last one the stale-reservation sweep is the backstop. */
const RELEASE_RETRY_MS = [1000, 2000, 4000, 8000, 16000, 30000]

/**
 * Runs `release` in the background until it goes through. For a reservation whose transaction
 * outcome is unknown: the connection can drop after COMMIT reached the database, so the caller sees
 * an error while the reservation exists. The release is conditional on `status = 'reserved'`, so it
 * is a no-op when nothing was written, and otherwise gives the budget back now rather than at the
 * stale sweep hours later.
 */
export function releaseLater(release: () => Promise<unknown>, attempt = 0): void {
  const delay = RELEASE_RETRY_MS[attempt]
  if (delay === undefined) return
  setTimeout(() => {
    release().catch(() => releaseLater(release, attempt + 1))
  }, delay).unref()
}
