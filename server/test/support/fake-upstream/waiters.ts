interface Waiter {
  check(): boolean
}

/** Promises that settle once a condition on the fake's logs holds; `notify()` re-checks them. */
export class Waiters {
  private pending: Waiter[] = []

  wait<T>(ready: () => T | undefined, timeoutMs = 5000, what: string): Promise<T> {
    const found = ready()
    if (found !== undefined) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = ready()
          if (value === undefined) return false
          clearTimeout(timer)
          resolve(value)
          return true
        },
      }
      const timer = setTimeout(() => {
        this.pending = this.pending.filter((w) => w !== waiter)
        reject(new Error(`fake upstream: no ${what} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.push(waiter)
    })
  }

  notify(): void {
    this.pending = this.pending.filter((w) => !w.check())
  }
}
