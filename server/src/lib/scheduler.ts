export interface Job {
  name: string
  intervalMs: number
  run(): Promise<unknown>
}

interface Logger {
  warn(obj: object, msg: string): void
}

/** Runs `work` only where this replica holds the job's lock; false when another replica does. */
export type RunExclusive = (name: string, work: () => Promise<unknown>) => Promise<boolean>

const runHere: RunExclusive = async (_name, work) => {
  await work()
  return true
}

/**
 * Background jobs on timers: each runs once soon after start, then every interval with ±10 %
 * jitter; a run never overlaps the previous one of the same job, and errors are logged, not thrown.
 */
export class Scheduler {
  #timers = new Map<string, NodeJS.Timeout>()
  #running = new Map<string, Promise<void>>()
  #stopped = false

  constructor(
    private readonly log: Logger,
    private readonly exclusive: RunExclusive = runHere,
  ) {}

  start(jobs: Job[], initialDelayMs = 1000): void {
    for (const job of jobs) this.#schedule(job, initialDelayMs)
  }

  #schedule(job: Job, delay: number): void {
    if (this.#stopped) return
    const timer = setTimeout(
      () => void this.runNow(job).then(() => this.#schedule(job, jitter(job.intervalMs))),
      delay,
    )
    timer.unref()
    this.#timers.set(job.name, timer)
  }

  /** Runs the job unless a run is already in flight (then waits for that one). */
  async runNow(job: Job): Promise<void> {
    const inFlight = this.#running.get(job.name)
    if (inFlight) return inFlight
    const run = (async () => {
      try {
        await this.exclusive(job.name, () => job.run())
      } catch (err) {
        this.log.warn({ err, job: job.name }, 'background job failed')
      }
    })().finally(() => this.#running.delete(job.name))
    this.#running.set(job.name, run)
    return run
  }

  async stop(): Promise<void> {
    this.#stopped = true
    for (const t of this.#timers.values()) clearTimeout(t)
    this.#timers.clear()
    await Promise.all(this.#running.values())
  }
}

function jitter(ms: number): number {
  return Math.round(ms * (0.9 + Math.random() * 0.2))
}
